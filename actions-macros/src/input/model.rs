//! What an input is, once its attribute, its fields and (for derived inputs) its table agree:
//! the final fields, each with its type, rules, wire name and whether it must be sent.
//! Every mismatch is an error on the offending tokens.

use super::attr::{Flavor, InputAttr};
use super::field::FieldRules;
use super::table::{self, Table};
use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::{Attribute, Fields, Ident, Type, Visibility};

/// An input derived from a table.
pub(crate) struct TableInput {
    pub(crate) path: syn::Path,
    pub(crate) flavor: Flavor,
    pub(crate) primary_key: Vec<String>,
    /// The schema file for `include_bytes!`, as written (relative to the declaring file, which
    /// is how `include_bytes!` resolves it too) or the crate's `src/schema.rs`.
    pub(crate) schema_include: TokenStream,
}

/// How a field's value is read from JSON, beyond its type's own `Deserialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// As the type says (an `Option` may be absent).
    Plain,
    /// Update of a NOT NULL column: absent leaves it, `null` is refused.
    SomeIfPresent,
    /// Update of a nullable column: absent leaves it, `null` clears it.
    DoubleOption,
    /// Select of a nullable column: must be sent, may be `null`.
    RequiredNullable,
    /// `#[serde(default)]`: absent is `Default::default()`.
    Default,
}

/// A column a field maps to.
pub(crate) struct ColumnField {
    pub(crate) name: Ident,
    pub(crate) max_length: Option<u64>,
    /// The type the user wrote, to check against the column (`None` when derived from `_`).
    pub(crate) written_value_ty: Option<Type>,
    /// The Rust type read from the schema file's SQL type, for a field typed `_` (`None` when
    /// the SQL type is not one the macro knows: the field is then `Wire<…>`).
    pub(crate) derived_ty: Option<TokenStream>,
}

/// One field of the final struct.
pub(crate) struct InputField {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) ty: TokenStream,
    /// The type inside the presence wrapper (`T` of `Option<T>` for `SomeIfPresent`).
    pub(crate) value_ty: TokenStream,
    pub(crate) presence: Presence,
    pub(crate) column: Option<ColumnField>,
    pub(crate) rules: FieldRules,
    /// Whether the value may be `null` (so `one_of` admits it).
    pub(crate) nullable: bool,
    pub(crate) wire_name: String,
    /// A serde attribute the field-by-field decoder does not follow (`flatten`,
    /// `deserialize_with`, …): the type's own `Deserialize` decodes the whole input instead.
    pub(crate) opaque: bool,
}

/// A validated struct input.
pub(crate) struct InputModel {
    pub(crate) table: Option<TableInput>,
    pub(crate) fields: Vec<InputField>,
    pub(crate) validate: Option<syn::Path>,
}

/// Builds the model of `#[input(attr)] input`, recording every problem.
pub(crate) fn build(
    attr: InputAttr,
    input: &mut syn::DeriveInput,
    source_dir: Option<&Path>,
    errors: &mut Errors,
) -> Option<InputModel> {
    let syn::Data::Struct(data) = &mut input.data else {
        return None;
    };
    let written: Vec<syn::Field> = match &mut data.fields {
        Fields::Named(named) => named.named.iter().cloned().collect(),
        Fields::Unit => Vec::new(),
        Fields::Unnamed(unnamed) => {
            errors.at(
                unnamed.paren_token.span.join(),
                "#[input] needs named fields",
            );
            return None;
        }
    };
    let Some(table_path) = attr.table.clone() else {
        report_table_keys_without_table(&attr, errors);
        let fields = written
            .into_iter()
            .map(|field| plain_field(field, errors))
            .collect();
        return Some(InputModel {
            table: None,
            fields,
            validate: attr.validate,
        });
    };
    let (table, fields) = derive(&attr, &table_path, source_dir, written, errors)?;
    Some(InputModel {
        table: Some(table),
        fields,
        validate: attr.validate,
    })
}

