use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(public)]
pub async fn get(_ctx: &mut ActionContext, _input: In) {}
fn main() {}
