//! The grammar of `#[input(...)]`:
//!
//! ```text
//! #[input]                                     a plain input
//! #[input(validate = path)]                    plus cross-field checks
//! #[input(table = path, insert | update | select,
//!         pick(col, …) | omit(col, …), default(col, …), server(col, …),
//!         schema = "src/schema.rs", validate = path)]
//! ```

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr, Path, Token};

/// Which statement the input feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// A new row: nullable and `default(...)` columns optional, the primary key left out.
    Insert,
    /// A patch: every column optional; a nullable column can be set to null.
    Update,
    /// A whole row: every column required.
    Select,
}

impl Flavor {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Flavor::Insert => "insert",
            Flavor::Update => "update",
            Flavor::Select => "select",
        }
    }
}

/// `#[input(...)]` as written.
#[derive(Default)]
pub(crate) struct InputAttr {
    pub(crate) table: Option<Path>,
    pub(crate) flavor: Option<(Flavor, Span)>,
    pub(crate) pick: Option<Vec<Ident>>,
    pub(crate) omit: Vec<Ident>,
    pub(crate) defaults: Vec<Ident>,
    pub(crate) server: Vec<Ident>,
    pub(crate) schema: Option<LitStr>,
    pub(crate) validate: Option<Path>,
}

impl InputAttr {
    pub(crate) fn parse(tokens: &TokenStream, errors: &mut Errors) -> InputAttr {
        let mut attr = InputAttr::default();
        if tokens.is_empty() {
            return attr;
        }
        let parser = syn::meta::parser(|meta| attr.parse_key(&meta));
        if let Err(error) = syn::parse::Parser::parse2(parser, tokens.clone()) {
            errors.push(error);
        }
        attr
    }

    fn parse_key(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let once = |present: bool, key: &str| {
            if present {
                Err(meta.error(format!("`{key}` specified more than once")))
            } else {
                Ok(())
            }
        };
        let flavor = [
            ("insert", Flavor::Insert),
            ("update", Flavor::Update),
            ("select", Flavor::Select),
        ]
        .into_iter()
        .find(|(name, _)| meta.path.is_ident(name));
        if let Some((name, flavor)) = flavor {
            if self.flavor.is_some() {
                return Err(meta.error(format!(
                    "`{name}`: an input has one flavour: insert, update or select"
                )));
            }
            self.flavor = Some((flavor, meta.path.segments[0].ident.span()));
        } else if meta.path.is_ident("table") {
            once(self.table.is_some(), "table")?;
            self.table = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("schema") {
            once(self.schema.is_some(), "schema")?;
            self.schema = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("validate") {
            once(self.validate.is_some(), "validate")?;
            self.validate = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("pick") {
            once(self.pick.is_some(), "pick")?;
            self.pick = Some(columns(meta)?);
        } else if meta.path.is_ident("omit") {
            self.omit.extend(columns(meta)?);
        } else if meta.path.is_ident("default") {
            self.defaults.extend(columns(meta)?);
        } else if meta.path.is_ident("server") {
            self.server.extend(columns(meta)?);
        } else {
            return Err(meta.error(
                "expected one of: `table`, `insert`, `update`, `select`, `pick`, `omit`, `default`, `server`, `schema`, `validate`",
            ));
        }
        Ok(())
    }
}

/// `(a, b, c)`: column names.
fn columns(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let names = content.parse_terminated(syn::ext::IdentExt::parse_any, Token![,])?;
    Ok(names.into_iter().collect())
}
