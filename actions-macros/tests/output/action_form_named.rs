pub(crate) async fn send(ctx: &mut ActionContext, input: Message) -> ActionResult<()> {
    Ok(())
}
/// Handle of the `sendMessage` action: its metadata and the glue the server calls.
#[allow(non_camel_case_types)]
pub(crate) struct send {}
#[automatically_derived]
impl ::actions_runtime::__private::Action for send {
    /// The input, decoded and validated before the function runs.
    type Input = Message;
    /// The output, serialized as the response body.
    type Output = ();
    /// The wire name within its namespace.
    const NAME: &'static str = "sendMessage";
    /// Posture, permission, transaction, body encoding, idempotency and audit.
    const META: ::actions_runtime::__private::ActionMeta = ::actions_runtime::__private::ActionMeta::declare(
            ::actions_runtime::__private::Posture::Public,
        )
        .with_accept(::actions_runtime::__private::Accept::Form);
    /// Runs the function.
    fn call(
        ctx: &mut ::actions_runtime::__private::ActionContext,
        input: Self::Input,
    ) -> impl ::core::future::Future<
        Output = ::core::result::Result<
            Self::Output,
            ::actions_runtime::__private::ActionError,
        >,
    > + ::core::marker::Send + '_ {
        async move {
            ::actions_runtime::__private::into_action_result(send(ctx, input).await)
        }
    }
}
