use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[derive(serde::Serialize)]
pub struct NoSchema {
    pub id: i64,
}

#[action(public)]
pub async fn get(_ctx: &mut ActionContext, input: In) -> Result<NoSchema, ActionError> {
    Ok(NoSchema { id: input.id })
}
fn main() {}
