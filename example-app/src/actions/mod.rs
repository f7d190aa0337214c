//! Every action of the app, in one place (like Astro's `src/actions/index.ts`).

pub mod account;
pub mod audit;
pub mod contact;
pub mod form;
pub mod post;
pub mod profile;

use actions_runtime::Registry;

/// The app's actions, by wire name: `post.create`, `account.transfer`, …
pub fn registry() -> Registry {
    actions_runtime::registry! {
        post: { post::create, post::get, post::list, post::update, post::delete },
        account: { account::open, account::get, account::mine, account::transfer },
        contact: { contact::send, contact::list },
        form: { form::create_post, form::update_post, form::open_account, form::transfer },
        profile: { profile::save, profile::get },
        audit: { audit::list },
    }
}
