//! The accepted function signature, checked piece by piece.
//!
//! Only the shape is checked here; whether the types are right (the context type, an input that
//! deserializes, an output that serializes) is left to the type system through the generated
//! `impl Action`, whose spans point back at the user's tokens.

use crate::errors::Errors;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, ReturnType, Type};

/// The one signature an action may have, shown in every signature error.
pub(crate) const USAGE: &str = "an action is declared as \
    `async fn name(ctx: &mut ActionContext, input: Input) -> Result<Output, ActionError>`";

/// The parts of a well-formed action signature that the expansion needs.
pub(crate) struct ActionSig<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ctx_ty: &'a Type,
    pub(crate) input_ty: &'a Type,
    pub(crate) return_ty: &'a Type,
    /// `T` of `Result<T, E>` (or of an alias such as `QueryResult<T>`).
    pub(crate) output_ty: &'a Type,
}

/// Checks `item`'s signature, recording one error per malformed piece.
pub(crate) fn check<'a>(item: &'a ItemFn, errors: &mut Errors) -> Option<ActionSig<'a>> {
    let sig = &item.sig;
    let mut ok = true;
    let mut fail = |tokens: &dyn quote::ToTokens, what: &str| {
        errors.spanned(tokens, format!("{what}; {USAGE}"));
        ok = false;
    };

    if sig.asyncness.is_none() {
        fail(&sig.fn_token, "an action must be `async`");
    }
    if let Some(constness) = &sig.constness {
        fail(constness, "an action cannot be `const`");
    }
    if let syn::Safety::Unsafe(unsafety) = &sig.safety {
        fail(unsafety, "an action cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        fail(abi, "an action cannot declare an ABI");
    }
    if !sig.generics.params.is_empty() {
        fail(
            &sig.generics,
            "an action cannot be generic: its input and output must be concrete types so that \
             their JSON Schema is known",
        );
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        fail(where_clause, "an action cannot have a `where` clause");
    }
    if let Some(variadic) = &sig.variadic {
        fail(variadic, "an action cannot be variadic");
    }

    let args: Vec<&FnArg> = sig.inputs.iter().collect();
    for arg in &args {
        if let FnArg::Receiver(receiver) = arg {
            fail(
                receiver,
                "an action is a free function and cannot take `self`",
            );
        }
    }
    if let Some(FnArg::Typed(ctx)) = args.first()
        && !matches!(&*ctx.ty, Type::Reference(r) if r.mutability.is_some())
    {
        fail(
            &ctx.ty,
            "the first argument must be the context, `ctx: &mut ActionContext`",
        );
    }
    let ctx_ty = match args.first() {
        Some(FnArg::Typed(ctx)) => Some(&*ctx.ty),
        _ => None,
    };
    let input_ty = match args.as_slice() {
        [_, FnArg::Typed(input)] => Some(&*input.ty),
        [_, FnArg::Receiver(_)] => None,
        [] | [_] => {
            fail(
                &sig.inputs_span(),
                &format!("expected 2 arguments, found {}", args.len()),
            );
            None
        }
        [_, _, extra, ..] => {
            fail(
                extra,
                &format!(
                    "expected 2 arguments, found {}: put every input field in the input type",
                    args.len()
                ),
            );
            None
        }
    };

    let return_ty = match &sig.output {
        ReturnType::Type(_, ty) => Some(&**ty),
        ReturnType::Default => {
            fail(
                &sig.ident,
                "an action must return `Result<Output, ActionError>`",
            );
            None
        }
    };

    let output_ty = return_ty.and_then(|ty| {
        let output = result_ok_type(ty);
        if output.is_none() {
            fail(ty, "an action must return `Result<Output, ActionError>`");
        }
        output
    });

    match (ok, ctx_ty, input_ty, return_ty, output_ty) {
        (true, Some(ctx_ty), Some(input_ty), Some(return_ty), Some(output_ty)) => Some(ActionSig {
            ident: &sig.ident,
            ctx_ty,
            input_ty,
            return_ty,
            output_ty,
        }),
        _ => None,
    }
}

/// `T` in `Result<T, E>`, `ActionResult<T>`, `QueryResult<T>`: the first type argument of the
/// return type's last path segment. Whether the type really is a `Result` whose error converts
/// into `ActionError` is checked by the compiler, once, where the result is converted.
fn result_ok_type(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

/// The argument list's parentheses, for arity errors.
trait InputsSpan {
    fn inputs_span(&self) -> proc_macro2::TokenStream;
}

impl InputsSpan for syn::Signature {
    fn inputs_span(&self) -> proc_macro2::TokenStream {
        let span = self.paren_token.span.join();
        let span = if self.inputs.is_empty() {
            span
        } else {
            self.inputs.span()
        };
        quote::quote_spanned!(span=> ())
    }
}
