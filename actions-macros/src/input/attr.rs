//! The grammar of `#[input(...)]`:
//!
//! ```text
//! #[input]                                     a plain input
//! #[input(validate = path)]                    plus cross-field checks
//! #[input(table = path, insert | update | select,
//!         pick(col, …) | omit(col, …), default(col, …), server(col, …),
//!         schema = "src/schema.rs", validate = path)]
//! ```
//!
//! Every mistake is reported, each on its token (see `grammar`); whether the keys agree with
//! each other and with the table is `model`'s job.

use crate::errors::Errors;
use crate::grammar::{self, Key, key_list, key_value, kw, set_once};
use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::{Ident, LitStr, Path};

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
    /// Some key did not parse: a missing `table` may just be that mistake.
    pub(crate) had_errors: bool,
}

impl InputAttr {
    /// Parses the attribute's arguments, recording every error in `errors`.
    pub(crate) fn parse(tokens: &TokenStream, errors: &mut Errors) -> InputAttr {
        let mut attr = InputAttr::default();
        let all_parsed = grammar::parse_keys(tokens.clone(), errors, |input, errors| {
            attr.parse_key(input, errors)
        });
        attr.had_errors = !all_parsed;
        attr
    }

    fn parse_key(&mut self, input: ParseStream<'_>, errors: &mut Errors) -> syn::Result<()> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::table) {
            let (key, path) = key_value::<kw::table, _>(input, "a path", "schema::posts")?;
            set_once(&mut self.table, key, path, errors);
        } else if lookahead.peek(kw::insert) {
            self.set_flavor(input.parse::<kw::insert>()?, Flavor::Insert, errors);
        } else if lookahead.peek(kw::update) {
            self.set_flavor(input.parse::<kw::update>()?, Flavor::Update, errors);
        } else if lookahead.peek(kw::select) {
            self.set_flavor(input.parse::<kw::select>()?, Flavor::Select, errors);
        } else if lookahead.peek(kw::pick) {
            let (key, columns) = key_list::<kw::pick, _>(input, column)?;
            set_once(&mut self.pick, key, columns, errors);
        } else if lookahead.peek(kw::omit) {
            self.omit.extend(key_list::<kw::omit, _>(input, column)?.1);
        } else if lookahead.peek(kw::default) {
            self.defaults
                .extend(key_list::<kw::default, _>(input, column)?.1);
        } else if lookahead.peek(kw::server) {
            self.server
                .extend(key_list::<kw::server, _>(input, column)?.1);
        } else if lookahead.peek(kw::schema) {
            let (key, file) = key_value::<kw::schema, _>(input, "a string", "\"src/schema.rs\"")?;
            set_once(&mut self.schema, key, file, errors);
        } else if lookahead.peek(kw::validate) {
            let (key, path) =
                key_value::<kw::validate, _>(input, "a function path", "Self::check")?;
            set_once(&mut self.validate, key, path, errors);
        } else {
            return Err(lookahead.error());
        }
        Ok(())
    }

    /// `insert`, `update` or `select`: one of them, once.
    fn set_flavor<K: Key>(&mut self, key: K, flavor: Flavor, errors: &mut Errors) {
        if self.flavor.is_some() {
            errors.at(
                key.span(),
                format!(
                    "`{}`: an input has one flavour: insert, update or select",
                    K::NAME
                ),
            );
        } else {
            self.flavor = Some((flavor, key.span()));
        }
    }
}

/// A column name (`type` and other keywords included).
fn column(input: ParseStream<'_>) -> syn::Result<Ident> {
    syn::ext::IdentExt::parse_any(input)
}
