//! Stage 1 of the pipeline — who is calling: the signed-in user, resolved once per request by
//! the [`Authenticator`](crate::base::Authenticator) the app installs, and the action's posture
//! enforced against it. The stage knows only the trait; email + password sign-in is one
//! implementation of it, in `accounts/`.

use crate::base::{ActionContext, Posture};
use crate::error::ActionError;
use http::request::Parts;

/// Resolves the user of `ctx` through the installed authenticator, if any.
pub(crate) async fn authenticate(
    request: &Parts,
    ctx: &mut ActionContext,
) -> Result<(), ActionError> {
    if let Some(authenticator) = ctx.services().authenticator.clone() {
        let user = authenticator.authenticate(request, ctx).await?;
        ctx.set_user(user);
    }
    Ok(())
}

/// `401 UNAUTHORIZED` when the action needs a user and there is none.
pub(crate) fn require_posture(ctx: &ActionContext, posture: Posture) -> Result<(), ActionError> {
    match (posture, ctx.current_user()) {
        (Posture::Public, _) | (Posture::Authenticated, Some(_)) => Ok(()),
        (Posture::Authenticated, None) => Err(ActionError::unauthorized("sign in to do this")),
    }
}
