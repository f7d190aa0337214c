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
    pub email: ::std::string::String,
    #[schemars(
        transform = |schema:&mut::actions_runtime::__private::schemars::Schema|::actions_runtime::__private::rules::trimmed_length_pattern(
            schema,
            ::core::option::Option::Some({const N:usize = 1;N}),
            ::core::option::Option::Some(100usize)
        )
    )]
    pub name: ::std::string::String,
    pub bio: ::core::option::Option<::std::string::String>,
    pub age: ::core::option::Option<i32>,
    pub role: ::core::option::Option<::std::string::String>,
    #[schemars(length(min = 8, max = {const N:usize = 128;N}))]
    #[diesel(skip_insertion)]
    pub password: String,
}
/// Checks and rules of [`SignUp`] as an action input.
const _: () = {
    /// The schema file the columns were read from: editing it rebuilds this input.
    const _: &[u8] = ::core::include_bytes!("tests/fixtures/schema.rs");
    /// The type read from the schema file is the column's.
    const _: fn() = || {
        ::actions_runtime::__private::same_type::<
            ::std::string::String,
            ::actions_runtime::__private::Wire<
                <schema::users::email as ::actions_runtime::__private::diesel::Expression>::SqlType,
            >,
        >();
    };
    const _: () = ::core::assert!(
        < schema::users::email as
        ::actions_runtime::__private::diesel::query_source::SizeRestrictedColumn >
        ::MAX_LENGTH == 254usize,
        "the schema file and the compiled table disagree on a #[max_length]",
    );
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
    /// The type read from the schema file is the column's.
    const _: fn() = || {
        ::actions_runtime::__private::same_type::<
            ::core::option::Option<i32>,
            ::actions_runtime::__private::Wire<
                <schema::users::age as ::actions_runtime::__private::diesel::Expression>::SqlType,
            >,
        >();
    };
    /// The type read from the schema file is the column's.
    const _: fn() = || {
        ::actions_runtime::__private::same_type::<
            ::std::string::String,
            ::actions_runtime::__private::Wire<
                <schema::users::role as ::actions_runtime::__private::diesel::Expression>::SqlType,
            >,
        >();
    };
    /// The rules of `email`.
    fn rules_email(
        value: &mut ::std::string::String,
        errors: &mut ::actions_runtime::__private::FieldErrors,
    ) {
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
    /// The rules of `name`.
    fn rules_name(
        value: &mut ::std::string::String,
        errors: &mut ::actions_runtime::__private::FieldErrors,
    ) {
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
    /// The rules of `password`.
    fn rules_password(
        value: &mut String,
        errors: &mut ::actions_runtime::__private::FieldErrors,
    ) {
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
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for SignUp {
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
                &["email", "name", "bio", "age", "role", "password"],
                errors,
            )?;
            let mut email = fields
                .field(
                    "email",
                    (&&::actions_runtime::__private::Decode::<
                        ::std::string::String,
                    >::new())
                        .decoder(),
                    errors,
                );
            ::actions_runtime::__private::check(
                &mut email,
                "email",
                rules_email,
                errors,
            );
            let mut name = fields
                .field(
                    "name",
                    (&&::actions_runtime::__private::Decode::<
                        ::std::string::String,
                    >::new())
                        .decoder(),
                    errors,
                );
            ::actions_runtime::__private::check(&mut name, "name", rules_name, errors);
            let bio = fields
                .field(
                    "bio",
                    (&&::actions_runtime::__private::Decode::<
                        ::core::option::Option<::std::string::String>,
                    >::new())
                        .decoder(),
                    errors,
                );
            let age = fields
                .field(
                    "age",
                    (&&::actions_runtime::__private::Decode::<
                        ::core::option::Option<i32>,
                    >::new())
                        .decoder(),
                    errors,
                );
            let role = fields
                .field(
                    "role",
                    (&&::actions_runtime::__private::Decode::<
                        ::core::option::Option<::std::string::String>,
                    >::new())
                        .decoder(),
                    errors,
                );
            let mut password = fields
                .field(
                    "password",
                    (&&::actions_runtime::__private::Decode::<String>::new()).decoder(),
                    errors,
                );
            ::actions_runtime::__private::check(
                &mut password,
                "password",
                rules_password,
                errors,
            );
            let input = Self {
                email: email?,
                name: name?,
                bio: bio?,
                age: age?,
                role: role?,
                password: password?,
            };
            ::core::option::Option::Some(input)
        }
        /// Checks every field by its rules, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "email",
                    |errors| {
                        rules_email(&mut self.email, errors);
                        (&mut ::actions_runtime::__private::Nested(&mut self.email))
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
            errors
                .nested(
                    "age",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.age))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "role",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.role))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "password",
                    |errors| {
                        rules_password(&mut self.password, errors);
                        (&mut ::actions_runtime::__private::Nested(&mut self.password))
                            .validate_nested(errors);
                    },
                );
        }
    }
};
