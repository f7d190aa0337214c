#[path = "../fixtures/schema.rs"]
mod schema;

use actions_runtime::prelude::*;

// `rating`, `views`, … are NOT NULL without a declared default: an insert cannot leave them out.
#[input(
    table = schema::notes,
    insert,
    pick(title, body),
    server(author_id, created_at),
    schema = "../fixtures/schema.rs"
)]
pub struct NewNote {
    pub title: _,
    pub body: _,
}

fn main() {}
