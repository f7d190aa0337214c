//! `#[input]` and `#[output]`: the types that cross the wire.
//!
//! Both derive serde (inputs both ways: they are decoded, and recorded as JSON by `idempotent`
//! and `audit` actions) and JSON Schema with the wire conventions fixed once, here: camelCase
//! field names, and for inputs, unknown fields rejected (so an identity field like `userId` can
//! never be smuggled into a request). A type used both ways takes both attributes; the first
//! one expanded does the work of both.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, Data, DeriveInput};

/// Which way a type crosses the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Input,
    Output,
}

impl Direction {
    fn attribute(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }

    fn other(self) -> Direction {
        match self {
            Direction::Input => Direction::Output,
            Direction::Output => Direction::Input,
        }
    }
}

/// What the wire conventions add to a type: the derives and the `#[serde(…)]` arguments, with
/// serde and schemars pointed at the runtime's re-exports.
pub(crate) struct Conventions {
    derives: Vec<TokenStream>,
    serde_args: Vec<TokenStream>,
}

impl Conventions {
    /// The conventions of a type that is an input, an output, or both.
    fn of(data: &Data, is_input: bool) -> Conventions {
        let private = crate::private::path();
        let mut derives = Vec::new();
        if is_input {
            derives.push(quote!(#private::serde::Deserialize));
        }
        // Inputs serialize too: an `idempotent` action fingerprints its input and an `audit`
        // action logs it, both as JSON.
        derives.push(quote!(#private::serde::Serialize));
        let serde_crate = crate::private::path_str("serde");
        let mut serde_args = vec![
            quote!(crate = #serde_crate),
            quote!(rename_all = "camelCase"),
        ];
        if matches!(data, Data::Enum(_)) {
            serde_args.push(quote!(rename_all_fields = "camelCase"));
        }
        // On an enum, serde and schemars apply it to every struct variant's fields.
        if is_input {
            serde_args.push(quote!(deny_unknown_fields));
        }
        Conventions {
            derives,
            serde_args,
        }
    }

    /// The type's derives (the conventions', then `more`, then `JsonSchema`) and its serde
    /// and schemars attributes.
    pub(crate) fn attributes(&self, more: &[TokenStream]) -> TokenStream {
        let private = crate::private::path();
        let derives = self.derives.iter().chain(more);
        let serde_args = &self.serde_args;
        let schemars_crate = crate::private::path_str("schemars");
        quote! {
            #[derive(#(#derives,)* #private::schemars::JsonSchema)]
            #[serde(#(#serde_args),*)]
            #[schemars(crate = #schemars_crate)]
        }
    }
}

/// Expands `#[input]` or `#[output]` on a struct or enum.
pub(crate) fn expand(
    direction: Direction,
    attr: &TokenStream,
    item: TokenStream,
    source_dir: Option<&std::path::Path>,
) -> (TokenStream, Vec<syn::Error>) {
    let mut errors = Errors::default();
    let name = direction.attribute();
    let mut input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(_) => {
            errors.at(
                Span::call_site(),
                format!("#[{name}] applies to a struct or an enum"),
            );
            return (item, errors.into_vec());
        }
    };
    if let Data::Union(union) = &input.data {
        errors.spanned(
            union.union_token,
            format!("#[{name}] applies to a struct or an enum, not a union"),
        );
        return (quote!(#input), errors.into_vec());
    }
    let ways = Ways::of(direction, attr, &mut input.attrs, &mut errors);
    reject_own_derives(&mut input.attrs, ways.is_input, ways.is_output, &mut errors);
    let conventions = Conventions::of(&input.data, ways.is_input);
    let expanded = if ways.is_input && matches!(input.data, Data::Struct(_)) {
        let attr = crate::input::attr::InputAttr::parse(&ways.input_args, &mut errors);
        match crate::input::build(attr, &mut input, source_dir, &mut errors) {
            Some(model) => crate::input::expand(&model, &input, &conventions),
            None => stand_in(&mut input, &conventions),
        }
    } else {
        if ways.is_input && !ways.input_args.is_empty() {
            errors.spanned(&ways.input_args, "#[input] on an enum takes no arguments");
        }
        derived(&input, &conventions, ways.is_input)
    };
    (expanded, errors.into_vec())
}

/// Which ways a type crosses the wire, and the arguments of its `#[input(…)]`.
struct Ways {
    is_input: bool,
    is_output: bool,
    input_args: TokenStream,
}

impl Ways {
    /// A type used both ways takes both attributes: the first one expanded takes the other out
    /// of `attrs` and does the work of both. `#[output]` takes no arguments.
    fn of(
        direction: Direction,
        attr: &TokenStream,
        attrs: &mut Vec<Attribute>,
        errors: &mut Errors,
    ) -> Ways {
        let other_attr = take_attribute(attrs, direction.other().attribute());
        let both = other_attr.is_some();
        let (input_args, output_args) = match direction {
            Direction::Input => (attr.clone(), other_attr.unwrap_or_default()),
            Direction::Output => (other_attr.unwrap_or_default(), attr.clone()),
        };
        if !output_args.is_empty() {
            errors.spanned(&output_args, "#[output] takes no arguments");
        }
        Ways {
            is_input: direction == Direction::Input || both,
            is_output: direction == Direction::Output || both,
            input_args,
        }
    }
}

/// An enum, or an output struct: the derives do it all (an input enum decodes through its
/// `Deserialize`).
fn derived(input: &DeriveInput, conventions: &Conventions, is_input: bool) -> TokenStream {
    let attributes = conventions.attributes(&[]);
    let input_impl = is_input.then(|| action_input_impl(input));
    quote! {
        #attributes
        #input
        #input_impl
    }
}

/// `impl ActionInput` with every method left to its default.
fn action_input_impl(input: &DeriveInput) -> TokenStream {
    let private = crate::private::path();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::ActionInput for #ident #ty_generics #where_clause {}
    }
}

/// After an error, the struct with placeholders in `_` fields and `#[field]` removed, so that
/// code using it compiles as far as it can and the real mistake stands out.
fn stand_in(input: &mut DeriveInput, conventions: &Conventions) -> TokenStream {
    let private = crate::private::path();
    if let Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident("field"));
            if matches!(field.ty, syn::Type::Infer(_)) {
                field.ty = syn::parse_quote!(#private::Invalid);
            }
        }
    }
    derived(input, conventions, true)
}

/// Removes `#[name(…)]` or `#[actions_runtime::name(…)]` from `attrs`, returning its arguments.
fn take_attribute(attrs: &mut Vec<Attribute>, name: &str) -> Option<TokenStream> {
    let mut found = None;
    attrs.retain(|attr| {
        let path = attr.path();
        let is_ours = path.is_ident(name)
            || (path.segments.len() == 2
                && path.segments[0].ident == crate::private::CRATE
                && path.segments[1].ident == name);
        if is_ours {
            found = Some(match &attr.meta {
                syn::Meta::List(list) => list.tokens.clone(),
                _ => TokenStream::new(),
            });
        }
        !is_ours
    });
    found
}

/// A derive that the attribute already provides would be a conflicting impl: say so plainly,
/// and drop it, so the compiler does not report the conflict a second time.
fn reject_own_derives(
    attrs: &mut [Attribute],
    is_input: bool,
    is_output: bool,
    errors: &mut Errors,
) {
    for attr in attrs
        .iter_mut()
        .filter(|attr| attr.path().is_ident("derive"))
    {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let mut kept = syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::new();
        for path in paths {
            let last = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let provided_by = match last.as_str() {
                "JsonSchema" => Some(if is_input { "input" } else { "output" }),
                "Deserialize" if is_input => Some("input"),
                "Serialize" if is_output => Some("output"),
                "Serialize" => Some("input"),
                _ => None,
            };
            match provided_by {
                Some(by) => errors.spanned(
                    &path,
                    format!("#[{by}] already derives `{last}`; remove it from #[derive]"),
                ),
                None => kept.push(path),
            }
        }
        *attr = syn::parse_quote!(#[derive(#kept)]);
    }
}

#[cfg(test)]
mod tests;
