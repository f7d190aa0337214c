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
    pub id: i64,
    #[schemars(length(max = 254usize))]
    pub email: ::std::string::String,
    #[schemars(length(max = 100usize))]
    pub name: ::std::string::String,
    #[serde(deserialize_with = "::actions_runtime::__private::nullable")]
    #[schemars(required)]
    pub bio: ::core::option::Option<::std::string::String>,
    #[serde(deserialize_with = "::actions_runtime::__private::nullable")]
    #[schemars(required)]
    #[schemars(range(min = 0, max = 150))]
    pub age: ::core::option::Option<i32>,
    #[schemars(extend("enum" = ["user", "admin"]))]
    pub role: ::std::string::String,
}
/// Checks and rules of [`UserRow`] as an action input.
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
        {
            use ::actions_runtime::__private::rules::{
                ColumnMaxLength as _, NotText as _,
            };
            (&::actions_runtime::__private::rules::ColumnText(&*value))
                .column_max_length(100usize, errors);
        }
    }
    /// The rules of `age`.
    fn rules_age(
        value: &mut ::core::option::Option<i32>,
        errors: &mut ::actions_runtime::__private::FieldErrors,
    ) {
        ::actions_runtime::__private::rules::min(&*value, 0, errors);
        ::actions_runtime::__private::rules::max(&*value, 150, errors);
    }
    /// The rules of `role`.
    fn rules_role(
        value: &mut ::std::string::String,
        errors: &mut ::actions_runtime::__private::FieldErrors,
    ) {
        ::actions_runtime::__private::rules::one_of(&*value, &["user", "admin"], errors);
    }
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for UserRow {
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
                &["id", "email", "name", "bio", "age", "role"],
                errors,
            )?;
            let id = fields
                .field(
                    "id",
                    (&&::actions_runtime::__private::Decode::<i64>::new()).decoder(),
                    errors,
                );
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
                .sent(
                    "bio",
                    (&&::actions_runtime::__private::Decode::<
                        ::core::option::Option<::std::string::String>,
                    >::new())
                        .decoder(),
                    errors,
                );
            let mut age = fields
                .sent(
                    "age",
                    (&&::actions_runtime::__private::Decode::<
                        ::core::option::Option<i32>,
                    >::new())
                        .decoder(),
                    errors,
                );
            ::actions_runtime::__private::check(&mut age, "age", rules_age, errors);
            let mut role = fields
                .field(
                    "role",
                    (&&::actions_runtime::__private::Decode::<
                        ::std::string::String,
                    >::new())
                        .decoder(),
                    errors,
                );
            ::actions_runtime::__private::check(&mut role, "role", rules_role, errors);
            let input = Self {
                id: id?,
                email: email?,
                name: name?,
                bio: bio?,
                age: age?,
                role: role?,
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
                        rules_age(&mut self.age, errors);
                        (&mut ::actions_runtime::__private::Nested(&mut self.age))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "role",
                    |errors| {
                        rules_role(&mut self.role, errors);
                        (&mut ::actions_runtime::__private::Nested(&mut self.role))
                            .validate_nested(errors);
                    },
                );
        }
    }
};
