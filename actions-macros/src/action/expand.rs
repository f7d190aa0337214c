//! Code generation for a validated action.
//!
//! The user's function is emitted unchanged, so it stays callable as written. Beside it goes a
//! handle: a braced struct with the function's name (braced structs live only in the type
//! namespace, so `post::create` names the function as a value and the handle as a type)
//! implementing `Action`, which carries the metadata and forwards to the function. Everything
//! else — auth, ACL, decoding, transactions — is generic runtime code driven by that impl.

use super::validate::ValidatedAction;
use actions_declare::{Accept, Idempotency, Isolation, Posture};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, Visibility};

/// The handle and its `Action` impl for a validated action.
pub(crate) fn handle(action: &ValidatedAction<'_>, vis: &Visibility) -> TokenStream {
    let private = crate::private::path();
    let ident = action.sig.ident;
    let wire_name = &action.wire_name;
    let input_ty = action.sig.input_ty;
    let output_ty = action.sig.output_ty;
    let handle_doc =
        format!(" Handle of the `{wire_name}` action: its metadata and the glue the server calls.");
    let meta = meta(action);
    let loader = loader(action);
    let state = state_fn(action);
    let retry = retry_input_fn(action);
    let record = record_fn(action);
    let call = call_fn(action);
    quote! {
        #[doc = #handle_doc]
        #[allow(non_camel_case_types)]
        #vis struct #ident {}

        #[automatically_derived]
        impl #private::Action for #ident {
            /// The input, decoded and validated before the function runs.
            type Input = #input_ty;
            /// The output, serialized as the response body.
            type Output = #output_ty;
            /// The wire name within its namespace.
            const NAME: &'static str = #wire_name;
            /// Posture, permission, transaction, body encoding, idempotency and audit.
            const META: #private::ActionMeta = #meta;

            #loader
            #state
            #retry
            #record
            #call
        }
    }
}

