//! `#[action(...)]`: attribute grammar (`attr`), signature (`sig`), their validation
//! (`validate`) and code generation (`expand`), in that order.

mod attr;
mod expand;
mod sig;
mod validate;

#[cfg(test)]
mod tests;

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};

/// Expands `#[action(attr)] item`, returning the code and every error found.
///
/// After an error the function is still emitted, with a stand-in handle, so that one mistake
/// produces one error rather than a cascade from code that uses the action.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> (TokenStream, Vec<syn::Error>) {
    let mut errors = Errors::default();
    let parsed_attr = attr::ActionAttr::parse(attr, &mut errors);
    let item_fn = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(_) => {
            errors.at(
                Span::call_site(),
                format!("#[action] applies to an `async fn`; {}", sig::USAGE),
            );
            return (item, errors.into_vec());
        }
    };
    let sig = sig::check(&item_fn, &mut errors);
    let handle = match validate::validate(&parsed_attr, sig, &mut errors) {
        Some(action) if errors.is_empty() => expand::handle(&action, &item_fn.vis),
        _ => expand::stand_in(&item_fn.sig.ident, &item_fn.vis),
    };
    (expand::output(&item_fn, &handle), errors.into_vec())
}
