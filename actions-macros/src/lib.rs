//! Procedural macros of `actions-runtime`. Depend on `actions-runtime`, which re-exports them;
//! the generated code names runtime items through `::actions_runtime::__private`.
//!
//! Each entry point hands `proc_macro2` streams to a module that returns the expansion together
//! with every error it found, so the logic is unit-testable without a compiler.

mod action;
mod errors;
mod grammar;
mod input;
mod private;
mod wire;

#[cfg(test)]
mod snapshot;

use proc_macro::TokenStream;

/// Declares a server action. See `actions_runtime::action`.
#[proc_macro_attribute]
pub fn action(attr: TokenStream, item: TokenStream) -> TokenStream {
    errors::emit(action::expand(attr.into(), item.into()))
}

/// Declares an action input type. See `actions_runtime::input`.
#[proc_macro_attribute]
pub fn input(attr: TokenStream, item: TokenStream) -> TokenStream {
    errors::emit(wire::expand(
        wire::Direction::Input,
        &attr.into(),
        item.into(),
        source_dir().as_deref(),
    ))
}

/// Declares an action output type. See `actions_runtime::output`.
#[proc_macro_attribute]
pub fn output(attr: TokenStream, item: TokenStream) -> TokenStream {
    errors::emit(wire::expand(
        wire::Direction::Output,
        &attr.into(),
        item.into(),
        source_dir().as_deref(),
    ))
}

/// The directory of the file the attribute is in: `schema = "…"` is relative to it, as
/// `include_str!` paths are.
fn source_dir() -> Option<std::path::PathBuf> {
    proc_macro::Span::call_site()
        .local_file()?
        .parent()
        .map(std::path::Path::to_path_buf)
}
