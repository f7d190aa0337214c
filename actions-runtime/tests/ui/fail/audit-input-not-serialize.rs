use actions_runtime::__private::{schemars, serde};
use actions_runtime::prelude::*;

// Written by hand rather than with #[input], and without `Serialize`.
#[derive(Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(crate = "actions_runtime::__private::serde")]
#[schemars(crate = "actions_runtime::__private::schemars")]
pub struct NewPost {
    pub title: String,
}

impl actions_runtime::ActionInput for NewPost {}

// An audited action records its input as JSON.
#[action(auth, tx, audit)]
pub async fn create(_ctx: &mut ActionContext, input: NewPost) -> Result<String, ActionError> {
    Ok(input.title)
}

fn main() {}