/// The table of an input with `table = path` and its fields: the flavour stated, the table
/// read from the schema file, the fields agreeing with it.
fn derive(
    attr: &InputAttr,
    table_path: &syn::Path,
    source_dir: Option<&Path>,
    written: Vec<syn::Field>,
    errors: &mut Errors,
) -> Option<(TableInput, Vec<InputField>)> {
    let Some((flavor, _)) = attr.flavor else {
        errors.spanned(
            table_path,
            "say which statement the input feeds: add `insert`, `update` or `select`",
        );
        return None;
    };
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let schema_file = table::schema_path(
        attr.schema.as_ref().map(syn::LitStr::value).as_deref(),
        source_dir,
        manifest_dir.as_deref(),
    );
    let table = match table::load(&schema_file, &path_tail(table_path)) {
        Ok(table) => table,
        Err(message) => {
            errors.spanned(table_path, message);
            return None;
        }
    };
    let derivation = Derivation {
        attr,
        table_path,
        flavor,
        table: &table,
    };
    let fields = derivation.fields(written, errors)?;
    let table = TableInput {
        path: table_path.clone(),
        flavor,
        primary_key: table.primary_key.clone(),
        schema_include: match &attr.schema {
            Some(written) => quote!(#written),
            None => quote!(::core::concat!(
                ::core::env!("CARGO_MANIFEST_DIR"),
                "/src/schema.rs"
            )),
        },
    };
    Some((table, fields))
}

/// Keys that need `table = …` when there is none (unless a key that did not parse, already
/// reported, may have been the table).
fn report_table_keys_without_table(attr: &InputAttr, errors: &mut Errors) {
    if attr.had_errors {
        return;
    }
    if let Some((flavor, span)) = attr.flavor {
        errors.at(span, format!("`{}` needs `table = …`", flavor.name()));
    }
    for (name, list) in [
        ("pick", attr.pick.as_deref().unwrap_or_default()),
        ("omit", &attr.omit),
        ("default", &attr.defaults),
        ("server", &attr.server),
    ] {
        if let Some(first) = list.first() {
            errors.spanned(first, format!("`{name}(…)` needs `table = …`"));
        }
    }
}

/// A field of a plain input: kept as written.
fn plain_field(mut field: syn::Field, errors: &mut Errors) -> InputField {
    let rules = FieldRules::take(&mut field.attrs, errors);
    let ident = field
        .ident
        .clone()
        .unwrap_or_else(|| Ident::new("_", Span::call_site()));
    if matches!(field.ty, Type::Infer(_)) {
        errors.spanned(
            &field.ty,
            "a field typed `_` takes its type from a column: add `table = …` to #[input]",
        );
    }
    check_rule_combinations(&rules, errors);
    let ty = field.ty.to_token_stream();
    let default = has_serde(&field.attrs, "default");
    InputField {
        wire_name: wire_name(&field.attrs, &ident),
        opaque: !serde_attrs_followed(&field.attrs),
        nullable: is_option(&field.ty),
        attrs: field.attrs,
        vis: field.vis,
        ident,
        value_ty: ty.clone(),
        ty,
        presence: if default {
            Presence::Default
        } else {
            Presence::Plain
        },
        column: None,
        rules,
    }
}

/// A derived input: what the attribute asks of `table`.
struct Derivation<'a> {
    attr: &'a InputAttr,
    table_path: &'a syn::Path,
    flavor: Flavor,
    table: &'a Table,
}

/// The fields as written, sorted: those naming a column, and the others.
struct Written {
    columns: Vec<(String, syn::Field)>,
    extra: Vec<syn::Field>,
}

/// Whether `list` (a `pick(…)`, `omit(…)`, … of the attribute) names column `name`.
fn names(list: &[Ident], name: &str) -> bool {
    list.iter().any(|i| i == name)
}

