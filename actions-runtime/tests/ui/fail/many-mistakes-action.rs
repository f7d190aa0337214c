use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

// Every key is wrong in its own way: each is reported on its token, in one compile.
#[action(auth, auth, acl = 3, tx(eventually), name "get", idempotent(maybe), pubic)]
pub async fn get(_ctx: &mut ActionContext, input: In) -> Result<i64, ActionError> {
    Ok(input.id)
}
fn main() {}
