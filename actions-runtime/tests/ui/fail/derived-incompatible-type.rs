#[path = "../fixtures/schema.rs"]
mod schema;

use actions_runtime::prelude::*;

#[input(table = schema::notes, select, pick(id, title), schema = "../fixtures/schema.rs")]
pub struct FindNote {
    pub id: _,
    pub title: i32,
}

fn main() {}
