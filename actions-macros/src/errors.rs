//! Error collection: every check records its error and carries on, so one compile reports
//! every mistake, each on its own tokens.

use proc_macro2::TokenStream;
use std::fmt::Display;

/// The errors found so far while expanding one attribute.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records an error spanned on `tokens`.
    pub(crate) fn spanned(&mut self, tokens: impl quote::ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error at `span`.
    pub(crate) fn at(&mut self, span: proc_macro2::Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an already built error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<syn::Error> {
        self.errors
    }
}

/// Joins an expansion and its errors into the stream handed back to the compiler.
pub(crate) fn emit((tokens, errors): (TokenStream, Vec<syn::Error>)) -> proc_macro::TokenStream {
    let errors = errors.iter().map(syn::Error::to_compile_error);
    quote::quote!(#(#errors)* #tokens).into()
}
