//! Turns what was written into what the expansion may rely on: a posture that is stated and
//! consistent, a well-formed permission, a known body encoding, a valid wire name.
//! Only a `ValidatedAction` reaches code generation.

use super::attr::ActionAttr;
use super::sig::ActionSig;
use crate::errors::Errors;
use actions_declare::{Accept, Idempotency, Isolation, Posture};
use proc_macro2::Span;

/// An action whose attribute and signature passed every check.
pub(crate) struct ValidatedAction<'a> {
    pub(crate) sig: ActionSig<'a>,
    pub(crate) wire_name: String,
    pub(crate) posture: Posture,
    /// `(resource, verb)` of `acl = "resource:verb"`.
    pub(crate) acl: Option<(String, String)>,
    /// `tx`'s isolation level.
    pub(crate) tx: Option<Isolation>,
    pub(crate) accept: Accept,
    /// The loader of the resource the policy decides on.
    pub(crate) load: Option<&'a syn::Path>,
    pub(crate) idempotent: Option<Idempotency>,
    pub(crate) audit: bool,
    /// `redirect = "…"`, checked.
    pub(crate) redirect: Option<String>,
}

/// How to state a posture, repeated wherever one is missing or contradictory.
const POSTURE_HELP: &str = "add `public` (anyone may call it) or `auth` (a signed-in user is \
    required), e.g. `#[action(auth)]`; `acl = \"resource:verb\"` implies `auth`";

/// Checks the attribute on its own (always) and joins it with the signature (when that is
/// well-formed). Every problem is recorded; `None` means at least one was found, here or before.
pub(crate) fn validate<'a>(
    attr: &'a ActionAttr,
    sig: Option<ActionSig<'a>>,
    errors: &mut Errors,
) -> Option<ValidatedAction<'a>> {
    let posture = posture(attr, errors);
    let acl = permission(attr, errors);
    let accept = accept(attr, errors);
    check_name(attr, errors);
    let redirect = redirect(attr, errors);
    check_requirements(attr, posture, errors);
    let sig = sig?;
    if !errors.is_empty() {
        return None;
    }
    let wire_name = match &attr.name {
        Some((_, lit)) => lit.value(),
        None => syn::ext::IdentExt::unraw(sig.ident).to_string(),
    };
    Some(ValidatedAction {
        sig,
        wire_name,
        posture: posture?,
        acl,
        tx: attr.tx.map(|(_, level)| level),
        accept: accept?,
        load: attr.load.as_ref().map(|(_, path)| path),
        idempotent: attr.idempotent.map(|(_, mode)| mode),
        audit: attr.audit.is_some(),
        redirect,
    })
}

/// Who may call it: exactly one of `public` and `auth`, `acl` implying `auth`.
fn posture(attr: &ActionAttr, errors: &mut Errors) -> Option<Posture> {
    match (&attr.public, &attr.auth, &attr.acl) {
        (Some(_), None, None) => Some(Posture::Public),
        (None, Some(_), _) | (None, None, Some(_)) => Some(Posture::Authenticated),
        (Some(_), Some(auth), _) => {
            errors.at(
                auth.span,
                "an action cannot be both `public` and `auth`: keep the one you mean",
            );
            None
        }
        (Some(_), None, Some((acl, _))) => {
            errors.at(
                acl.span,
                "`acl` needs a signed-in user, so it cannot be combined with `public`",
            );
            None
        }
        // A key that did not parse was already reported; fixing it may state the posture.
        (None, None, None) if attr.had_errors => None,
        (None, None, None) => {
            errors.at(
                Span::call_site(),
                format!(
                    "missing access posture: every action states who may call it; {POSTURE_HELP}"
                ),
            );
            None
        }
    }
}

/// `(resource, verb)` of `acl = "resource:verb"`; `None` without `acl` or when malformed
/// (reported).
fn permission(attr: &ActionAttr, errors: &mut Errors) -> Option<(String, String)> {
    let (_, lit) = attr.acl.as_ref()?;
    let value = lit.value();
    let parsed = actions_declare::split_permission(&value);
    if parsed.is_none() {
        errors.spanned(
            lit,
            format!(
                "malformed acl {value:?}: expected \"resource:verb\" made of lower-case \
                 identifiers, like \"post:update\""
            ),
        );
    }
    parsed.map(|(resource, verb)| (resource.to_owned(), verb.to_owned()))
}

/// The body encoding: `json` unless `accept = "…"` names another.
fn accept(attr: &ActionAttr, errors: &mut Errors) -> Option<Accept> {
    let Some((_, lit)) = &attr.accept else {
        return Some(Accept::Json);
    };
    let value = lit.value();
    let accept = Accept::ALL.into_iter().find(|a| value == a.name());
    if accept.is_none() {
        errors.spanned(
            lit,
            format!("unknown accept {value:?}: expected \"json\" or \"form\""),
        );
    }
    accept
}

/// `redirect = "…"` is a path on the app with balanced `{field}` placeholders.
fn redirect(attr: &ActionAttr, errors: &mut Errors) -> Option<String> {
    let (_, lit) = attr.redirect.as_ref()?;
    let value = lit.value();
    match actions_declare::redirect_placeholders(&value) {
        Ok(_) => Some(value),
        Err(why) => {
            errors.spanned(
                lit,
                format!("invalid redirect {value:?}: it {why}, e.g. \"/posts/{{id}}\""),
            );
            None
        }
    }
}

/// `name = "…"` is one segment of a wire name.
fn check_name(attr: &ActionAttr, errors: &mut Errors) {
    if let Some((_, lit)) = &attr.name
        && !actions_declare::is_name_segment(&lit.value())
    {
        errors.spanned(
            lit,
            format!(
                "invalid action name {:?}: use letters, digits and `_`, starting with a letter; \
                 dotted namespaces come from `registry!`",
                lit.value()
            ),
        );
    }
}

/// Keys that only make sense with others: `load` with `acl`, `idempotent` with `tx` and a
/// user, `audit` with `tx`.
fn check_requirements(attr: &ActionAttr, posture: Option<Posture>, errors: &mut Errors) {
    if let (Some((load, _)), None) = (&attr.load, &attr.acl) {
        errors.at(
            load.span,
            "`load` loads the resource an ACL policy decides on, so it needs `acl = \"resource:verb\"`",
        );
    }
    if let (Some((idempotent, _)), None) = (&attr.idempotent, &attr.tx) {
        errors.at(
            idempotent.span,
            "`idempotent` stores the response in the same transaction as the action's writes, so it needs `tx`: write `#[action(auth, tx, idempotent)]`",
        );
    }
    if let (Some((idempotent, _)), Some(Posture::Public)) = (&attr.idempotent, posture) {
        errors.at(
            idempotent.span,
            "`idempotent` scopes keys to the signed-in user, so it needs `auth`: with `public`, one client could replay another's response",
        );
    }
    if let (Some(audit), None) = (&attr.audit, &attr.tx) {
        errors.at(
            audit.span,
            "`audit` writes its event in the same transaction as the action's writes, so it needs `tx`: write `#[action(auth, tx, audit)]`",
        );
    }
}
