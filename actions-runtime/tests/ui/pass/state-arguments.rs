//! App state as action arguments: `State<T>` after the input, named by any path, given to the
//! server once and checked when it is built.

use actions_runtime::prelude::*;
use actions_runtime::{BuildProblem, Server, State};

pub struct Greeting(&'static str);

pub struct Punctuation {
    pub mark: char,
}

#[input]
pub struct Name {
    pub name: String,
}

#[action(public)]
pub async fn greet(
    _ctx: &mut ActionContext,
    input: Name,
    greeting: State<Greeting>,
    punctuation: actions_runtime::State<Punctuation>,
) -> Result<String, ActionError> {
    Ok(format!("{}, {}{}", greeting.0, input.name, punctuation.mark))
}

fn main() {
    let error = Server::builder(actions_runtime::registry! { greet })
        .state(Greeting("Hello"))
        .build()
        .unwrap_err();
    assert!(
        matches!(error.problems(), [BuildProblem::MissingState { action, .. }] if action == "greet"),
        "{error}"
    );
    let server = Server::builder(actions_runtime::registry! { greet })
        .state(Greeting("Hello"))
        .state(Punctuation { mark: '!' })
        .build()
        .expect("every state is given");
    actions_runtime::testing::run(async move {
        let mut ctx = server.context(None);
        let greeting = server
            .call::<greet>(&mut ctx, Name { name: "Ada".into() })
            .await
            .expect("greets");
        assert_eq!(greeting, "Hello, Ada!");
    });
}
