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
pub struct NewPost {
    pub title: String,
}
/// Checks and rules of [`NewPost`] as an action input.
const _: () = {
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for NewPost {
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
                &["title"],
                errors,
            )?;
            let title = fields
                .field(
                    "title",
                    (&&::actions_runtime::__private::Decode::<String>::new()).decoder(),
                    errors,
                );
            let mut input = Self { title: title? };
            errors.server_only(|errors| Self::check(&mut input, errors));
            ::core::option::Option::Some(input)
        }
        /// Checks every field by its rules, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "title",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.title))
                            .validate_nested(errors);
                    },
                );
            errors.server_only(|errors| Self::check(self, errors));
        }
    }
};