/// The declaration as data: `ActionMeta::declare(posture)`, then each key that was given.
fn meta(action: &ValidatedAction<'_>) -> TokenStream {
    let private = crate::private::path();
    let posture = match action.posture {
        Posture::Public => quote!(Public),
        Posture::Authenticated => quote!(Authenticated),
    };
    let mut keys = Vec::new();
    if let Some((resource, verb)) = &action.acl {
        keys.push(quote!(with_acl(#private::Permission::new(#resource, #verb))));
    }
    if let Some(level) = action.tx {
        let level = match level {
            Isolation::ReadCommitted => quote!(ReadCommitted),
            Isolation::RepeatableRead => quote!(RepeatableRead),
            Isolation::Serializable => quote!(Serializable),
        };
        keys.push(quote!(with_tx(#private::Isolation::#level)));
    }
    match action.accept {
        Accept::Json => {}
        Accept::Form => keys.push(quote!(with_accept(#private::Accept::Form))),
    }
    if action.load.is_some() {
        keys.push(quote!(with_load()));
    }
    if let Some(mode) = action.idempotent {
        let mode = match mode {
            Idempotency::Optional => quote!(Optional),
            Idempotency::Required => quote!(Required),
        };
        keys.push(quote!(with_idempotency(#private::Idempotency::#mode)));
    }
    if action.audit {
        keys.push(quote!(with_audit()));
    }
    if let Some(redirect) = &action.redirect {
        keys.push(quote!(with_redirect(#redirect)));
    }
    if let Some(doc) = &action.sig.doc {
        keys.push(quote!(with_description(#doc)));
    }
    quote!(#private::ActionMeta::declare(#private::Posture::#posture) #(.#keys)*)
}

/// `fn load` and `fn resource`, under `load = path`: calls the loader, and names the type it
/// loads (inferred from the loader's `Result<Option<R>, E>`) so the server can check when it is
/// built that the policy has a rule for it. Both are spanned on the loader's path; a loader of
/// the wrong shape is reported once, by `load` (`resource` then names nothing).
fn loader(action: &ValidatedAction<'_>) -> Option<TokenStream> {
    let private = crate::private::path();
    let path = action.load?;
    let convert = quote_spanned!(path.span()=> #private::into_loaded(#path(ctx, input).await));
    let kind = quote_spanned!(path.span()=>
        (&#private::LoadedBy::<Self::Input, _>::new(&#path)).kind()
    );
    Some(quote! {
        /// Loads the resource the ACL policy decides on.
        fn load<'a>(
            ctx: &'a mut #private::ActionContext,
            input: &'a Self::Input,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<
                ::core::option::Option<#private::Resource>,
                #private::ActionError,
            >,
        > + ::core::marker::Send + 'a {
            async move { #convert }
        }

        /// The type of the resource `load` loads, which the policy must have a rule for.
        fn resource() -> ::core::option::Option<#private::ResourceKind> {
            use #private::{LoaderKind as _, NotALoader as _};
            #kind
        }
    })
}

/// `fn state`, when the function takes `State<T>` arguments: each `T`, spanned on it, so the
/// server can check when it is built that it has them.
fn state_fn(action: &ValidatedAction<'_>) -> Option<TokenStream> {
    let private = crate::private::path();
    if action.sig.state.is_empty() {
        return None;
    }
    let needs = action.sig.state.iter().map(|arg| {
        let value_ty = arg.value_ty;
        quote_spanned!(value_ty.span()=> needs.add::<#value_ty>();)
    });
    Some(quote! {
        /// The app state the function's arguments take.
        fn state(needs: &mut #private::StateNeeds) {
            #(#needs)*
        }
    })
}

/// `fn retry_input`, under `tx`: a conflict re-runs the handler on a copy of the input. Spanned
/// on the input type, so a missing `Clone` points there.
fn retry_input_fn(action: &ValidatedAction<'_>) -> Option<TokenStream> {
    action.tx?;
    let clone = quote_spanned!(action.sig.input_ty.span()=> ::core::clone::Clone::clone(input));
    Some(quote! {
        /// A copy of the input, to run the handler again after a transaction conflict.
        fn retry_input(input: &Self::Input) -> ::core::option::Option<Self::Input> {
            ::core::option::Option::Some(#clone)
        }
    })
}

/// `fn record`, under `idempotent` (which fingerprints the input) or `audit` (which logs it).
/// Spanned on the input type, so a missing `Serialize` points there.
fn record_fn(action: &ValidatedAction<'_>) -> Option<TokenStream> {
    let private = crate::private::path();
    if action.idempotent.is_none() && !action.audit {
        return None;
    }
    let record = quote_spanned!(action.sig.input_ty.span()=> #private::record_input(input));
    Some(quote! {
        /// The input as JSON, for the idempotency fingerprint and the audit log.
        fn record(input: &Self::Input) -> ::core::option::Option<#private::serde_json::Value> {
            #record
        }
    })
}

/// `fn call`: the app state the function takes, then the function, its error converted into
/// `ActionError`. Spanned on the user's tokens, so type errors point at what they wrote: the
/// context type, each `State<T>`, and the return type (whose error must convert).
fn call_fn(action: &ValidatedAction<'_>) -> TokenStream {
    let private = crate::private::path();
    let ident = action.sig.ident;
    let ctx = quote_spanned!(action.sig.ctx_ty.span()=> ctx);
    let (state_vars, state_lets): (Vec<Ident>, Vec<TokenStream>) = action
        .sig
        .state
        .iter()
        .enumerate()
        .map(|(index, arg)| {
            let var = format_ident!("__actions_state_{index}");
            let (ty, value_ty) = (arg.ty, arg.value_ty);
            let at_value = crate::private::path_at(value_ty.span());
            let from_context = quote_spanned!(value_ty.span()=>
                #at_value::State::<#value_ty>::from_context(ctx)?
            );
            (var.clone(), quote!(let #var: #ty = #from_context;))
        })
        .unzip();
    let call = quote_spanned!(action.sig.return_ty.span()=>
        async move {
            #(#state_lets)*
            #private::into_action_result(#ident(#ctx, input #(, #state_vars)*).await)
        }
    );
    quote! {
        /// Runs the function.
        fn call(
            ctx: &mut #private::ActionContext,
            input: Self::Input,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<Self::Output, #private::ActionError>,
        > + ::core::marker::Send + '_ {
            #call
        }
    }
}

/// A stand-in handle emitted after errors, so code that names the action (a registry) still
/// compiles and the user sees only the real mistake.
pub(crate) fn stand_in(ident: &Ident, vis: &Visibility) -> TokenStream {
    let private = crate::private::path();
    let wire_name = syn::ext::IdentExt::unraw(ident).to_string();
    quote! {
        #[doc = " Stand-in handle of an action whose declaration has errors."]
        #[allow(non_camel_case_types)]
        #vis struct #ident {}

        #[automatically_derived]
        impl #private::Action for #ident {
            type Input = #private::Invalid;
            type Output = ();
            const NAME: &'static str = #wire_name;
            const META: #private::ActionMeta = #private::ActionMeta::INVALID;

            fn call(
                _: &mut #private::ActionContext,
                input: Self::Input,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<Self::Output, #private::ActionError>,
            > + ::core::marker::Send + '_ {
                #private::Invalid::call(input)
            }
        }
    }
}

/// The user's function followed by the handle (or a stand-in after errors).
pub(crate) fn output(item: &ItemFn, handle: &TokenStream) -> TokenStream {
    quote! {
        #item
        #handle
    }
}
