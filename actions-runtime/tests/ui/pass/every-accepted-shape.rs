//! Every shape #[action], #[input] and #[output] accept, registered and built into a server.

use actions_runtime::prelude::*;
use actions_runtime::{Action, Posture, Registry, Server};

#[input]
#[derive(Debug, Clone)]
pub struct Id {
    pub id: i64,
}

#[input]
#[output]
#[derive(Debug, Clone, PartialEq)]
pub struct Both {
    pub display_name: String,
    pub tags: Vec<String>,
}

#[input]
pub struct Page<T> {
    pub items: Vec<T>,
}

#[input]
#[output]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Draft,
    Published,
}

#[output]
pub struct Summary {
    pub item_count: usize,
}

#[input]
pub struct Upload {
    pub file: UploadedFile,
    pub subscribe: bool,
}

mod post {
    use super::*;

    /// Public, JSON in, JSON out.
    #[action(public)]
    pub async fn get(_ctx: &mut ActionContext, input: Id) -> Result<Both, ActionError> {
        Ok(Both { display_name: input.id.to_string(), tags: vec![] })
    }

    /// A signed-in user, a permission, a transaction; `()` answers 204.
    #[action(auth, acl = "post:update", tx)]
    pub async fn update(_ctx: &mut ActionContext, _input: Both) -> Result<(), ActionError> {
        Ok(())
    }

    /// `acl` alone implies `auth`; the error type may be anything that converts; an isolation level.
    #[action(acl = "post:delete", tx(serializable))]
    pub async fn delete(_ctx: &mut ActionContext, input: Id) -> Result<i64, diesel::result::Error> {
        Ok(input.id)
    }

    /// A generic input, instantiated; an enum both ways.
    #[action(public)]
    pub async fn count(_ctx: &mut ActionContext, input: Page<Status>) -> Result<Summary, ActionError> {
        Ok(Summary { item_count: input.items.len() })
    }

    /// A form action with a file, under another wire name, crate-visible.
    #[action(public, accept = "form", name = "attach")]
    pub(crate) async fn attach_file(_ctx: &mut ActionContext, input: Upload) -> Result<usize, ActionError> {
        Ok(input.file.len() + usize::from(input.subscribe))
    }
}

/// A top-level action whose name is a keyword.
#[action(auth)]
pub async fn r#match(_ctx: &mut ActionContext, input: Status) -> Result<Status, ActionError> {
    Ok(input)
}

fn registry() -> Registry {
    actions_runtime::registry! {
        r#match,
        post: { post::get, post::update, post::delete, post::count, post::attach_file },
        admin: { nested: { post::get } },
    }
}

fn main() {
    assert_eq!(<post::attach_file as Action>::NAME, "attach");
    assert_eq!(<r#match as Action>::NAME, "match");
    assert_eq!(<post::delete as Action>::META.posture, Posture::Authenticated);
    let registry = registry();
    assert_eq!(
        registry.names(),
        ["match", "post.get", "post.update", "post.delete", "post.count", "post.attach", "admin.nested.get"]
    );
    let server = Server::builder(registry)
        .authenticator(actions_runtime::testing::TestAuthenticator)
        .build();
    // `post.update` runs in a transaction and there is no database: reported before serving.
    let error = server.unwrap_err().to_string();
    assert!(error.contains("post.update"), "{error}");
}
