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
/// Creates a post.
#[derive(Debug, Clone)]
pub struct CreatePost {
    pub title: String,
    pub body: String,
}
/// Checks and rules of [`CreatePost`] as an action input.
const _: () = {
    #[automatically_derived]
    impl ::actions_runtime::__private::ActionInput for CreatePost {
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
                &["title", "body"],
                errors,
            )?;
            let title = fields
                .field(
                    "title",
                    (&&::actions_runtime::__private::Decode::<String>::new()).decoder(),
                    errors,
                );
            let body = fields
                .field(
                    "body",
                    (&&::actions_runtime::__private::Decode::<String>::new()).decoder(),
                    errors,
                );
            let input = Self { title: title?, body: body? };
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
            errors
                .nested(
                    "body",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.body))
                            .validate_nested(errors);
                    },
                );
        }
    }
};
