use actions_runtime::prelude::*;

#[input]
#[derive(Clone)]
pub struct Id {
    pub id: i64,
}

#[action(auth, tx(snapshot))]
pub async fn get(_ctx: &mut ActionContext, input: Id) -> Result<i64, ActionError> {
    Ok(input.id)
}

fn main() {}
