use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(public, accept = "form", redirect = "https://evil.example/{id}")]
pub async fn get(_ctx: &mut ActionContext, input: In) -> Result<i64, ActionError> {
    Ok(input.id)
}
fn main() {}
