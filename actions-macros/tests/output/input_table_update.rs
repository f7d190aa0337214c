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
    pub id: i64,
    #[serde(
        default,
        deserialize_with = "::actions_runtime::__private::present",
        skip_serializing_if = "::core::option::Option::is_none"
    )]
    #[schemars(with = ":: std :: string :: String")]
    #[schemars(length(max = 100usize))]
    pub name: ::core::option::Option<::std::string::String>,
    #[serde(
        default,
        deserialize_with = "::actions_runtime::__private::double_option",
        skip_serializing_if = "::core::option::Option::is_none"
    )]
    pub bio: ::core::option::Option<::core::option::Option<::std::string::String>>,
}
/// Checks and rules of [`EditUser`] as an action input.
const _: () = {
    /// The schema file the columns were read from: editing it rebuilds this input.
    const _: &[u8] = ::core::include_bytes!("tests/fixtures/schema.rs");
    /// The type read from the schema file is the column's.
    const _: fn() = || {
        ::actions_runtime::__private::same_type::<
            i64,
            ::actions_runtime::__private::Wire<
                <schema::users::id as ::actions_runtime::__private::diesel::Expression>::SqlType,
            >,
        >();
    };
    /// The type read from the schema file is the column's.
    const _: fn() = || {
        ::actions_runtime::__private::same_type::<
            ::std::string::String,
            ::actions_runtime::__private::Wire<
                <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
            >,
        >();
    };
    const _: () = ::core::assert!(
        < schema::users::name as
        ::actions_runtime::__private::diesel::query_source::SizeRestrictedColumn >
        ::MAX_LENGTH == 100usize,
        "the schema file and the compiled table disagree on a #[max_length]",
    );
    /// The type read from the schema file is the column's.
    const _: fn() = || {
        ::actions_runtime::__private::same_type::<
            ::core::option::Option<::std::string::String>,
            ::actions_runtime::__private::Wire<
                <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
            >,
        >();
    };
    /// The rules of `name`.
    fn rules_name(
        value: &mut ::core::option::Option<::std::string::String>,
        errors: &mut ::actions_runtime::__private::FieldErrors,
    ) {
        {
            use ::actions_runtime::__private::rules::{
                ColumnMaxLength as _, NotText as _,
            };
            (&::actions_runtime::__private::rules::ColumnText(&*value))
                .column_max_length(100usize, errors);
        }
    }
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for EditUser {
        /// Decodes every field, each failure at its full path, and checks each decoded field by
        /// its rules.
        fn decode(
            payload: ::actions_runtime::__private::Payload<'_>,
            errors: &mut ::actions_runtime::__private::FieldErrors,
        ) -> ::core::option::Option<Self> {
            use ::actions_runtime::__private::{
                DecodeInput as _, DecodeList as _, DecodeValue as _,
            };
            let mut fields = ::actions_runtime::__private::Fields::new(
                payload,
                &["id", "name", "bio"],
                errors,
            )?;
            let id = fields
                .field(
                    "id",
                    (&&::actions_runtime::__private::Decode::<i64>::new()).decoder(),
                    errors,
                );
            let mut name = fields
                .present(
                    "name",
                    (&&::actions_runtime::__private::Decode::<
                        ::std::string::String,
                    >::new())
                        .decoder(),
                    errors,
                );
            ::actions_runtime::__private::check(&mut name, "name", rules_name, errors);
            let bio = fields
                .present(
                    "bio",
                    (&&::actions_runtime::__private::Decode::<
                        ::core::option::Option<::std::string::String>,
                    >::new())
                        .decoder(),
                    errors,
                );
            let input = Self {
                id: id?,
                name: name?,
                bio: bio?,
            };
            ::core::option::Option::Some(input)
        }
        /// Checks every field by its rules, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "id",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.id))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "name",
                    |errors| {
                        rules_name(&mut self.name, errors);
                        (&mut ::actions_runtime::__private::Nested(&mut self.name))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "bio",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.bio))
                            .validate_nested(errors);
                    },
                );
        }
    }
};
