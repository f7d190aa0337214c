// error: missing access posture: every action states who may call it; add `public` (anyone may call it) or `auth` (a signed-in user is required), e.g. `#[action(auth)]`; `acl = "resource:verb"` implies `auth`
/// Updates a post.
pub async fn update(
    ctx: &mut ActionContext,
    input: UpdatePost,
) -> Result<Post, ActionError> {
    todo!()
}
/// Stand-in handle of an action whose declaration has errors.
#[allow(non_camel_case_types)]
pub struct update {}
#[automatically_derived]
impl ::actions_runtime::__private::Action for update {
    type Input = ::actions_runtime::__private::Invalid;
    type Output = ();
    const NAME: &'static str = "update";
    const META: ::actions_runtime::__private::ActionMeta = ::actions_runtime::__private::ActionMeta::INVALID;
    fn call(
        _: &mut ::actions_runtime::__private::ActionContext,
        input: Self::Input,
    ) -> impl ::core::future::Future<
        Output = ::core::result::Result<
            Self::Output,
            ::actions_runtime::__private::ActionError,
        >,
    > + ::core::marker::Send + '_ {
        ::actions_runtime::__private::Invalid::call(input)
    }
}
