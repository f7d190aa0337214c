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
        /// Normalizes and checks every field, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "title",
                    |errors| {
                        let value = &mut self.title;
                        (&mut ::actions_runtime::__private::Nested(value))
                            .validate_nested(errors);
                    },
                );
            errors
                .nested(
                    "body",
                    |errors| {
                        let value = &mut self.body;
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
                &["title", "body"],
                errors,
            );
            match object.get("title") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "title",
                            |errors| {
                                let _: ::core::option::Option<String> = (&::actions_runtime::__private::Decode::<
                                    String,
                                >::new())
                                    .decode_field(raw, errors);
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("title", "is required");
                }
            }
            match object.get("body") {
                ::core::option::Option::Some(raw) => {
                    errors
                        .nested(
                            "body",
                            |errors| {
                                let _: ::core::option::Option<String> = (&::actions_runtime::__private::Decode::<
                                    String,
                                >::new())
                                    .decode_field(raw, errors);
                            },
                        )
                }
                ::core::option::Option::None => {
                    errors.add("body", "is required");
                }
            }
        }
    }
};
