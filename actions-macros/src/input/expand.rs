//! Code generation for a struct input: the struct with its derives and per-field wire and schema
//! attributes, and, inside one `const _: () = { … }`, the `ActionInput` impl (rules, nested
//! inputs, the all-errors decoder) and the type-system checks of derived fields.

use super::attr::Flavor;
use super::field::FieldRules;
use super::model::{InputField, InputModel, Presence};
use crate::private::path_str;
use crate::wire::Conventions;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// The struct and everything that comes with it, with the wire conventions shared with
/// `#[output]`.
pub(crate) fn expand(
    model: &InputModel,
    input: &syn::DeriveInput,
    conventions: &Conventions,
) -> TokenStream {
    let private = crate::private::path();
    let ident = &input.ident;
    let vis = &input.vis;
    let attrs = &input.attrs;
    let generics = &input.generics;
    let where_clause = &generics.where_clause;
    let fields: Vec<TokenStream> = model
        .fields
        .iter()
        .map(|field| struct_field(field, model))
        .collect();

    let (derives, diesel_attrs) = diesel_derives(model);

    let checks = model
        .table
        .as_ref()
        .map(|table| column_checks(model, &table.path, &table.schema_include));
    // A generic input's field types are not known to deserialize (rustc does not infer that from
    // `Self: DeserializeOwned`): it keeps the decoder's first failure.
    let (statics, impl_body) = action_input_impl(model, !generics.params.is_empty());
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let input_bound = (!generics.params.is_empty()).then(|| {
        quote! {
            where Self: #private::serde::de::DeserializeOwned + #private::schemars::JsonSchema
                + ::core::marker::Send + ::core::marker::Sync + 'static
        }
    });
    let doc = format!(" Checks and rules of [`{ident}`] as an action input.");
    let attributes = conventions.attributes(&derives);

    quote! {
        #attributes
        #(#diesel_attrs)*
        #(#attrs)*
        #vis struct #ident #generics #where_clause {
            #(#fields,)*
        }

        #[doc = #doc]
        const _: () = {
            #checks
            #statics

            #[automatically_derived]
            impl #impl_generics #private::ActionInput for #ident #ty_generics #input_bound {
                #impl_body
            }
        };
    }
}

