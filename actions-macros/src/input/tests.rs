//! Derived inputs: expansions of each flavour, and each mismatch with the table.

use crate::snapshot::{assert_expansion, error_messages};
use crate::wire::{Direction, expand};
use proc_macro2::TokenStream;
use quote::quote;

fn input(attr: &TokenStream, item: TokenStream) -> (TokenStream, Vec<syn::Error>) {
    expand(Direction::Input, attr, item, None)
}

#[test]
fn insert_with_rules_and_server_columns() {
    assert_expansion(
        "input_table_insert",
        input(
            &quote!(
                table = schema::users,
                insert,
                default(role),
                server(created_at),
                schema = "tests/fixtures/schema.rs"
            ),
            quote! {
                /// Signs a user up.
                pub struct SignUp {
                    #[field(trim, email)]
                    pub email: _,
                    #[field(trim, min_length = 1)]
                    pub name: _,
                    #[field(min_length = 8, max_length = 128)]
                    pub password: String,
                }
            },
        ),
    );
}

#[test]
fn update_patch() {
    assert_expansion(
        "input_table_update",
        input(
            &quote!(
                table = schema::users,
                update,
                pick(id, name, bio),
                schema = "tests/fixtures/schema.rs"
            ),
            quote!(
                pub struct EditUser;
            ),
        ),
    );
}

#[test]
fn select_all() {
    assert_expansion(
        "input_table_select",
        input(
            &quote!(
                table = schema::users,
                select,
                omit(created_at),
                schema = "tests/fixtures/schema.rs"
            ),
            quote! {
                pub struct UserRow {
                    #[field(one_of("user", "admin"))]
                    pub role: _,
                    #[field(min = 0, max = 150)]
                    pub age: _,
                }
            },
        ),
    );
}

fn messages(attr: &TokenStream, item: TokenStream) -> Vec<String> {
    error_messages(input(attr, item))
}

#[test]
fn unknown_columns() {
    let found = messages(
        &quote!(
            table = schema::users,
            update,
            pick(id, nickname),
            schema = "tests/fixtures/schema.rs"
        ),
        quote!(
            pub struct X {
                pub shoe_size: _,
            }
        ),
    );
    let columns = "its columns are: id, email, name, bio, age, role, created_at";
    assert_eq!(
        found,
        [
            format!("no column `nickname` in table `users`; {columns}"),
            format!("no column `shoe_size` in table `users`; {columns}")
        ]
    );
}

#[test]
fn insert_must_cover_not_null_columns() {
    let found = messages(
        &quote!(
            table = schema::users,
            insert,
            pick(email),
            schema = "tests/fixtures/schema.rs"
        ),
        quote!(
            pub struct X;
        ),
    );
    assert_eq!(
        found,
        [
            "the insert leaves out NOT NULL columns `name`, `role`, `created_at` of `users`: add them to the input, mark them `default(…)` (the database fills it) or `server(…)` (the handler sets it)"
        ]
    );
}

#[test]
fn server_columns_cannot_be_sent() {
    let found = messages(
        &quote!(
            table = schema::users,
            insert,
            server(created_at),
            default(role),
            schema = "tests/fixtures/schema.rs"
        ),
        quote!(
            pub struct X {
                pub created_at: _,
            }
        ),
    );
    assert_eq!(
        found,
        [
            "`created_at` is set by the server (`server(created_at)`), so the request cannot send it; for a request field the handler turns into that column, use another Rust name (`#[serde(rename = \"createdAt\")]` keeps the wire name)"
        ]
    );
}

#[test]
fn optional_fields_need_options() {
    let found = messages(
        &quote!(
            table = schema::users,
            update,
            schema = "tests/fixtures/schema.rs"
        ),
        quote!(
            pub struct X {
                pub name: String,
            }
        ),
    );
    assert_eq!(
        found,
        ["`name` is optional in an update input: declare it `Option<…>`, or leave its type as `_`"]
    );
}

#[test]
fn table_keys_need_a_table() {
    let found = messages(
        &quote!(insert, pick(a)),
        quote!(
            pub struct X {
                pub a: _,
            }
        ),
    );
    assert_eq!(
        found,
        [
            "`insert` needs `table = …`",
            "`pick(…)` needs `table = …`",
            "a field typed `_` takes its type from a column: add `table = …` to #[input]",
        ]
    );
}

#[test]
fn missing_flavor_schema_or_table() {
    assert_eq!(
        messages(
            &quote!(table = schema::users, schema = "tests/fixtures/schema.rs"),
            quote!(
                pub struct X;
            )
        ),
        ["say which statement the input feeds: add `insert`, `update` or `select`"]
    );
    let found = messages(
        &quote!(
            table = schema::nope,
            select,
            schema = "tests/fixtures/schema.rs"
        ),
        quote!(
            pub struct X;
        ),
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("no `table!` named `nope` in "),
        "{found:?}"
    );
    let found = messages(
        &quote!(table = schema::users, select, schema = "missing.rs"),
        quote!(
            pub struct X;
        ),
    );
    assert!(
        found[0].starts_with("cannot read the schema file "),
        "{found:?}"
    );
}

#[test]
fn rule_mistakes() {
    assert_eq!(
        messages(
            &quote!(),
            quote!(
                pub struct X {
                    #[field(email, pattern = "^a$")]
                    pub a: String,
                }
            )
        ),
        [
            "`pattern` and `email` cannot both apply: each one sets the field's pattern; keep one and check the rest with `custom = path`"
        ]
    );
    assert_eq!(
        messages(
            &quote!(),
            quote!(
                pub struct X {
                    #[field(trim, trim)]
                    pub a: String,
                }
            )
        ),
        ["`trim` specified more than once"]
    );
    let found = messages(
        &quote!(),
        quote!(
            pub struct X {
                #[field(shout)]
                pub a: String,
            }
        ),
    );
    assert!(found[0].starts_with("expected one of: `trim`"), "{found:?}");
}

#[test]
fn every_mistake_of_an_input_attribute_is_reported_together() {
    let found = messages(
        &quote!(
            table = "users",
            insert,
            update,
            pick(id),
            pick(name),
            shema = "x.rs",
            validate = 3
        ),
        quote!(
            pub struct X {
                pub a: String,
            }
        ),
    );
    assert_eq!(
        found,
        [
            "`table` takes a path, like `table = schema::posts`",
            "`update`: an input has one flavour: insert, update or select",
            "`pick` specified more than once",
            "expected one of: `table`, `insert`, `update`, `select`, `pick`, `omit`, `default`, `server`, `schema`, `validate`",
            "`validate` takes a function path, like `validate = Self::check`",
        ]
    );
}

#[test]
fn every_mistake_of_a_field_attribute_is_reported_together() {
    let found = messages(
        &quote!(),
        quote!(
            pub struct X {
                #[field(trim, trim, email, url, min = 1 2, shout, one_of(1))]
                pub a: String,
            }
        ),
    );
    assert_eq!(
        found,
        [
            "`trim` specified more than once",
            "`url` and `email` cannot both apply: each one sets the field's pattern; keep one and check the rest with `custom = path`",
            "`min` takes a number, like `min = 0`",
            "expected one of: `trim`, `lowercase`, `email`, `url`, `uuid`, `min_length`, `max_length`, `min`, `max`, `pattern`, `one_of`, `custom`",
            "expected string literal",
        ]
    );
}
