//! The grammar of `#[action(...)]`: which keys exist and what each takes.
//!
//! Parsing only records what was written, each key with its tokens for error spans; whether the
//! combination makes sense is `validate`'s job. A key that does not parse is reported and
//! skipped, so one typo does not hide the next mistake.

use crate::errors::Errors;
use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::{LitStr, Token};

pub(crate) mod kw {
    syn::custom_keyword!(public);
    syn::custom_keyword!(auth);
    syn::custom_keyword!(acl);
    syn::custom_keyword!(tx);
    syn::custom_keyword!(accept);
    syn::custom_keyword!(name);
    syn::custom_keyword!(load);
    syn::custom_keyword!(idempotent);
    syn::custom_keyword!(required);
    syn::custom_keyword!(audit);
}

/// `#[action(...)]` as written: each key once at most, with the tokens that set it.
#[derive(Default)]
pub(crate) struct ActionAttr {
    pub(crate) public: Option<kw::public>,
    pub(crate) auth: Option<kw::auth>,
    pub(crate) acl: Option<(kw::acl, LitStr)>,
    /// `tx`, or `tx(serializable)` with an isolation level.
    pub(crate) tx: Option<(kw::tx, Option<syn::Ident>)>,
    pub(crate) accept: Option<(kw::accept, LitStr)>,
    pub(crate) name: Option<(kw::name, LitStr)>,
    /// `load = path::to::fn`: loads the resource the ACL policy decides on.
    pub(crate) load: Option<(kw::load, syn::Path)>,
    /// `idempotent`, or `idempotent(required)` when a request without a key is refused.
    pub(crate) idempotent: Option<(kw::idempotent, Option<kw::required>)>,
    pub(crate) audit: Option<kw::audit>,
    /// Some key did not parse: a missing posture may just be that typo.
    pub(crate) had_errors: bool,
}

impl ActionAttr {
    /// Parses the attribute's arguments, recording every error in `errors`.
    pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> ActionAttr {
        let mut attr = ActionAttr::default();
        let parser = |input: ParseStream<'_>| {
            while !input.is_empty() {
                attr.parse_key(input, errors);
                if input.is_empty() {
                    break;
                }
                if let Err(error) = input.parse::<Token![,]>() {
                    errors.push(error);
                    skip_to_comma(input);
                    let _ = input.parse::<Option<Token![,]>>();
                }
            }
            Ok(())
        };
        if let Err(error) = parser.parse2(tokens) {
            errors.push(error);
        }
        attr
    }

    fn parse_key(&mut self, input: ParseStream<'_>, errors: &mut Errors) {
        let lookahead = input.lookahead1();
        let parsed = if lookahead.peek(kw::public) {
            input
                .parse()
                .map(|key| set_once(&mut self.public, key, "public", errors))
        } else if lookahead.peek(kw::auth) {
            input
                .parse()
                .map(|key| set_once(&mut self.auth, key, "auth", errors))
        } else if lookahead.peek(kw::tx) {
            tx_value(input).map(|pair| set_once(&mut self.tx, pair, "tx", errors))
        } else if lookahead.peek(kw::acl) {
            string_value(input, "acl", "\"post:update\"")
                .map(|pair| set_once(&mut self.acl, pair, "acl", errors))
        } else if lookahead.peek(kw::accept) {
            string_value(input, "accept", "\"json\" or \"form\"")
                .map(|pair| set_once(&mut self.accept, pair, "accept", errors))
        } else if lookahead.peek(kw::name) {
            string_value(input, "name", "\"publish\"")
                .map(|pair| set_once(&mut self.name, pair, "name", errors))
        } else if lookahead.peek(kw::load) {
            path_value(input).map(|pair| set_once(&mut self.load, pair, "load", errors))
        } else if lookahead.peek(kw::idempotent) {
            idempotent_value(input)
                .map(|pair| set_once(&mut self.idempotent, pair, "idempotent", errors))
        } else if lookahead.peek(kw::audit) {
            input
                .parse()
                .map(|key| set_once(&mut self.audit, key, "audit", errors))
        } else {
            Err(lookahead.error())
        };
        if let Err(error) = parsed {
            errors.push(error);
            self.had_errors = true;
            skip_to_comma(input);
        }
    }
}

