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
pub struct Page<T> {
    pub items: Vec<T>,
}
#[automatically_derived]
impl<T> ::actions_runtime::__private::ActionInput for Page<T>
where
    Self: ::actions_runtime::__private::serde::de::DeserializeOwned
        + ::actions_runtime::__private::schemars::JsonSchema + ::core::marker::Send
        + ::core::marker::Sync + 'static,
{}
