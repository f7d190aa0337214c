use actions_runtime::prelude::*;

// Every key is wrong in its own way: each is reported on its token, in one compile.
#[input(
    table = "notes",
    insert,
    update,
    pick(id),
    pick(title),
    shema = "schema.rs",
    validate = 3
)]
pub struct NewNote {
    pub title: String,
}

fn main() {}
