//! The mail the account service sends (password reset, email verification, email change,
//! account deletion): the [`Mailer`] trait, its two implementations ([`SmtpMailer`] and the
//! development [`DevMailer`]), the templates an app may override, and the outbox that sends
//! off the request path, retrying with back-off.

use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// One message: a recipient, a subject, and the same text as plain text and as HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// Why a mail could not be sent (logged; never shown to a client).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MailError(Box<dyn std::error::Error + Send + Sync>);

impl MailError {
    /// A failure with its cause.
    pub fn new(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> MailError {
        MailError(cause.into())
    }
}

/// Delivers mail. The account service calls it from a background task, never while a request
/// waits, and retries a failure with back-off ([`AuthConfig::mail_retry`](super::AuthConfig::mail_retry)).
pub trait Mailer: Send + Sync + 'static {
    /// Sends `mail`; an error is retried, then logged.
    fn send<'a>(&'a self, mail: &'a Mail) -> BoxFuture<'a, Result<(), MailError>>;
}

/// The development mailer: logs each message and, given a directory, writes it there as
/// `<milliseconds>-<n>.json` (`{to, subject, text, html}`), so a developer (or a test) can open
/// the link without a mail server.
#[derive(Debug)]
pub struct DevMailer {
    dir: Option<PathBuf>,
    sent: AtomicU64,
}

impl DevMailer {
    /// Logs each message only (what an [`AuthConfig`](super::AuthConfig) uses when given no
    /// mailer).
    pub fn log_only() -> DevMailer {
        DevMailer {
            dir: None,
            sent: AtomicU64::new(0),
        }
    }

    /// Logs each message and writes it into `dir` (created when missing).
    pub fn to_dir(dir: impl Into<PathBuf>) -> DevMailer {
        DevMailer {
            dir: Some(dir.into()),
            sent: AtomicU64::new(0),
        }
    }
}

impl Mailer for DevMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(async move {
            let Some(dir) = self.dir.clone() else {
                // Nowhere else to read the link: the log is the mailbox (development only).
                tracing::info!(to = ?mail.to, subject = ?mail.subject, text = ?mail.text, "mail (development mailer)");
                return Ok(());
            };
            let n = self.sent.fetch_add(1, Ordering::Relaxed);
            let millis = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let path = dir.join(format!("{millis:013}-{n:06}.json"));
            // Not the text: its link carries a token, and logs travel further than the directory.
            tracing::info!(to = ?mail.to, subject = ?mail.subject, file = ?path, "mail (development mailer)");
            let body = serde_json::to_vec_pretty(mail).map_err(MailError::new)?;
            tokio::task::spawn_blocking(move || {
                std::fs::create_dir_all(&dir)?;
                // Written whole under a temporary name, then renamed: a reader never sees half.
                let partial = path.with_extension("partial");
                std::fs::write(&partial, body)?;
                std::fs::rename(&partial, &path)
            })
            .await
            .map_err(MailError::new)?
            .map_err(MailError::new)
        })
    }
}

/// Mail over SMTP (lettre, TLS by rustls). The URL says how to connect:
/// `smtps://user:pass@host:465` (implicit TLS), `smtp://user:pass@host:587?tls=required`
/// (STARTTLS), `smtp://127.0.0.1:2525` (plain, for a relay on this machine).
#[cfg(feature = "smtp")]
pub struct SmtpMailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

#[cfg(feature = "smtp")]
impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the transport: its URL holds the credentials.
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "smtp")]
impl SmtpMailer {
    /// A mailer for the server at `url` sending as `from` (`Blog <noreply@blog.example>`).
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, MailError> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(MailError::new)?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|error| MailError::new(format!("the sender {from:?}: {error}")))?;
        Ok(SmtpMailer { transport, from })
    }
}

#[cfg(feature = "smtp")]
impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> BoxFuture<'a, Result<(), MailError>> {
        use lettre::AsyncTransport;
        Box::pin(async move {
            let to = mail
                .to
                .parse()
                .map_err(|error| MailError::new(format!("the recipient: {error}")))?;
            let message = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(&mail.subject)
                .multipart(lettre::message::MultiPart::alternative_plain_html(
                    mail.text.clone(),
                    mail.html.clone(),
                ))
                .map_err(MailError::new)?;
            self.transport
                .send(message)
                .await
                .map(drop)
                .map_err(MailError::new)
        })
    }
}

/// What a mail is for: each has a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MailKind {
    /// The link of `request-password-reset`.
    ResetPassword,
    /// The link that verifies an address (`send-verification-email`, sign-up).
    VerifyEmail,
    /// The link that confirms a change of address, sent to the current address.
    ChangeEmail,
    /// The link that confirms the deletion of an account.
    DeleteAccount,
}

/// What a template has to write a mail with.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct MailContext<'a> {
    /// What the mail is for.
    pub kind: MailKind,
    /// The user's display name (as they typed it: escape it in HTML).
    pub name: &'a str,
    /// The recipient's address.
    pub to: &'a str,
    /// The link to follow, on the app's `BASE_URL`.
    pub url: &'a str,
    /// The new address, for [`MailKind::ChangeEmail`].
    pub new_email: Option<&'a str>,
}