/// A derived input's diesel derive and attributes: `Insertable` for an insert, `AsChangeset`
/// (keyed on the primary key) for an update; a select input is read, not written: none.
fn diesel_derives(model: &InputModel) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let private = crate::private::path();
    let Some(table) = &model.table else {
        return (Vec::new(), Vec::new());
    };
    let path = &table.path;
    match table.flavor {
        Flavor::Insert => (
            vec![quote!(#private::diesel::Insertable)],
            vec![quote!(#[diesel(table_name = #path)])],
        ),
        Flavor::Update => {
            let keys = table.primary_key.iter().map(|k| format_ident!("{k}"));
            (
                vec![quote!(#private::diesel::AsChangeset)],
                vec![
                    quote!(#[diesel(table_name = #path)]),
                    quote!(#[diesel(primary_key(#(#keys),*))]),
                ],
            )
        }
        Flavor::Select => (Vec::new(), Vec::new()),
    }
}

/// One field with its serde, schemars and diesel attributes.
fn struct_field(field: &InputField, model: &InputModel) -> TokenStream {
    let private = crate::private::path();
    let InputField {
        attrs,
        vis,
        ident,
        ty,
        ..
    } = field;
    let mut extra = Vec::new();
    match field.presence {
        Presence::Plain | Presence::Default => {}
        Presence::SomeIfPresent => {
            let value_ty = field.value_ty.to_string();
            // `skip_serializing_if` only keeps schemars from publishing `"default": null`.
            let present = path_str("present");
            extra.push(quote!(#[serde(default, deserialize_with = #present, skip_serializing_if = "::core::option::Option::is_none")]));
            extra.push(quote!(#[schemars(with = #value_ty)]));
        }
        Presence::DoubleOption => {
            let double_option = path_str("double_option");
            extra.push(quote!(#[serde(default, deserialize_with = #double_option, skip_serializing_if = "::core::option::Option::is_none")]));
        }
        Presence::RequiredNullable => {
            let nullable = path_str("nullable");
            extra.push(quote!(#[serde(deserialize_with = #nullable)]));
            extra.push(quote!(#[schemars(required)]));
        }
    }
    extra.extend(schema_attrs(field, &private));
    if field.column.is_none()
        && let Some(table) = &model.table
    {
        match table.flavor {
            Flavor::Insert => extra.push(quote!(#[diesel(skip_insertion)])),
            Flavor::Update => extra.push(quote!(#[diesel(skip_update)])),
            Flavor::Select => {}
        }
    }
    quote! {
        #(#attrs)*
        #(#extra)*
        #vis #ident: #ty
    }
}

/// The rules as JSON Schema keywords, so client-side validation agrees with the server.
fn schema_attrs(field: &InputField, private: &TokenStream) -> Vec<TokenStream> {
    let rules = &field.rules;
    let mut attrs = Vec::new();
    let column_max = column_max_length(field);
    let max_length = rules.max_length.as_ref().map(usize_expr).or(column_max);
    let trims = rules.trim;
    if trims && (rules.min_length.is_some() || max_length.is_some()) {
        // Lengths count after trimming; a pattern says that exactly.
        let min = rules.min_length.as_ref().map(usize_expr);
        let (min, max) = (option_expr(min), option_expr(max_length));
        attrs.push(quote!(#[schemars(transform = |schema: &mut #private::schemars::Schema| #private::rules::trimmed_length_pattern(schema, #min, #max))]));
    } else {
        let min = rules.min_length.as_ref().map(|e| quote!(min = #e));
        let max = max_length.map(|e| quote!(max = #e));
        let parts: Vec<TokenStream> = min.into_iter().chain(max).collect();
        if !parts.is_empty() {
            attrs.push(quote!(#[schemars(length(#(#parts),*))]));
        }
    }
    let range: Vec<TokenStream> = rules
        .min
        .iter()
        .map(|e| quote!(min = #e))
        .chain(rules.max.iter().map(|e| quote!(max = #e)))
        .collect();
    if !range.is_empty() {
        attrs.push(quote!(#[schemars(range(#(#range),*))]));
    }
    let format_pattern = [
        (rules.email, "email", quote!(#private::rules::EMAIL_PATTERN)),
        (rules.url, "uri", quote!(#private::rules::URL_PATTERN)),
        (rules.uuid, "uuid", quote!(#private::rules::UUID_PATTERN)),
    ]
    .into_iter()
    .find(|(on, _, _)| *on);
    if let Some((_, format, pattern)) = format_pattern {
        attrs.push(quote!(#[schemars(extend("format" = #format))]));
        attrs.push(pattern_attr(&pattern, trims, private));
    }
    if let Some(pattern) = &rules.pattern {
        attrs.push(pattern_attr(&quote!(#pattern), trims, private));
    }
    if let Some(choices) = &rules.one_of {
        let null = field.nullable.then(|| quote!(null));
        attrs.push(quote!(#[schemars(extend("enum" = [#(#choices,)* #null]))]));
    }
    attrs
}

fn pattern_attr(pattern: &TokenStream, trims: bool, private: &TokenStream) -> TokenStream {
    if trims {
        quote!(#[schemars(pattern(#private::rules::around_whitespace(#pattern)))])
    } else {
        quote!(#[schemars(pattern(#pattern))])
    }
}

/// A length written in `#[field(...)]` (a literal or a constant), as a `usize`: errors point at
/// it, and no cast hides a negative or oversized value.
fn usize_expr(expr: &syn::Expr) -> TokenStream {
    quote_spanned!(expr.span()=> { const N: usize = #expr; N })
}

fn option_expr(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// The `#[max_length]` of the field's column, as read from the schema file (a generated
/// assertion ties it to `SizeRestrictedColumn::MAX_LENGTH`).
fn column_max_length(field: &InputField) -> Option<TokenStream> {
    let max = field.column.as_ref()?.max_length? as usize;
    Some(quote!(#max))
}

/// The type-system checks of a derived input: written types fit their columns, lengths agree
/// with `#[max_length]`, and the schema file is a build input.
fn column_checks(model: &InputModel, table: &syn::Path, schema_file: &TokenStream) -> TokenStream {
    let private = crate::private::path();
    let mut checks = vec![quote! {
        /// The schema file the columns were read from: editing it rebuilds this input.
        const _: &[u8] = ::core::include_bytes!(#schema_file);
    }];
    for field in &model.fields {
        let Some(column) = &field.column else {
            continue;
        };
        let col = &column.name;
        if let Some(derived) = &column.derived_ty {
            checks.push(quote! {
                /// The type read from the schema file is the column's.
                const _: fn() = || {
                    #private::same_type::<#derived, #private::Wire<<#table::#col as #private::diesel::Expression>::SqlType>>();
                };
            });
        }
        if let Some(written) = &column.written_value_ty {
            let span = written.span();
            checks.push(quote_spanned! {span=>
                const _: fn() = || {
                    #private::column_accepts::<#written, <#table::#col as #private::diesel::Expression>::SqlType>();
                };
            });
        }
        if let Some(max) = column.max_length {
            let max = max as usize;
            checks.push(quote! {
                const _: () = ::core::assert!(
                    <#table::#col as #private::diesel::query_source::SizeRestrictedColumn>::MAX_LENGTH == #max,
                    "the schema file and the compiled table disagree on a #[max_length]",
                );
            });
            if let Some(user_max) = &field.rules.max_length {
                let message = format!(
                    "`max_length` of `{col}` allows more than its column's #[max_length = {max}]"
                );
                let span = user_max.span();
                let user_max = usize_expr(user_max);
                checks.push(quote_spanned!(span=>
                    const _: () = ::core::assert!(#user_max <= #max, #message);
                ));
            }
        }
    }
    quote!(#(#checks)*)
}

/// The items beside the impl (compiled patterns, each field's rules), and the body of
/// `impl ActionInput`: a decoder that reads the fields one by one, and `validate` for inputs
/// built in-process. Each field's rules are written once, in its own function, and called from
/// both.
fn action_input_impl(model: &InputModel, generic: bool) -> (TokenStream, TokenStream) {
    let patterns = pattern_statics(model);
    let rules: Vec<Option<(Ident, TokenStream)>> = model
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| rules_fn(field, index))
        .collect();
    let rule_fns = rules.iter().flatten().map(|(_, item)| item);
    let rule_names: Vec<Option<&Ident>> =
        rules.iter().map(|r| r.as_ref().map(|(n, _)| n)).collect();
    // A generic input's field types are not known to deserialize (rustc does not infer that
    // from `Self: DeserializeOwned`), and a field with a serde attribute the decoder does not
    // follow needs the type's own `Deserialize`: both keep the default decoder.
    let opaque = generic || model.fields.iter().any(|f| f.opaque);
    let decode = (!opaque).then(|| decode_fn(model, &rule_names));
    let validate = validate_fn(model, &rule_names);
    let declaration = declaration_fn(model);
    let items = quote! {
        #patterns
        #(#rule_fns)*
    };
    let body = quote! {
        #decode
        #validate
        #declaration
    };
    (items, body)
}

/// `static`s holding each `pattern`, compiled once.
fn pattern_statics(model: &InputModel) -> TokenStream {
    let private = crate::private::path();
    let statics = model.fields.iter().enumerate().filter_map(|(index, field)| {
        let pattern = field.rules.pattern.as_ref()?;
        let name = pattern_static(index);
        Some(quote! {
            static #name: ::std::sync::LazyLock<::core::result::Result<#private::Regex, #private::RegexError>> =
                ::std::sync::LazyLock::new(|| #private::rules::compile(#pattern));
        })
    });
    quote!(#(#statics)*)
}

fn pattern_static(index: usize) -> Ident {
    format_ident!("__ACTIONS_PATTERN_{index}")
}

/// `fn rules_<field>(value, errors)`: the field's rules, when it has any.
fn rules_fn(field: &InputField, index: usize) -> Option<(Ident, TokenStream)> {
    let private = crate::private::path();
    let pattern = field.rules.pattern.is_some().then(|| pattern_static(index));
    let statements = rule_statements(&field.rules, field, pattern.as_ref());
    if statements.is_empty() {
        return None;
    }
    let name = format_ident!("rules_{}", syn::ext::IdentExt::unraw(&field.ident));
    let ty = &field.ty;
    let doc = format!(" The rules of `{}`.", field.wire_name);
    let item = quote! {
        #[doc = #doc]
        fn #name(value: &mut #ty, errors: &mut #private::FieldErrors) {
            #statements
        }
    };
    Some((name, item))
}

/// `fn decode`: every field taken from the body's object and decoded by its type, each
/// decoded field checked by its rules; then the type's own `validate` hook on the whole.
fn decode_fn(model: &InputModel, rules: &[Option<&Ident>]) -> TokenStream {
    let private = crate::private::path();
    let names = model.fields.iter().map(|f| &f.wire_name);
    let fields = model.fields.iter().zip(rules).map(|(field, rules)| {
        let ident = &field.ident;
        let wire = &field.wire_name;
        let (method, decoded_ty) = match field.presence {
            Presence::Plain => (quote!(field), &field.ty),
            Presence::Default => (quote!(or_default), &field.ty),
            // The value of a nullable column is an `Option` itself: `null` decodes to `None`.
            Presence::SomeIfPresent | Presence::DoubleOption => (quote!(present), &field.value_ty),
            Presence::RequiredNullable => (quote!(sent), &field.ty),
        };
        let decoder = quote!((&&#private::Decode::<#decoded_ty>::new()).decoder());
        let check = rules.map(|rules| quote!(#private::check(&mut #ident, #wire, #rules, errors);));
        let binding = if check.is_some() {
            quote!(let mut #ident)
        } else {
            quote!(let #ident)
        };
        quote! {
            #binding = fields.#method(#wire, #decoder, errors);
            #check
        }
    });
    let idents: Vec<&Ident> = model.fields.iter().map(|f| &f.ident).collect();
    let (binding, hook) = match &model.validate {
        Some(path) => (
            quote!(let mut input),
            quote!(errors.server_only(|errors| #path(&mut input, errors));),
        ),
        None => (quote!(let input), quote!()),
    };
    quote! {
        /// Decodes every field, each failure at its full path, and checks each decoded field by
        /// its rules.
        fn decode(
            payload: #private::Payload<'_>,
            errors: &mut #private::FieldErrors,
        ) -> ::core::option::Option<Self> {
            use #private::{DecodeInput as _, DecodeList as _, DecodeValue as _};
            let mut fields = #private::Fields::new(payload, &[#(#names),*], errors)?;
            #(#fields)*
            #binding = Self { #(#idents: #idents?),* };
            #hook
            ::core::option::Option::Some(input)
        }
    }
}

/// `fn validate`, for inputs built in-process: every field's rules and nested inputs, then the
/// type's own hook.
fn validate_fn(model: &InputModel, rules: &[Option<&Ident>]) -> TokenStream {
    let private = crate::private::path();
    let fields = model.fields.iter().zip(rules).map(|(field, rules)| {
        let ident = &field.ident;
        let wire = &field.wire_name;
        let rules = rules.map(|rules| quote!(#rules(&mut self.#ident, errors);));
        quote! {
            errors.nested(#wire, |errors| {
                #rules
                (&mut #private::Nested(&mut self.#ident)).validate_nested(errors);
            });
        }
    });
    let hook = model
        .validate
        .as_ref()
        .map(|path| quote!(errors.server_only(|errors| #path(self, errors));));
    quote! {
        /// Checks every field by its rules, then the type's own cross-field rules.
        fn validate(&mut self, errors: &mut #private::FieldErrors) {
            use #private::{Skip as _, Validate as _};
            #(#fields)*
            #hook
        }
    }
}

/// `fn declaration_errors`: patterns that do not compile, reported when the server is built.
fn declaration_fn(model: &InputModel) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = model
        .fields
        .iter()
        .enumerate()
        .filter_map(|(index, field)| {
            let pattern = field.rules.pattern.as_ref()?;
            let name = pattern_static(index);
            Some(quote! {
                if let ::core::result::Result::Err(error) = &*#name {
                    problems.push(::std::format!("pattern {:?} does not compile: {}", #pattern, error));
                }
            })
        })
        .collect();
    (!checks.is_empty()).then(|| {
        quote! {
            /// Patterns that do not compile, reported when the server is built.
            fn declaration_errors() -> ::std::vec::Vec<::std::string::String> {
                let mut problems = ::std::vec::Vec::new();
                #(#checks)*
                problems
            }
        }
    })
}

/// The rule calls for `value: &mut FieldType`, normalizations first.
fn rule_statements(
    rules: &FieldRules,
    field: &InputField,
    pattern_static: Option<&Ident>,
) -> TokenStream {
    let private = crate::private::path();
    let mut out = Vec::new();
    if rules.trim {
        out.push(quote!(#private::rules::trim(value);));
    }
    if rules.lowercase {
        out.push(quote!(#private::rules::lowercase(value);));
    }
    if rules.email {
        out.push(quote!(#private::rules::email(value, errors);));
    }
    if rules.url {
        out.push(quote!(#private::rules::url(&*value, errors);));
    }
    if rules.uuid {
        out.push(quote!(#private::rules::uuid(&*value, errors);));
    }
    if let Some(min) = &rules.min_length {
        let min = usize_expr(min);
        out.push(quote!(#private::rules::min_length(&*value, #min, errors);));
    }
    let column_max = field.column.as_ref().and_then(|c| c.max_length);
    if let Some(max) = &rules.max_length {
        let max = usize_expr(max);
        out.push(quote!(#private::rules::max_length(&*value, #max, errors);));
    } else if let Some(max) = column_max {
        // Through `ColumnText`, so a written type that is not text reports only that it does
        // not fit the column, not also that it has no length.
        let max = max as usize;
        out.push(quote! {{
            use #private::rules::{ColumnMaxLength as _, NotText as _};
            (&#private::rules::ColumnText(&*value)).column_max_length(#max, errors);
        }});
    }
    if let Some(min) = &rules.min {
        out.push(quote_spanned!(min.span()=> #private::rules::min(&*value, #min, errors);));
    }
    if let Some(max) = &rules.max {
        out.push(quote_spanned!(max.span()=> #private::rules::max(&*value, #max, errors);));
    }
    if let (Some(pattern), Some(name)) = (&rules.pattern, pattern_static) {
        out.push(quote!(#private::rules::pattern(&*value, &*#name, #pattern, errors);));
    }
    if let Some(choices) = &rules.one_of {
        out.push(quote!(#private::rules::one_of(&*value, &[#(#choices),*], errors);));
    }
    if let Some(custom) = &rules.custom {
        out.push(
            quote_spanned!(custom.span()=> #private::rules::custom(&*value, #custom, errors);),
        );
    }
    quote!(#(#out)*)
}
