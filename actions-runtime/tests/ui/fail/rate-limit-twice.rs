use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(auth, rate_limit = "10/min", rate_limit(ip, "100/h"))]
pub async fn get(_ctx: &mut ActionContext, input: In) -> Result<i64, ActionError> {
    Ok(input.id)
}
fn main() {}
