pub async fn get(ctx: &mut ActionContext, input: GetPost) -> Result<Post, ActionError> {
    load(ctx, input.id).await
}
/// Handle of the `get` action: its metadata and the glue the server calls.
#[allow(non_camel_case_types)]
pub struct get {}
#[automatically_derived]
impl ::actions_runtime::__private::Action for get {
    /// The input, decoded and validated before the function runs.
    type Input = GetPost;
    /// The output, serialized as the response body.
    type Output = Post;
    /// The wire name within its namespace.
    const NAME: &'static str = "get";
    /// Posture, permission, transaction, body encoding, idempotency and audit.
    const META: ::actions_runtime::__private::ActionMeta = ::actions_runtime::__private::ActionMeta::declare(
        ::actions_runtime::__private::Posture::Public,
    );
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
            ::actions_runtime::__private::into_action_result(get(ctx, input).await)
        }
    }
}
