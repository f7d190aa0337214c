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

    let other = direction.other();
    let other_attr = take_attribute(&mut input.attrs, other.attribute());
    let both = other_attr.is_some();
    // The arguments of `#[input(…)]`, wherever it was written; `#[output]` takes none.
    let (input_args, output_args) = match direction {
        Direction::Input => (attr.clone(), other_attr.unwrap_or_default()),
        Direction::Output => (other_attr.unwrap_or_default(), attr.clone()),
    };
    if !output_args.is_empty() {
        errors.spanned(&output_args, "#[output] takes no arguments");
    }
    let (is_input, is_output) = (
        direction == Direction::Input || both,
        direction == Direction::Output || both,
    );
    reject_own_derives(&mut input.attrs, is_input, is_output, &mut errors);

    let private = quote!(::actions_runtime::__private);
    let mut derives = Vec::new();
    if is_input {
        derives.push(quote!(#private::serde::Deserialize));
    }
    // Inputs serialize too: an `idempotent` action fingerprints its input and an `audit`
    // action logs it, both as JSON.
    derives.push(quote!(#private::serde::Serialize));
    let mut serde_args = vec![
        quote!(crate = "::actions_runtime::__private::serde"),
        quote!(rename_all = "camelCase"),
    ];
    if matches!(input.data, Data::Enum(_)) {
        serde_args.push(quote!(rename_all_fields = "camelCase"));
    }
    // On an enum, serde and schemars apply it to every struct variant's fields.
    if is_input {
        serde_args.push(quote!(deny_unknown_fields));
    }
    if is_input && matches!(input.data, Data::Struct(_)) {
        let attr = crate::input::attr::InputAttr::parse(&input_args, &mut errors);
        let expanded = match crate::input::build(attr, &mut input, source_dir, &mut errors) {
            Some(model) => crate::input::expand(&model, &input, &derives, &serde_args),
            None => stand_in(&mut input, &derives, &serde_args),
        };
        return (expanded, errors.into_vec());
    }
    if is_input && !input_args.is_empty() {
        errors.spanned(&input_args, "#[input] on an enum takes no arguments");
    }
    let input_impl = is_input.then(|| {
        let ident = &input.ident;
        let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
        quote! {
            #[automatically_derived]
            impl #impl_generics #private::ActionInput for #ident #ty_generics #where_clause {}
        }
    });

    let expanded = quote! {
        #[derive(#(#derives,)* #private::schemars::JsonSchema)]
        #[serde(#(#serde_args),*)]
        #[schemars(crate = "::actions_runtime::__private::schemars")]
        #input
        #input_impl
    };
    (expanded, errors.into_vec())
}

/// After an error, the struct with placeholders in `_` fields and `#[field]` removed, so that
/// code using it compiles as far as it can and the real mistake stands out.
fn stand_in(
    input: &mut DeriveInput,
    derives: &[TokenStream],
    serde_args: &[TokenStream],
) -> TokenStream {
    let private = quote!(::actions_runtime::__private);
    if let Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident("field"));
            if matches!(field.ty, syn::Type::Infer(_)) {
                field.ty = syn::parse_quote!(#private::Invalid);
            }
        }
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[derive(#(#derives,)* #private::schemars::JsonSchema)]
        #[serde(#(#serde_args),*)]
        #[schemars(crate = "::actions_runtime::__private::schemars")]
        #input
        #[automatically_derived]
        impl #impl_generics #private::ActionInput for #ident #ty_generics #where_clause {}
    }
}

/// Removes `#[name(…)]` or `#[actions_runtime::name(…)]` from `attrs`, returning its arguments.
fn take_attribute(attrs: &mut Vec<Attribute>, name: &str) -> Option<TokenStream> {
    let mut found = None;
    attrs.retain(|attr| {
        let path = attr.path();
        let is_ours = path.is_ident(name)
            || (path.segments.len() == 2
                && path.segments[0].ident == "actions_runtime"
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
