//! An action's own code behind function pointers, over type-erased input and output, so the
//! pipeline around it is compiled once for all actions rather than once per action.
//!
//! The pipeline was generic over the action, so every action monomorphized all of it: the
//! stages, the transaction with its retries, the idempotency journal, the audit. That was about
//! two thirds of the code an app's actions compiled to. Now only what differs per action is
//! generic, each a small function: decode the body into the input, validate an in-process
//! call's input, record the input, copy it for a retry, load the resource, call the function,
//! encode the output. The pipeline holds the input and output boxed between them.

use super::input::Source;
use crate::base::{Action, ActionContext, ActionInput, ActionMeta, Encoded, Resource};
use crate::error::{ActionError, FieldErrors};
use futures_util::future::BoxFuture;
use std::any::Any;

/// A decoded input, boxed: the action's `Input`.
pub(crate) type AnyInput = Box<dyn Any + Send + Sync>;

/// A handler's output, boxed: the action's `Output`.
pub(crate) type AnyOutput = Box<dyn Any + Send>;

/// What a `load` step answers: the resource, if it exists.
type Loaded<'a> = BoxFuture<'a, Result<Option<Resource>, ActionError>>;

/// What the pipeline calls of action `A`: its declaration and, for each step that depends on
/// its types, a function pointer monomorphized for it ([`ErasedAction::of`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErasedAction {
    pub(crate) meta: ActionMeta,
    pub(crate) decode: fn(Source<'_>) -> Result<AnyInput, ActionError>,
    pub(crate) validate: fn(&mut AnyInput, &mut FieldErrors) -> Result<(), ActionError>,
    pub(crate) record: fn(&AnyInput) -> Option<serde_json::Value>,
    pub(crate) retry_input: fn(&AnyInput) -> Option<AnyInput>,
    pub(crate) load: for<'a> fn(&'a mut ActionContext, &'a AnyInput) -> Loaded<'a>,
    pub(crate) call:
        fn(&mut ActionContext, AnyInput) -> BoxFuture<'_, Result<AnyOutput, ActionError>>,
    pub(crate) encode: fn(&AnyOutput) -> Result<Encoded, ActionError>,
}

impl ErasedAction {
    /// Action `A`'s steps. A step its declaration leaves out (no `tx`: no retry; no `load`; no
    /// `audit` or `idempotent`: nothing recorded) is one shared function, chosen in a `const`
    /// block so the compiler never generates `A`'s copy of it.
    pub(crate) fn of<A: Action>() -> ErasedAction {
        ErasedAction {
            meta: A::META,
            decode: decode::<A>,
            validate: validate::<A>,
            record: if const { A::META.audit || A::META.idempotent.is_some() } {
                record::<A>
            } else {
                |_| None
            },
            retry_input: if const { A::META.tx.is_some() } {
                retry_input::<A>
            } else {
                |_| None
            },
            load: if const { A::META.load } {
                load::<A>
            } else {
                no_load
            },
            call: call::<A>,
            encode: encode::<A>,
        }
    }
}

/// The pipeline boxed this input from `A::Input` and hands it back to `A`'s steps only: another
/// type here is a bug in the runtime, refused as a `500` rather than a panic.
fn input_of<A: Action>(input: &AnyInput) -> Result<&A::Input, ActionError> {
    input
        .downcast_ref()
        .ok_or_else(|| mismatch(std::any::type_name::<A::Input>()))
}

fn mismatch(expected: &str) -> ActionError {
    ActionError::internal(format!(
        "the pipeline passed a value that is not a {expected}"
    ))
}

fn decode<A: Action>(source: Source<'_>) -> Result<AnyInput, ActionError> {
    super::input::decode_source::<A::Input>(source).map(|input| Box::new(input) as AnyInput)
}

fn validate<A: Action>(input: &mut AnyInput, errors: &mut FieldErrors) -> Result<(), ActionError> {
    let input = input
        .downcast_mut::<A::Input>()
        .ok_or_else(|| mismatch(std::any::type_name::<A::Input>()))?;
    ActionInput::validate(input, errors);
    Ok(())
}

fn record<A: Action>(input: &AnyInput) -> Option<serde_json::Value> {
    A::record(input.downcast_ref()?)
}

fn retry_input<A: Action>(input: &AnyInput) -> Option<AnyInput> {
    let again = A::retry_input(input.downcast_ref()?)?;
    Some(Box::new(again))
}

fn load<'a, A: Action>(ctx: &'a mut ActionContext, input: &'a AnyInput) -> Loaded<'a> {
    Box::pin(async move { A::load(ctx, input_of::<A>(input)?).await })
}

/// `load` of an action that declares none: the pipeline never calls it.
fn no_load<'a>(_: &'a mut ActionContext, _: &'a AnyInput) -> Loaded<'a> {
    Box::pin(std::future::ready(Ok(None)))
}

fn call<A: Action>(
    ctx: &mut ActionContext,
    input: AnyInput,
) -> BoxFuture<'_, Result<AnyOutput, ActionError>> {
    Box::pin(async move {
        let input = input
            .downcast::<A::Input>()
            .map_err(|_| mismatch(std::any::type_name::<A::Input>()))?;
        let output = A::call(ctx, *input).await?;
        Ok(Box::new(output) as AnyOutput)
    })
}

fn encode<A: Action>(output: &AnyOutput) -> Result<Encoded, ActionError> {
    let output = output
        .downcast_ref::<A::Output>()
        .ok_or_else(|| mismatch(std::any::type_name::<A::Output>()))?;
    super::output::encode(output)
}
