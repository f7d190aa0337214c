//! Forms without JavaScript: a browser's form post to an action or an auth route is answered
//! `303 See Other` — to the page the action declares (`redirect = "/posts/{id}"`), else back —
//! with a [`Flash`] that tells the next page what happened (docs/forms.md).
//!
//! Layer 3, beside the pipeline's stages and importing none of them: it knows HTTP answers, the
//! cookie key and the error shape; the server and the account service use it.

mod flash;
mod form;
mod redirect;
mod tee;

pub use flash::{FLASH_COOKIE, Flash, FlashError};
pub(crate) use form::{FormSite, answer_action, is_browser_form};
// What the account service's forms and origin checks use.
#[cfg_attr(not(feature = "accounts"), allow(unused_imports))]
pub(crate) use {
    form::{FormBody, answer, form_fields},
    redirect::{Origins, normalize_origin},
};
