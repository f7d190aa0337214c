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
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, Visibility};

/// The handle and its `Action` impl for a validated action.
pub(crate) fn handle(action: &ValidatedAction<'_>, vis: &Visibility) -> TokenStream {
    let private = crate::private::path();
    let ident = action.sig.ident;
    let wire_name = &action.wire_name;
    let input_ty = action.sig.input_ty;
    let return_ty = action.sig.return_ty;
    let handle_doc =
        format!(" Handle of the `{wire_name}` action: its metadata and the glue the server calls.");
    let posture = match action.posture {
        Posture::Public => quote!(#private::Posture::Public),
        Posture::Authenticated => quote!(#private::Posture::Authenticated),
    };
    let acl = match &action.acl {
        Some((resource, verb)) => {
            quote!(::core::option::Option::Some(#private::Permission::new(#resource, #verb)))
        }
        None => quote!(::core::option::Option::None),
    };
    let tx = match action.tx {
        Some(level) => {
            let variant = match level {
                Isolation::ReadCommitted => quote!(ReadCommitted),
                Isolation::RepeatableRead => quote!(RepeatableRead),
                Isolation::Serializable => quote!(Serializable),
            };
            quote!(::core::option::Option::Some(#private::Isolation::#variant))
        }
        None => quote!(::core::option::Option::None),
    };
    // Under `tx` a conflict re-runs the handler on a copy of the input: spanned on the input
    // type, so a missing `Clone` points there.
    let retry = action.tx.is_some().then(|| {
        let clone = quote_spanned!(input_ty.span()=> ::core::clone::Clone::clone(input));
        quote! {
            /// A copy of the input, to run the handler again after a transaction conflict.
            fn retry_input(input: &Self::Input) -> ::core::option::Option<Self::Input> {
                ::core::option::Option::Some(#clone)
            }
        }
    });
    // `idempotent` fingerprints the input and `audit` logs it: spanned on the input type, so a
    // missing `Serialize` points there.
    let record = (action.idempotent.is_some() || action.audit).then(|| {
        let record = quote_spanned!(input_ty.span()=> #private::record_input(input));
        quote! {
            /// The input as JSON, for the idempotency fingerprint and the audit log.
            fn record(input: &Self::Input) -> ::core::option::Option<#private::serde_json::Value> {
                #record
            }
        }
    });
    let idempotent = match action.idempotent {
        Some(Idempotency::Required) => {
            quote!(::core::option::Option::Some(#private::Idempotency::Required))
        }
        Some(Idempotency::Optional) => {
            quote!(::core::option::Option::Some(#private::Idempotency::Optional))
        }
        None => quote!(::core::option::Option::None),
    };
    let audit = action.audit;
    let load = action.load.is_some();
    let loader = action.load.map(|path| {
        let convert = quote_spanned!(path.span()=> #private::into_loaded(#path(ctx, input).await));
        quote! {
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
        }
    });
    let accept = match action.accept {
        Accept::Json => quote!(#private::Accept::Json),
        Accept::Form => quote!(#private::Accept::Form),
    };
    let output_ty = action.sig.output_ty;
    // Spanned on the user's tokens, so type errors point at what they wrote: the context type,
    // and the return type (whose error must convert into `ActionError`).
    let ctx = quote_spanned!(action.sig.ctx_ty.span()=> ctx);
    let call = quote_spanned!(return_ty.span()=>
        async move { #private::into_action_result(#ident(#ctx, input).await) }
    );

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
            const META: #private::ActionMeta = #private::ActionMeta {
                posture: #posture,
                acl: #acl,
                tx: #tx,
                accept: #accept,
                load: #load,
                idempotent: #idempotent,
                audit: #audit,
            };

            #loader
            #retry
            #record

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
