use actions_runtime::prelude::*;

pub struct Mailer;

#[input]
pub struct Message {
    pub body: String,
}

// App state is taken as `State<Mailer>`, not by value.
#[action(auth)]
pub async fn send(
    _ctx: &mut ActionContext,
    input: Message,
    mailer: Mailer,
) -> Result<usize, ActionError> {
    let _ = mailer;
    Ok(input.body.len())
}

fn main() {}
