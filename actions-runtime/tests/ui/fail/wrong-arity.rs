use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(public)]
pub async fn get(_ctx: &mut ActionContext) -> Result<i64, ActionError> {
    Ok(1)
}
fn main() {}
