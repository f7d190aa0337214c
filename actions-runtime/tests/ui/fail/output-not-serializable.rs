use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

pub struct Secret(String);

#[action(public)]
pub async fn get(_ctx: &mut ActionContext, input: In) -> Result<Secret, ActionError> {
    Ok(Secret(input.id.to_string()))
}
fn main() {}
