use actions_runtime::prelude::*;

#[input]
pub struct SignUp {
    // Every rule is wrong in its own way: each is reported on its token, in one compile.
    #[field(trim, trim, email, url, min = 1 2, shout, one_of(1))]
    pub email: String,
}

fn main() {}