/// A template's result: the subject and the two bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailBody {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// A template: [`AuthConfig::mail_template`](super::AuthConfig::mail_template).
pub type MailTemplate = Arc<dyn Fn(&MailContext<'_>) -> MailBody + Send + Sync>;

/// The app's templates over the defaults.
#[derive(Clone, Default)]
pub(crate) struct Templates(HashMap<MailKind, MailTemplate>);

impl Templates {
    pub(crate) fn set(&mut self, kind: MailKind, template: MailTemplate) {
        self.0.insert(kind, template);
    }

    pub(crate) fn render(&self, context: &MailContext<'_>) -> Mail {
        let body = match self.0.get(&context.kind) {
            Some(template) => template(context),
            None => default_template(context),
        };
        Mail {
            to: context.to.to_owned(),
            subject: body.subject,
            text: body.text,
            html: body.html,
        }
    }
}

/// The built-in wording: one sentence, the link, and what to do if it was not you.
fn default_template(context: &MailContext<'_>) -> MailBody {
    let (subject, action, unasked) = match context.kind {
        MailKind::ResetPassword => (
            "Reset your password",
            "To choose a new password, open this link (it works once, for a limited time):",
            "If you did not ask for it, ignore this mail: your password stays as it is.",
        ),
        MailKind::VerifyEmail => (
            "Verify your email address",
            "To confirm this address, open this link:",
            "If you did not sign up, ignore this mail.",
        ),
        MailKind::ChangeEmail => (
            "Confirm the change of your email address",
            "To confirm the change of your account's address, open this link:",
            "If you did not ask for it, ignore this mail and change your password.",
        ),
        MailKind::DeleteAccount => (
            "Confirm the deletion of your account",
            "To delete your account for good, open this link:",
            "If you did not ask for it, ignore this mail and change your password.",
        ),
    };
    let change = match (context.kind, context.new_email) {
        (MailKind::ChangeEmail, Some(new)) => format!(" The new address is {new}."),
        _ => String::new(),
    };
    let name = context.name;
    let url = context.url;
    MailBody {
        subject: subject.to_owned(),
        text: format!("Hello {name},\n\n{action}{change}\n\n{url}\n\n{unasked}\n"),
        html: format!(
            "<p>Hello {},</p>\n<p>{action}{}</p>\n<p><a href=\"{}\">{}</a></p>\n<p>{unasked}</p>\n",
            escape_html(name),
            escape_html(&change),
            escape_html(url),
            escape_html(url),
        ),
    }
}

/// Text as HTML content or attribute value.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// How often, and how patiently, a failed send is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailRetry {
    /// Attempts in all (at least one).
    pub attempts: u32,
    /// The pause after the first failure; each next pause doubles.
    pub first_delay: Duration,
}

impl Default for MailRetry {
    /// 5 attempts over about 15 seconds (1 + 2 + 4 + 8).
    fn default() -> MailRetry {
        MailRetry {
            attempts: 5,
            first_delay: Duration::from_secs(1),
        }
    }
}

/// Sends mail off the request path: each mail in a task of its own, retried with back-off,
/// then logged. Nothing of a failure reaches the request that asked for the mail.
pub(crate) struct Outbox {
    mailer: Arc<dyn Mailer>,
    retry: MailRetry,
}

impl Outbox {
    pub(crate) fn new(mailer: Arc<dyn Mailer>, retry: MailRetry) -> Outbox {
        Outbox { mailer, retry }
    }

    /// Queues `mail` and returns at once.
    pub(crate) fn post(&self, mail: Mail) {
        let (mailer, retry) = (self.mailer.clone(), self.retry);
        tokio::spawn(deliver(mailer, retry, mail));
    }
}

async fn deliver(mailer: Arc<dyn Mailer>, retry: MailRetry, mail: Mail) {
    let attempts = retry.attempts.max(1);
    let mut delay = retry.first_delay;
    for attempt in 1..=attempts {
        match mailer.send(&mail).await {
            Ok(()) => {
                tracing::debug!(to = ?mail.to, subject = ?mail.subject, attempt, "mail sent");
                return;
            }
            Err(error) if attempt < attempts => {
                tracing::warn!(to = ?mail.to, attempt, error = ?error.to_string(), "mail not sent; retrying");
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
            Err(error) => {
                tracing::error!(to = ?mail.to, subject = ?mail.subject, attempts, error = ?error.to_string(), "mail not sent; giving up");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MailContext, MailKind, Templates};

    #[test]
    fn default_templates_escape_what_they_quote() {
        let mail = Templates::default().render(&MailContext {
            kind: MailKind::ResetPassword,
            name: "<b>Ada</b>",
            to: "ada@example.com",
            url: "http://localhost:3000/api/auth/reset-password/abc?callbackURL=%2F&x=1",
            new_email: None,
        });
        assert_eq!(mail.to, "ada@example.com");
        assert_eq!(mail.subject, "Reset your password");
        assert!(mail.text.contains("Hello <b>Ada</b>,"));
        assert!(mail.html.contains("Hello &lt;b&gt;Ada&lt;/b&gt;,"));
        assert!(mail.html.contains("callbackURL=%2F&amp;x=1\">"));
    }
}
