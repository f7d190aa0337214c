//! Argon2id password hashing, run on tokio's blocking threads and bounded, so a burst of
//! sign-ins neither stalls the async workers nor takes more than `permits × 19 MiB`.

use super::config::{AuthConfigError, PasswordCost};
use crate::error::ActionError;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Shortest and longest passwords accepted, in characters.
pub(crate) const MIN_LEN: usize = 8;
pub(crate) const MAX_LEN: usize = 128;

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verified {
    pub(crate) ok: bool,
    /// The stored hash used other parameters than the current ones.
    pub(crate) needs_rehash: bool,
}

/// Hashes and verifies passwords with the configured cost.
pub(crate) struct Passwords {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against for unknown emails so that they take
    /// as long as wrong passwords.
    dummy: OnceLock<String>,
}

impl Passwords {
    pub(crate) fn new(cost: PasswordCost) -> Result<Passwords, AuthConfigError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| AuthConfigError::PasswordParameters(e.to_string()))?;
        let permits = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Passwords {
            params,
            permits: Arc::new(Semaphore::new(permits)),
            dummy: OnceLock::new(),
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// `Some(error message code)` when the length is outside 8..=128 characters. Passwords
    /// are taken exactly as typed: no trimming, no truncation, any Unicode.
    pub(crate) fn length_error(password: &str) -> Option<(&'static str, String)> {
        let len = password.chars().count();
        if len < MIN_LEN {
            Some((
                "PASSWORD_TOO_SHORT",
                format!("Password too short: at least {MIN_LEN} characters"),
            ))
        } else if len > MAX_LEN {
            Some((
                "PASSWORD_TOO_LONG",
                format!("Password too long: at most {MAX_LEN} characters"),
            ))
        } else {
            None
        }
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub(crate) async fn hash(&self, password: String) -> Result<String, ActionError> {
        let argon2 = self.argon2();
        self.blocking(move || {
            argon2
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(ActionError::internal)
        })
        .await
    }

    /// Checks `password` against a stored PHC string.
    pub(crate) async fn verify(
        &self,
        password: String,
        stored: String,
    ) -> Result<Verified, ActionError> {
        let argon2 = self.argon2();
        let current = self.params.clone();
        self.blocking(move || {
            let ok = argon2
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok();
            let needs_rehash = PasswordHash::new(&stored)
                .ok()
                .map(|hash| {
                    hash.algorithm.as_str() != "argon2id"
                        || Params::try_from(&hash).map_or(true, |p| {
                            (p.m_cost(), p.t_cost(), p.p_cost())
                                != (current.m_cost(), current.t_cost(), current.p_cost())
                        })
                })
                .unwrap_or(true);
            Ok(Verified {
                ok,
                needs_rehash: ok && needs_rehash,
            })
        })
        .await
    }

    /// Spends the same work as a real check, for an email that has no account.
    pub(crate) async fn verify_dummy(&self, password: String) -> Result<(), ActionError> {
        let stored = match self.dummy.get() {
            Some(stored) => stored.clone(),
            None => {
                let mut random = [0u8; 32];
                getrandom::fill(&mut random).map_err(|e| ActionError::internal(e.to_string()))?;
                let hash = self
                    .hash(String::from_utf8_lossy(&random).into_owned())
                    .await?;
                self.dummy.get_or_init(|| hash).clone()
            }
        };
        self.verify(password, stored).await.map(|_| ())
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ActionError> + Send + 'static,
    ) -> Result<T, ActionError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(ActionError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ActionError::internal)?
    }
}

#[cfg(test)]
mod tests {
    use super::{PasswordCost, Passwords};

    #[tokio::test]
    async fn hashes_verify_and_detect_old_parameters() {
        let passwords = Passwords::new(PasswordCost::OWASP).unwrap();
        let hash = passwords.hash("correct horse ✓".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        let ok = passwords
            .verify("correct horse ✓".into(), hash.clone())
            .await
            .unwrap();
        assert!(ok.ok && !ok.needs_rehash);
        assert!(
            !passwords
                .verify("correct horse ✓ ".into(), hash.clone())
                .await
                .unwrap()
                .ok,
            "no trimming"
        );
        let stronger = Passwords::new(PasswordCost {
            iterations: 3,
            ..PasswordCost::OWASP
        })
        .unwrap();
        let verified = stronger
            .verify("correct horse ✓".into(), hash)
            .await
            .unwrap();
        assert!(verified.ok && verified.needs_rehash);
    }

    #[test]
    fn lengths_count_characters() {
        assert!(Passwords::length_error("ééééééé").is_some());
        assert!(Passwords::length_error("éééééééé").is_none());
        assert!(Passwords::length_error(&"é".repeat(128)).is_none());
        assert_eq!(
            Passwords::length_error(&"é".repeat(129)).unwrap().0,
            "PASSWORD_TOO_LONG"
        );
    }
}
