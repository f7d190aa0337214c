use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(tx, tx, accept = "xml", acl = "Post")]
pub fn get<T>(_ctx: &mut ActionContext, _input: In, _extra: T) -> i64 {
    input.id
}
fn main() {}
