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
/// Creates a post.
#[derive(Debug, Clone)]
pub struct CreatePost {
    pub title: String,
    pub body: String,
}
#[automatically_derived]
impl ::actions_runtime::__private::ActionInput for CreatePost {}
