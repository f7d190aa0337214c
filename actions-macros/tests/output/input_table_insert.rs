#[derive(
    ::actions_runtime::__private::serde::Deserialize,
    ::actions_runtime::__private::serde::Serialize,
    ::actions_runtime::__private::diesel::Insertable,
    ::actions_runtime::__private::schemars::JsonSchema
)]
#[serde(
    crate = "::actions_runtime::__private::serde",
    rename_all = "camelCase",
    deny_unknown_fields
)]
#[schemars(crate = "::actions_runtime::__private::schemars")]
#[diesel(table_name = schema::users)]
/// Signs a user up.
pub struct SignUp {
    #[schemars(
        transform = |schema:&mut::actions_runtime::__private::schemars::Schema|::actions_runtime::__private::rules::trimmed_length_pattern(
            schema,
            ::core::option::Option::None,
            ::core::option::Option::Some(254usize)
        )
    )]
    #[schemars(extend("format" = "email"))]
    #[schemars(
        pattern(
            ::actions_runtime::__private::rules::around_whitespace(
                ::actions_runtime::__private::rules::EMAIL_PATTERN
            )
        )
    )]
    pub email: ::actions_runtime::__private::Wire<
        <schema::users::email as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    #[schemars(
        transform = |schema:&mut::actions_runtime::__private::schemars::Schema|::actions_runtime::__private::rules::trimmed_length_pattern(
            schema,
            ::core::option::Option::Some({const N:usize = 1;N}),
            ::core::option::Option::Some(100usize)
        )
    )]
    pub name: ::actions_runtime::__private::Wire<
        <schema::users::name as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    pub bio: ::actions_runtime::__private::Wire<
        <schema::users::bio as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    pub age: ::actions_runtime::__private::Wire<
        <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
    >,
    pub role: ::core::option::Option<
        ::actions_runtime::__private::Wire<
            <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
        >,
    >,
    #[schemars(length(min = 8, max = {const N:usize = 128;N}))]
    #[diesel(skip_insertion)]
    pub password: String,
}
/// Checks and rules of [`SignUp`] as an action input.
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
    impl ::actions_runtime::__private::ActionInput for SignUp {
        /// Normalizes and checks every field, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "email",
                    |errors| {
                        let value = &mut self.email;
                        ::actions_runtime::__private::rules::trim(value);
                        ::actions_runtime::__private::rules::email(value, errors);
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
                        ::actions_runtime::__private::rules::trim(value);
                        ::actions_runtime::__private::rules::min_length(
                            &*value,
                            {
                                const N: usize = 1;
                                N
                            },
                            errors,
                        );
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
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "role",
                    |errors| {
                        let value = &mut self.role;
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "password",
                    |errors| {
                        let value = &mut self.password;
                        ::actions_runtime::__private::rules::min_length(
                            &*value,
                            {
                                const N: usize = 8;
                                N
                            },
                            errors,
                        );
                        ::actions_runtime::__private::rules::max_length(
                            &*value,
                            {
                                const N: usize = 128;
                                N
                            },
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
                &["email", "name", "bio", "age", "role", "password"],
                errors,
            );
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
                                    ::actions_runtime::__private::rules::trim(value);
                                    ::actions_runtime::__private::rules::email(value, errors);
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
                                    ::actions_runtime::__private::rules::trim(value);
                                    ::actions_runtime::__private::rules::min_length(
                                        &*value,
                                        {
                                            const N: usize = 1;
                                            N
                                        },
                                        errors,
                                    );
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
                ::core::option::Option::None => {}
            }
            match object.get("age") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "age",
                            |errors| {
                                let _: ::core::option::Option<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::actions_runtime::__private::Wire<
                                        <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                            },
                        )
                }
                ::core::option::Option::None => {}
            }
            match object.get("role") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "role",
                            |errors| {
                                let _: ::core::option::Option<
                                    ::core::option::Option<
                                        ::actions_runtime::__private::Wire<
                                            <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                        >,
                                    >,
                                > = (&::actions_runtime::__private::Decode::<
                                    ::core::option::Option<
                                        ::actions_runtime::__private::Wire<
                                            <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
                                        >,
                                    >,
                                >::new())
                                    .decode_field(raw, errors);
                            },
                        )
                }
                ::core::option::Option::None => {}
            }
            match object.get("password") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "password",
                            |errors| {
                                let decoded: ::core::option::Option<String> = (&::actions_runtime::__private::Decode::<
                                    String,
                                >::new())
                                    .decode_field(raw, errors);
                                if let ::core::option::Option::Some(mut decoded) = decoded {
                                    let value = &mut decoded;
                                    ::actions_runtime::__private::rules::min_length(
                                        &*value,
                                        {
                                            const N: usize = 8;
                                            N
                                        },
                                        errors,
                                    );
                                    ::actions_runtime::__private::rules::max_length(
                                        &*value,
                                        {
                                            const N: usize = 128;
                                            N
                                        },
                                        errors,
                                    );
                                }
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("password", "is required");
                }
            }
        }
    }
};
