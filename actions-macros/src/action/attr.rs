//! The grammar of `#[action(...)]`: which keys exist and what each takes.
//!
//! Parsing only records what was written, each key with its tokens for error spans; whether the
//! combination makes sense is `validate`'s job. Every mistake is reported, each on its token
//! (see `grammar`).

use crate::errors::Errors;
use crate::grammar::{self, key_value, key_with_optional_args, kw, set_once};
use actions_declare::{Idempotency, Isolation};
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::LitStr;
use syn::parse::ParseStream;

/// `#[action(...)]` as written: each key once at most, with the tokens that set it.
#[derive(Default)]
pub(crate) struct ActionAttr {
    pub(crate) public: Option<kw::public>,
    pub(crate) auth: Option<kw::auth>,
    pub(crate) acl: Option<(kw::acl, LitStr)>,
    /// `tx` (read committed), or `tx(serializable)` with an isolation level.
    pub(crate) tx: Option<(kw::tx, Isolation)>,
    pub(crate) accept: Option<(kw::accept, LitStr)>,
    pub(crate) name: Option<(kw::name, LitStr)>,
    /// `load = path::to::fn`: loads the resource the ACL policy decides on.
    pub(crate) load: Option<(kw::load, syn::Path)>,
    /// `idempotent`, or `idempotent(required)` when a request without a key is refused.
    pub(crate) idempotent: Option<(kw::idempotent, Idempotency)>,
    pub(crate) audit: Option<kw::audit>,
    /// `redirect = "/posts/{id}"`: where a browser's form post goes once it succeeded.
    pub(crate) redirect: Option<(kw::redirect, LitStr)>,
    /// Some key did not parse: a missing posture may just be that typo.
    pub(crate) had_errors: bool,
}

impl ActionAttr {
    /// Parses the attribute's arguments, recording every error in `errors`.
    pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> ActionAttr {
        let mut attr = ActionAttr::default();
        let all_parsed = grammar::parse_keys(tokens, errors, |input, errors| {
            attr.parse_key(input, errors)
        });
        attr.had_errors = !all_parsed;
        attr
    }

    fn parse_key(&mut self, input: ParseStream<'_>, errors: &mut Errors) -> syn::Result<()> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::public) {
            let key: kw::public = input.parse()?;
            set_once(&mut self.public, key, key, errors);
        } else if lookahead.peek(kw::auth) {
            let key: kw::auth = input.parse()?;
            set_once(&mut self.auth, key, key, errors);
        } else if lookahead.peek(kw::tx) {
            let (key, level) = tx_value(input)?;
            set_once(&mut self.tx, key, (key, level), errors);
        } else if lookahead.peek(kw::acl) {
            let (key, value) = key_value(input, "a string", "\"post:update\"")?;
            set_once(&mut self.acl, key, (key, value), errors);
        } else if lookahead.peek(kw::accept) {
            let (key, value) = key_value(input, "a string", "\"json\" or \"form\"")?;
            set_once(&mut self.accept, key, (key, value), errors);
        } else if lookahead.peek(kw::name) {
            let (key, value) = key_value(input, "a string", "\"publish\"")?;
            set_once(&mut self.name, key, (key, value), errors);
        } else if lookahead.peek(kw::load) {
            let (key, value) = key_value(input, "a function path", "load_post")?;
            set_once(&mut self.load, key, (key, value), errors);
        } else if lookahead.peek(kw::idempotent) {
            let (key, mode) = idempotent_value(input)?;
            set_once(&mut self.idempotent, key, (key, mode), errors);
        } else if lookahead.peek(kw::audit) {
            let key: kw::audit = input.parse()?;
            set_once(&mut self.audit, key, key, errors);
        } else if lookahead.peek(kw::redirect) {
            let (key, value) = key_value(input, "a string", "\"/posts/{id}\"")?;
            set_once(&mut self.redirect, key, (key, value), errors);
        } else {
            return Err(lookahead.error());
        }
        Ok(())
    }
}

/// `tx` or `tx(level)`, the level one of `Isolation`'s names.
fn tx_value(input: ParseStream<'_>) -> syn::Result<(kw::tx, Isolation)> {
    let (key, level) = key_with_optional_args::<kw::tx>(input)?;
    let Some(level) = level else {
        return Ok((key, Isolation::ReadCommitted));
    };
    let written = syn::parse2::<syn::Ident>(level.clone()).ok();
    written
        .and_then(|ident| Isolation::ALL.into_iter().find(|known| ident == known.name()))
        .map(|isolation| (key, isolation))
        .ok_or_else(|| {
            syn::Error::new_spanned(
                if level.is_empty() { key.into_token_stream() } else { level },
                "expected an isolation level: `tx(read_committed)`, `tx(repeatable_read)` or `tx(serializable)`",
            )
        })
}

/// `idempotent` or `idempotent(required)`.
fn idempotent_value(input: ParseStream<'_>) -> syn::Result<(kw::idempotent, Idempotency)> {
    let (key, mode) = key_with_optional_args::<kw::idempotent>(input)?;
    match mode {
        None => Ok((key, Idempotency::Optional)),
        Some(mode) if syn::parse2::<kw::required>(mode.clone()).is_ok() => {
            Ok((key, Idempotency::Required))
        }
        Some(mode) => Err(syn::Error::new_spanned(
            if mode.is_empty() {
                key.into_token_stream()
            } else {
                mode
            },
            "expected `idempotent` (the key is optional) or `idempotent(required)`",
        )),
    }
}
