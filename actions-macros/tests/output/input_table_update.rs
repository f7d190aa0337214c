#[derive(
    ::actions_runtime::__private::serde::Deserialize,
    ::actions_runtime::__private::serde::Serialize,
    ::actions_runtime::__private::diesel::AsChangeset,
    ::actions_runtime::__private::schemars::JsonSchema
)]
#[serde(
    crate = "::actions_runtime::__private::serde",
    rename_all = "camelCase",
    deny_unknown_fields
)]
#[schemars(crate = "::actions_runtime::__private::schemars")]
#[diesel(table_name = schema::users)]
#[diesel(primary_key(id))]
pub struct EditUser {
    pub id: ::actions_runtime::__private::Wire<
        <schema::users::id as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[serde(
        default,
        deserialize_with = "::actions_runtime::__private::present",
        skip_serializing_if = "::core::option::Option::is_none"
    )]
    #[schemars(
        with = ":: actions_runtime :: __private :: Wire < < schema :: users :: name as :: actions_runtime :: __private :: diesel :: Expression > :: SqlType >"
    )]
    #[schemars(length(max = 100usize))]
    pub name: ::core::option::Option<
        ::actions_runtime::__private::Wire<
            <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
        >,
    >,
    #[serde(
        default,
        deserialize_with = "::actions_runtime::__private::double_option",
        skip_serializing_if = "::core::option::Option::is_none"
    )]
    pub bio: ::core::option::Option<
        ::actions_runtime::__private::Wire<
            <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
        >,
    >,
}
/// Checks and rules of [`EditUser`] as an action input.
const _: () = {
    /// The schema file the columns were read from: editing it rebuilds this input.
    const _: &[u8] = ::core::include_bytes!("tests/fixtures/schema.rs");
    const _: () = ::core::assert!(
        < schema::users::name as
        ::actions_runtime::__private::diesel::query_source::SizeRestrictedColumn >
        ::MAX_LENGTH == 100usize,
        "the schema file and the compiled table disagree on a #[max_length]",
    );
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for EditUser {
        /// Normalizes and checks every field, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "id",
                    |errors| {
                        let value = &mut self.id;
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "name",
                    |errors| {
                        let value = &mut self.name;
                        {
                            use ::actions_runtime::__private::rules::{
                                ColumnMaxLength as _, NotText as _,
                            };
                            (&::actions_runtime::__private::rules::ColumnText(&*value))
                                .column_max_length(100usize, errors);
                        }
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "bio",
                    |errors| {
                        let value = &mut self.bio;
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
        }
        /// Every failure of a body that did not decode, at once.
        fn decode_errors(
            value: &::actions_runtime::__private::serde_json::Value,
            errors: &mut ::actions_runtime::__private::FieldErrors,
        ) {
            use ::actions_runtime::__private::{DecodeInput as _, DecodeValue as _};
            let ::core::option::Option::Some(object) = ::actions_runtime::__private::expect_object(
                value,
                errors,
            ) else { return };
            ::actions_runtime::__private::unknown_fields(
                object,
                &["id", "name", "bio"],
                errors,
            );
            match object.get("id") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "id",
                            |errors| {
                                let _: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::id as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::id as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("id", "is required");
                }
            }
            match object.get("name") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "name",
                            |errors| {
                                let decoded: ::core::option::Option<
                                    ::core::option::Option<
                                        ::actions_runtime::__private::Wire<
                                            <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                        >,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors)
                                    .map(::core::option::Option::Some);
                                if let ::core::option::Option::Some(mut decoded) = decoded {
                                    let value = &mut decoded;
                                    {
                                        use ::actions_runtime::__private::rules::{
                                            ColumnMaxLength as _, NotText as _,
                                        };
                                        (&::actions_runtime::__private::rules::ColumnText(&*value))
                                            .column_max_length(100usize, errors);
                                    }
                                }
                            },
                        )
                }
                ::core::option::Option::None => {}
            }
            match object.get("bio") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "bio",
                            |errors| {
                                let _: ::core::option::Option<
                                    ::core::option::Option<
                                        ::actions_runtime::__private::Wire<
                                            <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                        >,
                                    >,
                                > = if raw.is_null() {
                                    ::core::option::Option::Some(::core::option::Option::None)
                                } else {
                                    (&::actions_runtime::__private::Decode::<
                                        ::actions_runtime::__private::Wire<
                                            <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                        >,
                                    >::new())
                                        .decode_field(raw, errors)
                                        .map(::core::option::Option::Some)
                                };
                            },
                        )
                }
                ::core::option::Option::None => {}
            }
        }
    }
};
