//! Every action of the app, in one place (like Astro's `src/actions/index.ts`).

pub mod account;
pub mod audit;
pub mod contact;
pub mod post;
pub mod profile;

use actions_runtime::Registry;

/// The app's actions, by wire name: `post.create`, `account.transfer`, …
pub fn registry() -> Registry {
    actions_runtime::registry! {
        post: { post::create, post::get, post::list, post::update, post::delete },
        account: { account::open, account::get, account::mine, account::transfer },
        contact: { contact::send, contact::list },
        profile: { profile::save, profile::get },
        audit: { audit::list },
    }
}
