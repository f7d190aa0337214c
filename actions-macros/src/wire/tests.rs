use super::Direction;

fn expand(
    direction: Direction,
    attr: &proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> (proc_macro2::TokenStream, Vec<syn::Error>) {
    super::expand(direction, attr, item, None)
}
use crate::snapshot::{assert_expansion, error_messages};
use quote::quote;

#[test]
fn input_struct() {
    assert_expansion(
        "input_struct",
        expand(
            Direction::Input,
            &quote!(),
            quote! {
                /// Creates a post.
                #[derive(Debug, Clone)]
                pub struct CreatePost {
                    pub title: String,
                    pub body: String,
                }
            },
        ),
    );
}

#[test]
fn output_struct() {
    assert_expansion(
        "output_struct",
        expand(
            Direction::Output,
            &quote!(),
            quote! {
                pub struct Post {
                    pub id: i64,
                    pub author_id: i64,
                    pub created_at: Timestamp,
                }
            },
        ),
    );
}

#[test]
fn both_ways_enum() {
    assert_expansion(
        "input_output_enum",
        expand(
            Direction::Input,
            &quote!(),
            quote! {
                #[actions_runtime::output]
                pub enum Status { Draft, Published { at_time: Timestamp } }
            },
        ),
    );
}

#[test]
fn generic_input() {
    assert_expansion(
        "input_generic",
        expand(
            Direction::Input,
            &quote!(),
            quote! {
                pub struct Page<T> { pub items: Vec<T> }
            },
        ),
    );
}

#[test]
fn derives_it_provides_are_rejected() {
    let messages = error_messages(expand(
        Direction::Input,
        &quote!(strict),
        quote! {
            #[derive(Debug, serde::Deserialize, JsonSchema, Serialize)]
            struct X { a: u8 }
        },
    ));
    assert_eq!(
        messages,
        [
            "#[input] already derives `Deserialize`; remove it from #[derive]",
            "#[input] already derives `JsonSchema`; remove it from #[derive]",
            "#[input] already derives `Serialize`; remove it from #[derive]",
            "expected one of: `table`, `insert`, `update`, `select`, `pick`, `omit`, `default`, `server`, `schema`, `validate`",
        ]
    );
}

#[test]
fn only_structs_and_enums() {
    let messages = error_messages(expand(
        Direction::Output,
        &quote!(),
        quote!(
            fn f() {}
        ),
    ));
    assert_eq!(messages, ["#[output] applies to a struct or an enum"]);
}

#[test]
fn input_with_validation() {
    assert_expansion(
        "input_validate",
        expand(
            Direction::Input,
            &quote!(validate = Self::check),
            quote! {
                pub struct NewPost { pub title: String }
            },
        ),
    );
}
