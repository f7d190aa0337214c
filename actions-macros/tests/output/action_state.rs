/// Sends a message.
pub async fn send(
    ctx: &mut ActionContext,
    input: Message,
    mailer: State<Mailer>,
    settings: actions_runtime::State<Settings>,
) -> Result<(), ActionError> {
    mailer.send(&settings.from, &input.body).await
}
/// Handle of the `send` action: its metadata and the glue the server calls.
#[allow(non_camel_case_types)]
pub struct send {}
#[automatically_derived]
impl ::actions_runtime::__private::Action for send {
    /// The input, decoded and validated before the function runs.
    type Input = Message;
    /// The output, serialized as the response body.
    type Output = ();
    /// The wire name within its namespace.
    const NAME: &'static str = "send";
    /// Posture, permission, transaction, body encoding, idempotency and audit.
    const META: ::actions_runtime::__private::ActionMeta = ::actions_runtime::__private::ActionMeta::declare(
            ::actions_runtime::__private::Posture::Authenticated,
        )
        .with_description("Sends a message.");
    /// The app state the function's arguments take.
    fn state(needs: &mut ::actions_runtime::__private::StateNeeds) {
        needs.add::<Mailer>();
        needs.add::<Settings>();
    }
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
            let __actions_state_0: State<Mailer> = ::actions_runtime::__private::State::<
                Mailer,
            >::from_context(ctx)?;
            let __actions_state_1: actions_runtime::State<Settings> = ::actions_runtime::__private::State::<
                Settings,
            >::from_context(ctx)?;
            ::actions_runtime::__private::into_action_result(
                send(ctx, input, __actions_state_0, __actions_state_1).await,
            )
        }
    }
}
