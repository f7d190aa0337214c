use actions_runtime::prelude::*;

#[input]
pub struct In {
    pub id: i64,
}

#[action(public)]
pub async fn get(_ctx: &mut ActionContext, input: In) -> Result<i64, ActionError> {
    let shared = std::rc::Rc::new(input.id);
    tokio::task::yield_now().await;
    Ok(*shared)
}
fn main() {}