/// Parses `tx` or `tx(level)`.
fn tx_value(input: ParseStream<'_>) -> syn::Result<(kw::tx, Option<syn::Ident>)> {
    let keyword: kw::tx = input.parse()?;
    if !input.peek(syn::token::Paren) {
        return Ok((keyword, None));
    }
    let content;
    syn::parenthesized!(content in input);
    let level: syn::Ident = content.parse()?;
    let known = actions_declare::Isolation::ALL
        .into_iter()
        .any(|known| level == known.name());
    if !known || !content.is_empty() {
        return Err(syn::Error::new(
            level.span(),
            "expected an isolation level: `tx(read_committed)`, `tx(repeatable_read)` or `tx(serializable)`",
        ));
    }
    Ok((keyword, Some(level)))
}

/// Parses `idempotent` or `idempotent(required)`.
fn idempotent_value(input: ParseStream<'_>) -> syn::Result<(kw::idempotent, Option<kw::required>)> {
    let keyword: kw::idempotent = input.parse()?;
    if !input.peek(syn::token::Paren) {
        return Ok((keyword, None));
    }
    let content;
    syn::parenthesized!(content in input);
    let tokens: TokenStream = content.parse()?;
    syn::parse2::<kw::required>(tokens.clone())
        .map(|required| (keyword, Some(required)))
        .map_err(|_| {
            syn::Error::new_spanned(
                tokens,
                "expected `idempotent` (the key is optional) or `idempotent(required)`",
            )
        })
}

/// Parses `key = "string"`, explaining the expected value when it is not a string literal.
fn string_value<K: syn::parse::Parse>(
    input: ParseStream<'_>,
    key: &str,
    example: &str,
) -> syn::Result<(K, LitStr)> {
    let keyword: K = input.parse()?;
    if !input.peek(Token![=]) {
        return Err(input.error(format!("expected `{key} = {example}`")));
    }
    input.parse::<Token![=]>()?;
    if input.peek(LitStr) {
        return Ok((keyword, input.parse()?));
    }
    let value: TokenStream = input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            tokens.extend([tt]);
            rest = next;
        }
        Ok((tokens, rest))
    })?;
    Err(syn::Error::new_spanned(
        value,
        format!("`{key}` takes a string, like `{key} = {example}`"),
    ))
}

/// Parses `load = path::to::fn`.
fn path_value(input: ParseStream<'_>) -> syn::Result<(kw::load, syn::Path)> {
    let keyword: kw::load = input.parse()?;
    if !input.peek(Token![=]) {
        return Err(input.error("expected `load = path::to::loader`"));
    }
    input.parse::<Token![=]>()?;
    let path = input.parse::<syn::Path>().map_err(|error| {
        syn::Error::new(
            error.span(),
            "`load` takes a function path, like `load = load_post`",
        )
    })?;
    Ok((keyword, path))
}

/// Stores a key the first time; a repeat is an error on the repeated key.
fn set_once<T: Spanned>(slot: &mut Option<T>, value: T, key: &str, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(value.span(), format!("`{key}` specified more than once"));
    } else {
        *slot = Some(value);
    }
}

/// Consumes tokens up to (not including) the next top-level comma, after an error.
fn skip_to_comma(input: ParseStream<'_>) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// The span of a parsed key, for "specified more than once".
pub(crate) trait Spanned {
    fn span(&self) -> proc_macro2::Span;
}

macro_rules! keyword_span {
    ($($kw:ident),*) => {$(
        impl Spanned for kw::$kw {
            fn span(&self) -> proc_macro2::Span {
                self.span
            }
        }
        impl Spanned for (kw::$kw, LitStr) {
            fn span(&self) -> proc_macro2::Span {
                self.0.span
            }
        }
    )*};
}
keyword_span!(public, auth, acl, tx, accept, name, audit);

impl Spanned for (kw::tx, Option<syn::Ident>) {
    fn span(&self) -> proc_macro2::Span {
        self.0.span
    }
}

impl Spanned for (kw::idempotent, Option<kw::required>) {
    fn span(&self) -> proc_macro2::Span {
        self.0.span
    }
}

impl Spanned for (kw::load, syn::Path) {
    fn span(&self) -> proc_macro2::Span {
        self.0.span
    }
}
