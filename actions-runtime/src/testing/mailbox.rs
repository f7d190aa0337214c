//! [`Mailbox`]: a [`Mailer`] that keeps what it is sent, for tests to read the links.

use crate::auth::{Mail, MailError, Mailer};
use futures_util::future::BoxFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// Keeps every mail it is sent. Clones share the box: give one to
/// [`AuthConfig::mailer`](crate::auth::AuthConfig::mailer), read the other.
#[derive(Debug, Clone, Default)]
pub struct Mailbox {
    mails: Arc<Mutex<Vec<Mail>>>,
    arrived: Arc<Notify>,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Mailbox {
        Mailbox::default()
    }

    /// Every mail so far, oldest first.
    pub fn all(&self) -> Vec<Mail> {
        self.mails
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }

    /// The latest mail to `to`, waiting for the first one if none came yet (mail leaves in a
    /// background task). Panics after 30 seconds without one: a test failure, not a timing.
    pub async fn latest_to(&self, to: &str) -> Mail {
        let wait = async {
            loop {
                let arrived = self.arrived.notified();
                if let Some(mail) = self.all().into_iter().rev().find(|m| m.to == to) {
                    return mail;
                }
                arrived.await;
            }
        };
        tokio::time::timeout(Duration::from_secs(30), wait)
            .await
            .unwrap_or_else(|_| panic!("no mail to {to} within 30 s; mails: {:?}", self.all()))
    }

    /// How many mails went to `to`.
    pub fn count_to(&self, to: &str) -> usize {
        self.all().iter().filter(|m| m.to == to).count()
    }

    /// The first link in `mail`'s text (`http://…` or `https://…`, to the end of its line).
    pub fn link(mail: &Mail) -> String {
        mail.text
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"))
            .unwrap_or_else(|| panic!("no link in {mail:?}"))
            .to_owned()
    }
}

impl Mailer for Mailbox {
    fn send<'a>(&'a self, mail: &'a Mail) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(async move {
            self.mails
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .push(mail.clone());
            self.arrived.notify_waiters();
            Ok(())
        })
    }
}
