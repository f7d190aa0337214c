use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[input]
#[derive(serde::Deserialize)]
pub struct Twice {
    pub id: i64,
}
fn main() {}
