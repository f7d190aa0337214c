/// Updates a post.
pub async fn update(
    ctx: &mut ActionContext,
    input: UpdatePost,
) -> Result<Post, ActionError> {
    todo!()
}
/// Handle of the `update` action: its metadata and the glue the server calls.
#[allow(non_camel_case_types)]
pub struct update {}
#[automatically_derived]
impl ::actions_runtime::__private::Action for update {
    /// The input, decoded and validated before the function runs.
    type Input = UpdatePost;
    /// The output, serialized as the response body.
    type Output = Post;
    /// The wire name within its namespace.
    const NAME: &'static str = "update";
    /// Posture, permission, transaction, body encoding, idempotency and audit.
    const META: ::actions_runtime::__private::ActionMeta = ::actions_runtime::__private::ActionMeta::declare(
            ::actions_runtime::__private::Posture::Authenticated,
        )
        .with_accept(::actions_runtime::__private::Accept::Form)
        .with_redirect("/posts/{id}")
        .with_description("Updates a post.");
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
            ::actions_runtime::__private::into_action_result(update(ctx, input).await)
        }
    }
}
