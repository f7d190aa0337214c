use actions_runtime::prelude::*;
use actions_runtime::State;
use std::cell::Cell;

/// Not `Sync`: the server shares its state between requests.
pub struct Counter(pub Cell<u64>);

#[input]
pub struct Ping {}

#[action(public)]
pub async fn ping(_ctx: &mut ActionContext, _input: Ping, counter: State<Counter>) -> Result<u64, ActionError> {
    Ok(counter.0.get())
}

fn main() {}
