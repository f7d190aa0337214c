#[derive(
    ::actions_runtime::__private::serde::Serialize,
    ::actions_runtime::__private::schemars::JsonSchema
)]
#[serde(crate = "::actions_runtime::__private::serde", rename_all = "camelCase")]
#[schemars(crate = "::actions_runtime::__private::schemars")]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub created_at: Timestamp,
}
