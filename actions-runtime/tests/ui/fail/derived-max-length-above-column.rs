#[path = "../fixtures/schema.rs"]
mod schema;

use actions_runtime::prelude::*;

#[input(table = schema::notes, update, pick(id, title), schema = "../fixtures/schema.rs")]
pub struct RenameNote {
    pub id: _,
    #[field(max_length = 500)]
    pub title: _,
}

fn main() {}
