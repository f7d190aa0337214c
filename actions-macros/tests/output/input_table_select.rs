#[derive(
    ::actions_runtime::__private::serde::Deserialize,
    ::actions_runtime::__private::serde::Serialize,
    ::actions_runtime::__private::schemars::JsonSchema
)]
#[serde(
    crate = "::actions_runtime::__private::serde",
    rename_all = "camelCase",
    deny_unknown_fields
)]
#[schemars(crate = "::actions_runtime::__private::schemars")]
pub struct UserRow {
    pub id: ::actions_runtime::__private::Wire<
        <schema::users::id as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[schemars(length(max = 254usize))]
    pub email: ::actions_runtime::__private::Wire<
        <schema::users::email as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[schemars(length(max = 100usize))]
    pub name: ::actions_runtime::__private::Wire<
        <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[serde(deserialize_with = "::actions_runtime::__private::nullable")]
    #[schemars(required)]
    pub bio: ::actions_runtime::__private::Wire<
        <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[serde(deserialize_with = "::actions_runtime::__private::nullable")]
    #[schemars(required)]
    #[schemars(range(min = 0, max = 150))]
    pub age: ::actions_runtime::__private::Wire<
        <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[schemars(extend("enum" = ["user", "admin"]))]
    pub role: ::actions_runtime::__private::Wire<
        <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
}
/// Checks and rules of [`UserRow`] as an action input.
const _: () = {
    /// The schema file the columns were read from: editing it rebuilds this input.
    const _: &[u8] = ::core::include_bytes!("tests/fixtures/schema.rs");
    const _: () = ::core::assert!(
        < schema::users::email as
        ::actions_runtime::__private::diesel::query_source::SizeRestrictedColumn >
        ::MAX_LENGTH == 254usize,
        "the schema file and the compiled table disagree on a #[max_length]",
    );
    const _: () = ::core::assert!(
        < schema::users::name as
        ::actions_runtime::__private::diesel::query_source::SizeRestrictedColumn >
        ::MAX_LENGTH == 100usize,
        "the schema file and the compiled table disagree on a #[max_length]",
    );
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for UserRow {
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
                    "email",
                    |errors| {
                        let value = &mut self.email;
                        {
                            use ::actions_runtime::__private::rules::{
                                ColumnMaxLength as _, NotText as _,
                            };
                            (&::actions_runtime::__private::rules::ColumnText(&*value))
                                .column_max_length(254usize, errors);
                        }
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
            errors
                .nested(
                    "age",
                    |errors| {
                        let value = &mut self.age;
                        ::actions_runtime::__private::rules::min(&*value, 0, errors);
                        ::actions_runtime::__private::rules::max(&*value, 150, errors);
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "role",
                    |errors| {
                        let value = &mut self.role;
                        ::actions_runtime::__private::rules::one_of(
                            &*value,
                            &["user", "admin"],
                            errors,
                        );
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
                &["id", "email", "name", "bio", "age", "role"],
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
            match object.get("email") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "email",
                            |errors| {
                                let decoded: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::email as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::email as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                                if let ::core::option::Option::Some(mut decoded) = decoded {
                                    let value = &mut decoded;
                                    {
                                        use ::actions_runtime::__private::rules::{
                                            ColumnMaxLength as _, NotText as _,
                                        };
                                        (&::actions_runtime::__private::rules::ColumnText(&*value))
                                            .column_max_length(254usize, errors);
                                    }
                                }
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("email", "is required");
                }
            }
            match object.get("name") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "name",
                            |errors| {
                                let decoded: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
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
                ::core::option::Option::None => {
                    errors.add("name", "is required");
                }
            }
            match object.get("bio") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "bio",
                            |errors| {
                                let _: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("bio", "is required");
                }
            }
            match object.get("age") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "age",
                            |errors| {
                                let decoded: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                                if let ::core::option::Option::Some(mut decoded) = decoded {
                                    let value = &mut decoded;
                                    ::actions_runtime::__private::rules::min(
                                        &*value,
                                        0,
                                        errors,
                                    );
                                    ::actions_runtime::__private::rules::max(
                                        &*value,
                                        150,
                                        errors,
                                    );
                                }
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("age", "is required");
                }
            }
            match object.get("role") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "role",
                            |errors| {
                                let decoded: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                                if let ::core::option::Option::Some(mut decoded) = decoded {
                                    let value = &mut decoded;
                                    ::actions_runtime::__private::rules::one_of(
                                        &*value,
                                        &["user", "admin"],
                                        errors,
                                    );
                                }
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("role", "is required");
                }
            }
        }
    }
};
