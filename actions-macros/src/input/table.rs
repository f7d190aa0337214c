//! The columns of a `table!`, read from the schema file.
//!
//! A macro cannot see another item, so the column *list* comes from the file `diesel
//! print-schema` writes. Everything the generated code relies on is then checked again through
//! the `table!` contract — each column's SQL type, its `SizeRestrictedColumn::MAX_LENGTH` — so
//! the compiler, not this reading, has the last word.

use std::path::{Path, PathBuf};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, Token, Type};

/// One column.
#[derive(Clone)]
pub(crate) struct Column {
    pub(crate) name: Ident,
    pub(crate) nullable: bool,
    pub(crate) max_length: Option<u64>,
    /// The SQL type as the schema file writes it (`Nullable<Text>`).
    pub(crate) sql_type: Type,
}

/// One table.
#[derive(Clone)]
pub(crate) struct Table {
    pub(crate) primary_key: Vec<String>,
    pub(crate) columns: Vec<Column>,
}

impl Table {
    pub(crate) fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Reads table `name` from the schema file at `path`.
pub(crate) fn load(path: &Path, name: &str) -> Result<Table, String> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read the schema file {}: {e}; point to it with `schema = \"…\"`",
            path.display()
        )
    })?;
    let file = syn::parse_file(&source)
        .map_err(|e| format!("cannot parse the schema file {}: {e}", path.display()))?;
    let mut tables = Vec::new();
    collect(&file.items, &mut tables);
    tables
        .into_iter()
        .find(|(table, _)| table == name)
        .map(|(_, table)| table)
        .ok_or_else(|| format!("no `table!` named `{name}` in {}", path.display()))
}

/// The schema file's path: `schema = "…"` relative to the file that declares the input (as
/// `include_str!` resolves paths), else `src/schema.rs` of the crate.
pub(crate) fn schema_path(
    written: Option<&str>,
    source_dir: Option<&Path>,
    manifest_dir: Option<&Path>,
) -> PathBuf {
    match (written, source_dir) {
        (Some(written), Some(dir)) => dir.join(written),
        (Some(written), None) => {
            manifest_dir.map_or_else(|| PathBuf::from(written), |m| m.join(written))
        }
        (None, _) => manifest_dir.map_or_else(
            || PathBuf::from("src/schema.rs"),
            |m| m.join("src/schema.rs"),
        ),
    }
}

fn collect(items: &[syn::Item], tables: &mut Vec<(String, Table)>) {
    for item in items {
        match item {
            syn::Item::Macro(mac)
                if mac
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "table") =>
            {
                if let Ok(found) = parse_table_macro.parse2(mac.mac.tokens.clone()) {
                    tables.extend(found);
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect(items, tables);
                }
            }
            _ => {}
        }
    }
}

/// `use …;`* then one or more `[schema.]name [(pk, …)] { column -> Type, … }`.
fn parse_table_macro(input: ParseStream<'_>) -> syn::Result<Vec<(String, Table)>> {
    while input.peek(Token![use]) {
        input.parse::<syn::ItemUse>()?;
    }
    let mut tables = Vec::new();
    while !input.is_empty() {
        input.call(Attribute::parse_outer)?;
        let mut name: Ident = input.parse()?;
        if input.peek(Token![.]) {
            input.parse::<Token![.]>()?;
            name = input.parse()?;
        }
        let primary_key = if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            content
                .parse_terminated(Ident::parse, Token![,])?
                .into_iter()
                .map(|i| i.to_string())
                .collect()
        } else {
            vec!["id".to_owned()]
        };
        let body;
        syn::braced!(body in input);
        let columns = body
            .parse_terminated(parse_column, Token![,])?
            .into_iter()
            .collect();
        tables.push((
            name.to_string(),
            Table {
                primary_key,
                columns,
            },
        ));
    }
    Ok(tables)
}

fn parse_column(input: ParseStream<'_>) -> syn::Result<Column> {
    let attrs = input.call(Attribute::parse_outer)?;
    let name: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    input.parse::<Token![->]>()?;
    let ty: Type = input.parse()?;
    let max_length = attrs
        .iter()
        .filter(|a| a.path().is_ident("max_length"))
        .find_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(n),
                    ..
                }) => n.base10_parse().ok(),
                _ => None,
            },
            _ => None,
        });
    Ok(Column {
        name,
        nullable: is_nullable(&ty),
        max_length,
        sql_type: ty,
    })
}

fn is_nullable(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Nullable"))
}

use syn::parse::Parse;

/// For tests: the tables of a schema given as tokens.
#[cfg(test)]
pub(crate) fn parse_tokens(tokens: proc_macro2::TokenStream) -> Vec<(String, Table)> {
    let file: syn::File = syn::parse2(tokens).expect("a file");
    let mut tables = Vec::new();
    collect(&file.items, &mut tables);
    tables
}

#[cfg(test)]
mod tests {
    use super::parse_tokens;
    use quote::quote;

    #[test]
    fn reads_print_schema_output() {
        let tables = parse_tokens(quote! {
            pub mod sql_types {
                #[derive(diesel::sql_types::SqlType)]
                pub struct Mood;
            }
            diesel::table! {
                use diesel::sql_types::*;
                use super::sql_types::Mood;

                /// People.
                people (person_id) {
                    person_id -> Int8,
                    #[max_length = 200]
                    name -> Varchar,
                    bio -> Nullable<Text>,
                    #[sql_name = "type"]
                    kind -> Mood,
                }
            }
            pub mod nested {
                diesel::table! { public.things { id -> Int4, } }
            }
            diesel::joinable!(a -> b (c));
        });
        assert_eq!(tables.len(), 2);
        let (name, people) = &tables[0];
        assert_eq!(name, "people");
        assert_eq!(people.primary_key, ["person_id"]);
        let summary: Vec<(String, bool, Option<u64>)> = people
            .columns
            .iter()
            .map(|c| (c.name.to_string(), c.nullable, c.max_length))
            .collect();
        assert_eq!(
            summary,
            [
                ("person_id".to_owned(), false, None),
                ("name".to_owned(), false, Some(200)),
                ("bio".to_owned(), true, None),
                ("kind".to_owned(), false, None),
            ]
        );
        assert_eq!(tables[1].0, "things");
        assert_eq!(tables[1].1.primary_key, ["id"]);
    }
}
