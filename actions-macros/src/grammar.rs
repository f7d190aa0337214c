//! What the three attribute grammars — `#[action(…)]`, `#[input(…)]` and `#[field(…)]` — share:
//! their keywords, declared once, and one way to read a list of keys.
//!
//! Every key is read by its attribute's own `parse_key`, which picks it with `lookahead1()` (so
//! an unknown key says "expected one of: …" on its token) and records what it read. A key that
//! does not parse is reported on its tokens and skipped up to the next comma, and a key given
//! twice is reported on the second one, so one compile reports every mistake of the attribute.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::Token;
use syn::parse::{Parse, ParseStream, Parser};

/// A keyword of one of the grammars.
pub(crate) trait Key: Parse + Copy {
    /// As written.
    const NAME: &'static str;
    /// Where it was written.
    fn span(&self) -> Span;
}

macro_rules! keywords {
    ($($kw:ident),* $(,)?) => {
        /// Every keyword of the three grammars.
        pub(crate) mod kw {
            $(syn::custom_keyword!($kw);)*
        }
        $(
            impl Key for kw::$kw {
                const NAME: &'static str = stringify!($kw);
                fn span(&self) -> Span {
                    self.span
                }
            }
        )*
    };
}

keywords! {
    // #[action(…)]
    public, auth, acl, tx, accept, name, load, idempotent, required, audit, redirect,
    // #[input(…)]
    table, insert, update, select, pick, omit, default, server, schema, validate,
    // #[field(…)]
    trim, lowercase, email, url, uuid, min_length, max_length, min, max, pattern, one_of, custom,
}

/// Reads `key, key = value, key(…), …` with `key`, which reads one key and records it.
/// Returns whether every key parsed: a key that did not was reported, and may have been the
/// one a later check misses (a misspelt `public` is not a missing posture).
pub(crate) fn parse_keys(
    tokens: TokenStream,
    errors: &mut Errors,
    mut key: impl FnMut(ParseStream<'_>, &mut Errors) -> syn::Result<()>,
) -> bool {
    let mut all_parsed = true;
    let parser = |input: ParseStream<'_>| {
        while !input.is_empty() {
            if let Err(error) = key(input, errors) {
                errors.push(error);
                all_parsed = false;
                tokens_to_comma(input);
            }
            if input.is_empty() {
                break;
            }
            if let Err(error) = input.parse::<Token![,]>() {
                errors.push(error);
                all_parsed = false;
                tokens_to_comma(input);
                let _ = input.parse::<Option<Token![,]>>();
            }
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(tokens) {
        errors.push(error);
        all_parsed = false;
    }
    all_parsed
}

/// Stores what key `key` set, the first time; a repeat is an error on the repeated key.
pub(crate) fn set_once<K: Key, V>(slot: &mut Option<V>, key: K, value: V, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(
            key.span(),
            format!("`{}` specified more than once", K::NAME),
        );
    } else {
        *slot = Some(value);
    }
}

/// A flag given once: `true` the first time, an error on the repeat.
pub(crate) fn set_flag<K: Key>(slot: &mut bool, key: K, errors: &mut Errors) {
    if *slot {
        errors.at(
            key.span(),
            format!("`{}` specified more than once", K::NAME),
        );
    }
    *slot = true;
}

/// `key = value`, where `value` is `what` (`"a string"`), like `example`: the key, and the value
/// when it parses up to the next comma. A value that does not is one error on all its tokens.
pub(crate) fn key_value<K: Key, V: Parse>(
    input: ParseStream<'_>,
    what: &str,
    example: &str,
) -> syn::Result<(K, V)> {
    let key: K = input.parse()?;
    if !input.peek(Token![=]) {
        return Err(input.error(format!("expected `{} = {example}`", K::NAME)));
    }
    input.parse::<Token![=]>()?;
    let fork = input.fork();
    if fork.parse::<V>().is_ok() && (fork.is_empty() || fork.peek(Token![,])) {
        return Ok((key, input.parse()?));
    }
    let message = format!("`{}` takes {what}, like `{} = {example}`", K::NAME, K::NAME);
    let value = tokens_to_comma(input);
    Err(if value.is_empty() {
        input.error(message)
    } else {
        syn::Error::new_spanned(value, message)
    })
}

/// `key(a, b, …)`: the key and the items, each read by `item`.
pub(crate) fn key_list<K: Key, T>(
    input: ParseStream<'_>,
    item: fn(ParseStream<'_>) -> syn::Result<T>,
) -> syn::Result<(K, Vec<T>)> {
    let key: K = input.parse()?;
    if !input.peek(syn::token::Paren) {
        return Err(input.error(format!("expected `{}(…)`", K::NAME)));
    }
    let content;
    syn::parenthesized!(content in input);
    let items = content.parse_terminated(item, Token![,])?;
    Ok((key, items.into_iter().collect()))
}

/// `key` or `key(…)`: the key and what is in the parentheses, if any.
pub(crate) fn key_with_optional_args<K: Key>(
    input: ParseStream<'_>,
) -> syn::Result<(K, Option<TokenStream>)> {
    let key: K = input.parse()?;
    if !input.peek(syn::token::Paren) {
        return Ok((key, None));
    }
    let content;
    syn::parenthesized!(content in input);
    Ok((key, Some(content.parse()?)))
}

/// Consumes the tokens up to (not including) the next top-level comma, returning them.
fn tokens_to_comma(input: ParseStream<'_>) -> TokenStream {
    input
        .step(|cursor| {
            let mut rest = *cursor;
            let mut tokens = TokenStream::new();
            while let Some((tt, next)) = rest.token_tree() {
                if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                    break;
                }
                tokens.extend([tt]);
                rest = next;
            }
            Ok((tokens, rest))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{Key, kw, parse_keys, set_flag, set_once};
    use crate::errors::Errors;
    use quote::quote;

    /// `a, b = 1` style lists: every mistake is reported, each key read once.
    #[test]
    fn every_mistake_of_a_list_is_reported() {
        let mut errors = Errors::default();
        let mut trim = false;
        let mut min = None;
        let all_parsed = parse_keys(
            quote!(trim, bogus, trim, min = 1 2, min = 3, min = 4),
            &mut errors,
            |input, errors| {
                let lookahead = input.lookahead1();
                if lookahead.peek(kw::trim) {
                    set_flag(&mut trim, input.parse::<kw::trim>()?, errors);
                } else if lookahead.peek(kw::min) {
                    let (key, value) =
                        super::key_value::<kw::min, syn::LitInt>(input, "a number", "0")?;
                    set_once(&mut min, key, value, errors);
                } else {
                    return Err(lookahead.error());
                }
                Ok(())
            },
        );
        assert!(!all_parsed);
        let messages: Vec<String> = errors.into_vec().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "expected `trim` or `min`",
                "`trim` specified more than once",
                "`min` takes a number, like `min = 0`",
                "`min` specified more than once",
            ]
        );
        assert_eq!(min.map(|m| m.to_string()).as_deref(), Some("3"));
        assert_eq!(<kw::one_of as Key>::NAME, "one_of");
    }
}
