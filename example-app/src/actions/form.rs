//! The demo site's forms with JavaScript off. A browser posts a form body, which a JSON action
//! refuses (`415`); each action here is a JSON action's twin that takes one (`accept = "form"`,
//! coerced by the input's types), with the same input, permission, loaded resource,
//! transaction and audit, and names the page a success leads to. With JavaScript on, the site
//! calls the JSON actions through the generated client instead.

use super::account::{self, Account, OpenAccount, Transfer, Transferred};
use super::post::{self, CreatePost, Post, UpdatePost};
use actions_runtime::prelude::*;

/// `post.create` for the new-post form; a success shows the post.
#[action(
    acl = "post:create",
    accept = "form",
    tx,
    audit,
    redirect = "/posts/{id}"
)]
pub async fn create_post(ctx: &mut ActionContext, input: CreatePost) -> Result<Post, ActionError> {
    post::insert(ctx, input).await
}

/// `post.update` for the edit form: only the post's author (or an admin); a success shows it.
#[action(
    acl = "post:update",
    load = post::load_post,
    accept = "form",
    tx,
    audit,
    redirect = "/posts/{id}"
)]
pub async fn update_post(ctx: &mut ActionContext, input: UpdatePost) -> Result<Post, ActionError> {
    post::apply_update(ctx, input).await
}

/// `account.open` for the account page's form; a success goes back to the page.
#[action(acl = "account:open", accept = "form", redirect = "/account")]
pub async fn open_account(
    ctx: &mut ActionContext,
    input: OpenAccount,
) -> Result<Account, ActionError> {
    account::open_account(ctx, input).await
}

/// `account.transfer` for the account page's form (a browser sends no `Idempotency-Key`); a
/// success goes back to the page.
#[action(
    acl = "account:transfer",
    load = account::load_source,
    accept = "form",
    tx(serializable),
    audit,
    redirect = "/account"
)]
pub async fn transfer(
    ctx: &mut ActionContext,
    input: Transfer,
) -> Result<Transferred, ActionError> {
    account::move_money(ctx, input).await
}
