use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[derive(serde::Deserialize)]
pub struct NoSchema {
    pub id: i64,
}

#[action(public)]
pub async fn get(_ctx: &mut ActionContext, input: NoSchema) -> Result<i64, ActionError> {
    Ok(input.id)
}
fn main() {}
