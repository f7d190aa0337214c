//! The accepted function signature, checked piece by piece.
//!
//! Only the shape is checked here; whether the types are right (the context type, an input that
//! deserializes, an output that serializes, state the server can hold) is left to the type
//! system through the generated `impl Action`, whose spans point back at the user's tokens.

use crate::errors::Errors;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, ReturnType, Signature, Type};

/// The signature an action may have, shown once with the signature's errors.
pub(crate) const USAGE: &str = "an action is declared as \
    `async fn name(ctx: &mut ActionContext, input: Input) -> Result<Output, ActionError>`, \
    optionally followed by the app state it uses, `mailer: State<Mailer>, …`";

/// The parts of a well-formed action signature that the expansion needs.
pub(crate) struct ActionSig<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ctx_ty: &'a Type,
    pub(crate) input_ty: &'a Type,
    /// The `State<T>` arguments after the input, in order.
    pub(crate) state: Vec<StateArg<'a>>,
    pub(crate) return_ty: &'a Type,
    /// `T` of `Result<T, E>` (or of an alias such as `QueryResult<T>`).
    pub(crate) output_ty: &'a Type,
    /// The function's `///` comment, its lines joined, when it has one.
    pub(crate) doc: Option<String>,
}

/// An argument `name: State<T>`.
pub(crate) struct StateArg<'a> {
    /// `State<T>` as written.
    pub(crate) ty: &'a Type,
    /// `T`.
    pub(crate) value_ty: &'a Type,
}

/// The arguments of a well-formed signature.
struct Args<'a> {
    ctx_ty: &'a Type,
    input_ty: &'a Type,
    state: Vec<StateArg<'a>>,
}

/// What is wrong with a signature, piece by piece: each on its tokens, the first followed by
/// the accepted signature (once per function, however many pieces are wrong).
#[derive(Default)]
struct Problems(Vec<syn::Error>);

impl Problems {
    fn add(&mut self, tokens: &dyn quote::ToTokens, what: &str) {
        let message = if self.0.is_empty() {
            format!("{what}; {USAGE}")
        } else {
            what.to_owned()
        };
        self.0.push(syn::Error::new_spanned(tokens, message));
    }
}

/// Checks `item`'s signature, recording one error per malformed piece.
pub(crate) fn check<'a>(item: &'a ItemFn, errors: &mut Errors) -> Option<ActionSig<'a>> {
    let sig = &item.sig;
    let mut problems = Problems::default();
    check_qualifiers(sig, &mut problems);
    let args = check_args(sig, &mut problems);
    let returns = check_return(sig, &mut problems);
    let ok = problems.0.is_empty();
    for problem in problems.0 {
        errors.push(problem);
    }
    let (args, (return_ty, output_ty)) = (args?, returns?);
    ok.then_some(ActionSig {
        ident: &sig.ident,
        ctx_ty: args.ctx_ty,
        input_ty: args.input_ty,
        state: args.state,
        return_ty,
        output_ty,
        doc: doc_comment(&item.attrs),
    })
}

/// The text of the `#[doc = "…"]` attributes (`///` lines) in order, each line without the one
/// space `///` leaves, as rustdoc reads them. A computed doc (`#[doc = include_str!(…)]`) is not
/// text the macro can read, and is left out.
fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .flat_map(|text| {
            text.lines()
                .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let text = lines.join("\n");
    let text = text.trim_matches('\n');
    (!text.trim().is_empty()).then(|| text.to_owned())
}

/// `async`, and nothing an action cannot be: `const`, `unsafe`, an ABI, generic, variadic.
fn check_qualifiers(sig: &Signature, problems: &mut Problems) {
    if sig.asyncness.is_none() {
        problems.add(&sig.fn_token, "an action must be `async`");
    }
    if let Some(constness) = &sig.constness {
        problems.add(constness, "an action cannot be `const`");
    }
    if let syn::Safety::Unsafe(unsafety) = &sig.safety {
        problems.add(unsafety, "an action cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        problems.add(abi, "an action cannot declare an ABI");
    }
    if !sig.generics.params.is_empty() {
        problems.add(
            &sig.generics,
            "an action cannot be generic: its input and output must be concrete types so that \
             their JSON Schema is known",
        );
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        problems.add(where_clause, "an action cannot have a `where` clause");
    }
    if let Some(variadic) = &sig.variadic {
        problems.add(variadic, "an action cannot be variadic");
    }
}

/// The context, the input, then the app state: `State<T>` arguments.
fn check_args<'a>(sig: &'a Signature, problems: &mut Problems) -> Option<Args<'a>> {
    let mut typed = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Typed(arg) => typed.push(&*arg.ty),
            FnArg::Receiver(receiver) => problems.add(
                receiver,
                "an action is a free function and cannot take `self`",
            ),
        }
    }
    if typed.len() != sig.inputs.len() {
        return None;
    }
    let [ctx_ty, input_ty, rest @ ..] = typed.as_slice() else {
        problems.add(
            &sig.inputs_span(),
            &format!(
                "expected the context and the input, found {} argument{}",
                typed.len(),
                if typed.len() == 1 { "" } else { "s" }
            ),
        );
        return None;
    };
    let ctx_ok = matches!(ctx_ty, Type::Reference(r) if r.mutability.is_some());
    if !ctx_ok {
        problems.add(
            ctx_ty,
            "the first argument must be the context, `ctx: &mut ActionContext`",
        );
    }
    let mut state = Vec::new();
    for ty in rest {
        match state_arg(ty) {
            Some(arg) => state.push(arg),
            None => problems.add(
                ty,
                "an argument after the input is app state, `State<T>`: put every field of the \
                 request in the input type",
            ),
        }
    }
    (ctx_ok && state.len() == rest.len()).then_some(Args {
        ctx_ty,
        input_ty,
        state,
    })
}

/// `State<T>` (by its last path segment, so `actions_runtime::State<T>` too): the argument
/// and `T`.
fn state_arg(ty: &Type) -> Option<StateArg<'_>> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match (last.ident == "State", args.args.len(), args.args.first()) {
        (true, 1, Some(syn::GenericArgument::Type(value_ty))) => Some(StateArg { ty, value_ty }),
        _ => None,
    }
}

/// The return type and the output in it: `Result<Output, E>` or an alias of one.
fn check_return<'a>(sig: &'a Signature, problems: &mut Problems) -> Option<(&'a Type, &'a Type)> {
    let ReturnType::Type(_, return_ty) = &sig.output else {
        problems.add(
            &sig.ident,
            "an action must return `Result<Output, ActionError>`",
        );
        return None;
    };
    let output_ty = result_ok_type(return_ty);
    if output_ty.is_none() {
        problems.add(
            return_ty,
            "an action must return `Result<Output, ActionError>`",
        );
    }
    Some((return_ty, output_ty?))
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

impl InputsSpan for Signature {
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