impl Derivation<'_> {
    /// The fields of the input: its columns, in the table's order, then the extra fields.
    fn fields(&self, written: Vec<syn::Field>, errors: &mut Errors) -> Option<Vec<InputField>> {
        let errors_before = !errors.is_empty();
        self.check_listed_columns(errors);
        let written = self.sort_written(written, errors)?;
        let included = self.included_columns(&written);
        if self.flavor == Flavor::Insert {
            self.check_insert_covers(&included, errors);
        }
        if !errors.is_empty() && !errors_before {
            return None;
        }
        let mut fields = Vec::new();
        for column in included {
            let name = column.name.to_string();
            let field = written
                .columns
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| f.clone());
            fields.push(self.column_field(column, field, errors));
        }
        for field in written.extra {
            fields.push(plain_field(field, errors));
        }
        Some(fields)
    }

    /// An error on `ident` unless it names a column.
    fn check_column(&self, ident: &Ident, errors: &mut Errors) {
        if self.table.column(&ident.to_string()).is_none() {
            let names: Vec<String> = self
                .table
                .columns
                .iter()
                .map(|c| c.name.to_string())
                .collect();
            errors.spanned(
                ident,
                format!(
                    "no column `{ident}` in table `{}`; its columns are: {}",
                    path_tail(self.table_path),
                    names.join(", ")
                ),
            );
        }
    }

    /// The columns `pick`, `omit`, `default` and `server` name exist, and `server` is not
    /// asked of a select.
    fn check_listed_columns(&self, errors: &mut Errors) {
        let attr = self.attr;
        for ident in attr
            .pick
            .iter()
            .flatten()
            .chain(&attr.omit)
            .chain(&attr.defaults)
            .chain(&attr.server)
        {
            self.check_column(ident, errors);
        }
        if self.flavor == Flavor::Select && !attr.server.is_empty() {
            errors.spanned(
                &attr.server[0],
                "`server(…)` columns are set by the handler on insert or update, not selected",
            );
        }
    }

    /// Fields as written: columns (derived when typed `_`), which the request may send, and
    /// extra fields. A field typed `_` must name a column.
    fn sort_written(&self, written: Vec<syn::Field>, errors: &mut Errors) -> Option<Written> {
        let attr = self.attr;
        let mut sorted = Written {
            columns: Vec::new(),
            extra: Vec::new(),
        };
        for field in written {
            let ident = field.ident.clone()?;
            let name = syn::ext::IdentExt::unraw(&ident).to_string();
            if self.table.column(&name).is_some() {
                if names(&attr.server, &name) {
                    errors.spanned(&ident, format!("`{name}` is set by the server (`server({name})`), so the request cannot send it; for a request field the handler turns into that column, use another Rust name (`#[serde(rename = \"{wire}\")]` keeps the wire name)", wire = camel_case(&name)));
                } else if names(&attr.omit, &name) {
                    errors.spanned(
                        &ident,
                        format!("`{name}` is both a field and omitted by `omit({name})`"),
                    );
                }
                sorted.columns.push((name, field));
            } else if matches!(field.ty, Type::Infer(_)) {
                self.check_column(&ident, errors);
            } else {
                sorted.extra.push(field);
            }
        }
        Some(sorted)
    }

    /// The columns the input carries, in the table's order: those written, picked (all without
    /// `pick`), less those omitted, set by the server, or an insert's generated key.
    fn included_columns(&self, written: &Written) -> Vec<&table::Column> {
        let attr = self.attr;
        let table = self.table;
        table
            .columns
            .iter()
            .filter(|column| {
                let name = column.name.to_string();
                let is_written = written.columns.iter().any(|(n, _)| *n == name);
                let is_picked = attr.pick.as_ref().is_some_and(|p| names(p, &name));
                let picked = attr.pick.is_none() || is_picked || is_written;
                let skipped_key = self.flavor == Flavor::Insert
                    && table.primary_key.contains(&name)
                    && !is_written
                    && !is_picked;
                picked && !skipped_key && !names(&attr.omit, &name) && !names(&attr.server, &name)
            })
            .collect()
    }

    /// An insert gives every NOT NULL column but the key: from the request, the database
    /// (`default(…)`) or the handler (`server(…)`).
    fn check_insert_covers(&self, included: &[&table::Column], errors: &mut Errors) {
        let (attr, table) = (self.attr, self.table);
        let missing: Vec<String> = table
            .columns
            .iter()
            .filter(|column| !column.nullable)
            .map(|column| column.name.to_string())
            .filter(|name| {
                !included.iter().any(|c| c.name == name)
                    && !table.primary_key.contains(name)
                    && !names(&attr.defaults, name)
                    && !names(&attr.server, name)
            })
            .collect();
        if missing.is_empty() {
            return;
        }
        let (s, them) = if missing.len() == 1 {
            ("", "it")
        } else {
            ("s", "them")
        };
        let span = attr.flavor.map_or_else(Span::call_site, |(_, span)| span);
        errors.at(
            span,
            format!(
                "the insert leaves out NOT NULL column{s} {} of `{}`: add {them} to the input, mark {them} `default(…)` (the database fills it) or `server(…)` (the handler sets it)",
                missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
                path_tail(self.table_path),
            ),
        );
    }

    /// The field of `column`, as written (`written`) or derived whole.
    fn column_field(
        &self,
        column: &table::Column,
        written: Option<syn::Field>,
        errors: &mut Errors,
    ) -> InputField {
        let (mut attrs, vis, ident, written_ty) = match written {
            Some(field) => (
                field.attrs,
                field.vis,
                field.ident.unwrap_or_else(|| column.name.clone()),
                Some(field.ty),
            ),
            None => (
                Vec::new(),
                Visibility::Public(Default::default()),
                column.name.clone(),
                None,
            ),
        };
        let rules = FieldRules::take(&mut attrs, errors);
        check_rule_combinations(&rules, errors);
        let name = column.name.to_string();
        let is_key = self.table.primary_key.contains(&name);
        let presence = match (self.flavor, column.nullable) {
            // An update's primary key names the row: required, and not part of the changeset.
            (Flavor::Update, _) if is_key => Presence::Plain,
            (Flavor::Update, true) => Presence::DoubleOption,
            (Flavor::Update, false) => Presence::SomeIfPresent,
            (Flavor::Select, true) => Presence::RequiredNullable,
            _ => Presence::Plain,
        };
        let optional = match self.flavor {
            Flavor::Insert => names(&self.attr.defaults, &name) && !column.nullable,
            Flavor::Update => !is_key,
            Flavor::Select => false,
        };
        let types = self.column_types(column, written_ty.as_ref(), optional, errors);
        InputField {
            wire_name: wire_name(&attrs, &ident),
            opaque: false,
            nullable: column.nullable,
            attrs,
            vis,
            ident,
            value_ty: types.value_ty,
            ty: types.ty,
            presence,
            column: Some(ColumnField {
                name: column.name.clone(),
                max_length: column.max_length,
                derived_ty: types.derived_ty,
                written_value_ty: types.written_value_ty,
            }),
            rules,
        }
    }

    /// The types of `column`'s field: as written (an `Option` when the flavour makes it
    /// optional), or, for `_`, the Rust type read from the schema file (else `Wire<SqlType>`).
    fn column_types(
        &self,
        column: &table::Column,
        written: Option<&Type>,
        optional: bool,
        errors: &mut Errors,
    ) -> ColumnTypes {
        // Spanned on the `_` written, if any, so a SQL type with no Rust type is reported there.
        let span = written.map_or_else(Span::call_site, |ty| ty.span());
        let written = written.filter(|ty| !matches!(ty, Type::Infer(_)));
        let derived_ty = super::sql::rust_type(&column.sql_type, &crate::private::path());
        let Some(ty) = written else {
            let base = derived_ty
                .clone()
                .unwrap_or_else(|| self.wire_type(column, span));
            let ty = if optional {
                quote!(::core::option::Option<#base>)
            } else {
                base.clone()
            };
            return ColumnTypes {
                value_ty: base,
                ty,
                written_value_ty: None,
                derived_ty,
            };
        };
        let value_ty = if optional {
            let inner = option_inner(ty);
            if inner.is_none() {
                errors.spanned(ty, format!("`{}` is optional in {} input: declare it `Option<…>`, or leave its type as `_`", column.name, article(self.flavor)));
            }
            inner
        } else {
            Some(ty)
        };
        ColumnTypes {
            value_ty: value_ty.unwrap_or(ty).to_token_stream(),
            ty: ty.to_token_stream(),
            written_value_ty: value_ty.cloned(),
            derived_ty: None,
        }
    }

    /// `Wire<SqlType>` of `column`: the Rust type its SQL type travels as, for a SQL type the
    /// macro does not know (an enum of the app's).
    fn wire_type(&self, column: &table::Column, span: Span) -> TokenStream {
        let (table_path, col) = (self.table_path, &column.name);
        let private = crate::private::path_at(span);
        let sql_type =
            quote_spanned!(span=> <#table_path::#col as #private::diesel::Expression>::SqlType);
        quote_spanned!(span=> #private::Wire<#sql_type>)
    }
}

/// A column field's types.
struct ColumnTypes {
    /// Inside the presence wrapper.
    value_ty: TokenStream,
    /// The field's.
    ty: TokenStream,
    /// As written, to check against the column.
    written_value_ty: Option<Type>,
    /// Read from the schema file, for a field typed `_`.
    derived_ty: Option<TokenStream>,
}

/// Combinations the JSON Schema cannot state the way the server checks them.
fn check_rule_combinations(rules: &FieldRules, errors: &mut Errors) {
    if rules.lowercase && (rules.one_of.is_some() || rules.pattern.is_some()) {
        errors.at(Span::call_site(), "`lowercase` cannot be combined with `one_of` or `pattern`: the JSON Schema could not say that case is ignored");
    }
}

fn article(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Insert => "an insert",
        Flavor::Update => "an update",
        Flavor::Select => "a select",
    }
}

fn path_tail(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// `T` of `Option<T>`.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

fn is_option(ty: &Type) -> bool {
    option_inner(ty).is_some()
}

/// Whether the field-by-field decoder honours every `#[serde(...)]` key on the field: the wire
/// name (`rename`), a bare `default`, and what only serialization reads.
fn serde_attrs_followed(attrs: &[Attribute]) -> bool {
    const FOLLOWED: [&str; 4] = [
        "rename",
        "skip_serializing_if",
        "skip_serializing",
        "serialize_with",
    ];
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .all(|a| {
            a.parse_nested_meta(|meta| {
                let bare_default = meta.path.is_ident("default") && meta.input.is_empty()
                    || meta.path.is_ident("default") && meta.input.peek(syn::Token![,]);
                if bare_default || FOLLOWED.iter().any(|key| meta.path.is_ident(key)) {
                    if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse::<syn::Expr>()?;
                    }
                    Ok(())
                } else {
                    Err(meta.error("not followed"))
                }
            })
            .is_ok()
        })
}

/// Whether `#[serde(...)]` on the field contains `word`.
fn has_serde(attrs: &[Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                found |= meta.path.is_ident(word);
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            });
            found
        })
}

/// The field's name on the wire: `#[serde(rename = "…")]`, else camelCase as serde writes it.
fn wire_name(attrs: &[Attribute], ident: &Ident) -> String {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut rename = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
        if let Some(rename) = rename {
            return rename;
        }
    }
    camel_case(&syn::ext::IdentExt::unraw(ident).to_string())
}

/// serde's `rename_all = "camelCase"` for a field name.
pub(crate) fn camel_case(field: &str) -> String {
    let mut pascal = String::new();
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    match pascal.chars().next() {
        Some(first) => first.to_ascii_lowercase().to_string() + &pascal[first.len_utf8()..],
        None => pascal,
    }
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn camel_case_like_serde() {
        assert_eq!(camel_case("author_id"), "authorId");
        assert_eq!(camel_case("initial_deposit"), "initialDeposit");
        assert_eq!(camel_case("x2_y"), "x2Y");
        assert_eq!(camel_case("title"), "title");
    }
}
