use actions_runtime::prelude::*;

#[input]
pub struct Transfer {
    pub from: i64,
    pub to: i64,
}

// A conflict re-runs a `tx` handler on a copy of its input.
#[action(auth, tx(serializable))]
pub async fn transfer(_ctx: &mut ActionContext, input: Transfer) -> Result<i64, ActionError> {
    Ok(input.from + input.to)
}

fn main() {}
