//! The one path generated code names runtime items through, `::actions_runtime::__private`,
//! which re-exports everything an expansion touches, so it works whatever the user imported or
//! renamed. Written here once, as tokens and as the strings serde and schemars attributes take.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote_spanned;

/// The runtime crate, as users depend on it.
pub(crate) const CRATE: &str = "actions_runtime";
/// Its hidden module.
const MODULE: &str = "__private";

/// `::actions_runtime::__private`.
pub(crate) fn path() -> TokenStream {
    path_at(Span::call_site())
}

/// `::actions_runtime::__private`, spanned at `span` (so an error in the path it starts points
/// at the user's tokens).
pub(crate) fn path_at(span: Span) -> TokenStream {
    let krate = Ident::new(CRATE, span);
    let module = Ident::new(MODULE, span);
    quote_spanned!(span=> ::#krate::#module)
}

/// `"::actions_runtime::__private::<item>"`, for `#[serde(crate = "…")]`,
/// `deserialize_with = "…"` and the like.
pub(crate) fn path_str(item: &str) -> String {
    format!("::{CRATE}::{MODULE}::{item}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_and_strings_agree() {
        let tokens = super::path().to_string().replace(' ', "");
        assert_eq!(format!("{tokens}::serde"), super::path_str("serde"));
    }
}
