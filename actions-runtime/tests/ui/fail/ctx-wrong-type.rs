use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(public)]
pub async fn get(_ctx: &mut String, input: In) -> Result<i64, ActionError> {
    Ok(input.id)
}
fn main() {}
