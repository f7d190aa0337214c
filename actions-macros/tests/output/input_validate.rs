#[derive(
    ::actions_runtime::__private::serde::Deserialize,
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
#[automatically_derived]
impl ::actions_runtime::__private::ActionInput for NewPost {
    /// Runs the type's own rules.
    fn validate(&self, errors: &mut ::actions_runtime::__private::FieldErrors) {
        Self::check(self, errors)
    }
}
