use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(public)]
pub struct NotAFunction;
fn main() {}
