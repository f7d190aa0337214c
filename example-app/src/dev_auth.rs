//! Development sign-in until email + password sessions land: with `EXAMPLE_DEV_AUTH=1`, a
//! request's `x-dev-user: <id>` header signs it in as that user. Without it, nobody is signed
//! in and every `auth` action answers `401`.

use actions_runtime::http::request::Parts;
use actions_runtime::{ActionContext, ActionError, Authenticator, Role, User};
use std::future::Future;
use std::pin::Pin;

/// The header read when development sign-in is on.
pub const DEV_USER_HEADER: &str = "x-dev-user";

/// Trusts `x-dev-user` when `enabled`; never signs anyone in otherwise.
#[derive(Debug, Clone, Copy)]
pub struct DevAuthenticator {
    pub enabled: bool,
}

impl Authenticator for DevAuthenticator {
    fn authenticate<'a>(
        &'a self,
        request: &'a Parts,
        _: &'a mut ActionContext,
    ) -> Pin<Box<dyn Future<Output = Result<Option<User>, ActionError>> + Send + 'a>> {
        let user = self
            .enabled
            .then(|| {
                request
                    .headers
                    .get(DEV_USER_HEADER)?
                    .to_str()
                    .ok()?
                    .trim()
                    .parse::<i64>()
                    .ok()
            })
            .flatten()
            .map(|id| User {
                id,
                name: format!("Dev user {id}"),
                email: format!("dev{id}@localhost"),
                role: Role::User,
            });
        Box::pin(std::future::ready(Ok(user)))
    }
}
