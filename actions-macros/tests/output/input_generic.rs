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
pub struct Page<T> {
    pub items: Vec<T>,
}
/// Checks and rules of [`Page`] as an action input.
const _: () = {
    #[automatically_derived]
    impl<T> ::actions_runtime::__private::ActionInput for Page<T>
    where
        Self: ::actions_runtime::__private::serde::de::DeserializeOwned
            + ::actions_runtime::__private::schemars::JsonSchema + ::core::marker::Send
            + ::core::marker::Sync + 'static,
    {
        /// Checks every field by its rules, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut ::actions_runtime::__private::FieldErrors) {
            use ::actions_runtime::__private::{Skip as _, Validate as _};
            errors
                .nested(
                    "items",
                    |errors| {
                        (&mut ::actions_runtime::__private::Nested(&mut self.items))
                            .validate_nested(errors);
                    },
                );
        }
    }
};
