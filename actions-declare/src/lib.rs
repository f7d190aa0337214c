//! The vocabulary of `#[action(...)]`, written once: the macros check a declaration against it
//! at compile time and record it with these types; the runtime re-exports them
//! (`actions_runtime::Posture`, …) and acts on them. No dependencies, so the macro crate stays
//! proc-macro2 + quote + syn.

#![cfg_attr(not(test), no_std)]

/// Who may call an action. There is no default: `#[action]` refuses to compile without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posture {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user; anyone else gets `401 UNAUTHORIZED` before the body is read.
    Authenticated,
}

impl Posture {
    /// The key that declares it (`#[action(public)]`, `#[action(auth)]`), as the manifest
    /// writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Posture::Public => "public",
            Posture::Authenticated => "auth",
        }
    }
}

/// The request body encodings an action accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded` and `multipart/form-data`, coerced as Astro does.
    Form,
}

impl Accept {
    /// Every encoding, in the order `#[action(accept = …)]` lists them.
    pub const ALL: [Accept; 2] = [Accept::Json, Accept::Form];

    /// The name `accept = "…"` takes (and the manifest writes): `json`, `form`.
    pub const fn name(self) -> &'static str {
        match self {
            Accept::Json => "json",
            Accept::Form => "form",
        }
    }
}

/// The isolation level of an action's transaction: `tx` is `ReadCommitted`, PostgreSQL's
/// default; `tx(repeatable_read)` and `tx(serializable)` ask for more. SQLite runs every
/// transaction serializably whatever is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// Each statement sees what was committed before it began.
    ReadCommitted,
    /// Every statement sees the snapshot taken at the transaction's first.
    RepeatableRead,
    /// As if the transactions had run one after another; a transaction that cannot be placed in
    /// such an order fails with a serialization failure (and is retried).
    Serializable,
}

impl Isolation {
    /// Every level, weakest first.
    pub const ALL: [Isolation; 3] = [
        Isolation::ReadCommitted,
        Isolation::RepeatableRead,
        Isolation::Serializable,
    ];

    /// The name `tx(…)` takes (and the manifest writes): `read_committed`, `repeatable_read`,
    /// `serializable`.
    pub const fn name(self) -> &'static str {
        match self {
            Isolation::ReadCommitted => "read_committed",
            Isolation::RepeatableRead => "repeatable_read",
            Isolation::Serializable => "serializable",
        }
    }
}

/// How an `idempotent` action treats a request without an `Idempotency-Key` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// `idempotent`: the key is optional; without one the action simply runs.
    Optional,
    /// `idempotent(required)`: a request without a key is refused with `400`.
    Required,
}

impl Idempotency {
    /// As the manifest writes it: `optional`, `required`.
    pub const fn name(self) -> &'static str {
        match self {
            Idempotency::Optional => "optional",
            Idempotency::Required => "required",
        }
    }
}

/// Whose requests a per-action rate limit counts together (`rate_limit(<key>, "…")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitKey {
    /// `rate_limit = "…"`: the signed-in user's, else the client address's.
    UserOrIp,
    /// `rate_limit(ip, "…")`: the client address's, signed in or not.
    Ip,
    /// `rate_limit(user, "…")`: the signed-in user's (the action must be `auth`).
    User,
}

impl RateLimitKey {
    /// As the manifest writes it: `user_or_ip`, `ip`, `user`.
    pub const fn name(self) -> &'static str {
        match self {
            RateLimitKey::UserOrIp => "user_or_ip",
            RateLimitKey::Ip => "ip",
            RateLimitKey::User => "user",
        }
    }
}

/// Why a rate limit did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitError {
    /// Not `<count>/<period>`.
    Malformed,
    /// A count of zero.
    ZeroCount,
}

/// A rate limit as written, `30/min`, `5/s`, `3/10s`, `100/h`, `2/day`: `count` requests per
/// `seconds`. Units: `s`, `sec`, `second`, `min`, `minute`, `h`, `hour`, `d`, `day` (any case),
/// each optionally after a positive number of them. One parser for `#[action(rate_limit =
/// …)]`, checked at compile time, and the runtime's limits read from the environment.
pub fn parse_rate_limit(text: &str) -> Result<(u32, u64), RateLimitError> {
    let text = text.trim();
    let (count, unit) = text.split_once('/').ok_or(RateLimitError::Malformed)?;
    let count: u32 = count
        .trim()
        .parse()
        .map_err(|_| RateLimitError::Malformed)?;
    let unit = unit.trim();
    let digits = unit.len() - unit.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let units: u64 = match &unit[..digits] {
        "" => 1,
        n => n
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(RateLimitError::Malformed)?,
    };
    let name = unit[digits..].trim();
    let per_unit = [
        ("s", 1),
        ("sec", 1),
        ("second", 1),
        ("min", 60),
        ("minute", 60),
        ("h", 3600),
        ("hour", 3600),
        ("d", 86_400),
        ("day", 86_400),
    ]
    .into_iter()
    .find(|(known, _)| name.eq_ignore_ascii_case(known))
    .map(|(_, seconds)| seconds)
    .ok_or(RateLimitError::Malformed)?;
    if count == 0 {
        return Err(RateLimitError::ZeroCount);
    }
    Ok((count, units.saturating_mul(per_unit)))
}

/// Each is written as its name, so the manifest spells a declaration as the attribute does.
#[cfg(feature = "serde")]
mod serialize {
    use super::{Accept, Idempotency, Isolation, Posture, RateLimitKey};

    macro_rules! as_name {
        ($($ty:ty),*) => {$(
            impl serde::Serialize for $ty {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.name())
                }
            }
        )*};
    }
    as_name!(Posture, Accept, Isolation, Idempotency, RateLimitKey);
}

/// Whether `text` may name an action or a namespace: `[A-Za-z][A-Za-z0-9_]*`. Dotted names
/// (`post.create`) are made of such segments by the registry.
pub const fn is_name_segment(text: &str) -> bool {
    is_identifier(text, false)
}

/// Whether `text` is a lower-case identifier, `[a-z][a-z0-9_]*`: a permission's resource or
/// verb, a role's name.
pub const fn is_lower_identifier(text: &str) -> bool {
    is_identifier(text, true)
}

/// An ASCII letter then letters, digits and `_`; all lower-case when `lower`.
const fn is_identifier(text: &str, lower: bool) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !is_letter(bytes[0], lower) {
        return false;
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(is_letter(b, lower) || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

const fn is_letter(b: u8, lower: bool) -> bool {
    if lower {
        b.is_ascii_lowercase()
    } else {
        b.is_ascii_alphabetic()
    }
}

/// `resource:verb` split in two, when both are [lower-case identifiers](is_lower_identifier).
pub fn split_permission(text: &str) -> Option<(&str, &str)> {
    let (resource, verb) = text.split_once(':')?;
    (is_lower_identifier(resource) && is_lower_identifier(verb)).then_some((resource, verb))
}

/// Checks a form's success page, `redirect = "/posts/{id}"`: a path on the app (starting with
/// one `/`, no backslash, no whitespace or control character), whose `{field}` placeholders
/// are balanced and each name a field (letters, digits, `_`, starting with a letter or `_`).
/// Returns the number of placeholders, or why the template is refused.
pub fn redirect_placeholders(template: &str) -> Result<usize, &'static str> {
    if !template.starts_with('/') {
        return Err("must be a path on this app, starting with `/`");
    }
    if template.starts_with("//") {
        return Err("must not start with `//`, which browsers read as another host");
    }
    if template
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        return Err("must not contain a backslash, whitespace or a control character");
    }
    let mut names = 0;
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        if rest[at..].starts_with('}') {
            return Err("has a `}` without its `{`");
        }
        let after = &rest[at + 1..];
        let close = after.find(['{', '}']).ok_or("has a `{` without its `}`")?;
        if after[close..].starts_with('{') {
            return Err("has a `{` inside a placeholder");
        }
        let name = &after[..close];
        let valid = name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err("has a placeholder that is not a field name, like `{id}`");
        }
        names += 1;
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// The `{field}` names of a template [`redirect_placeholders`] accepted, in order
/// (`/posts/{id}/{slug}`: `id`, `slug`): what the server checks against the output.
pub fn placeholder_names(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|piece| piece.split_once('}').map(|(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::{
        Accept, Isolation, RateLimitError, is_name_segment, parse_rate_limit, placeholder_names,
        redirect_placeholders, split_permission,
    };

    #[test]
    fn rate_limits() {
        assert_eq!(parse_rate_limit("10/min"), Ok((10, 60)));
        assert_eq!(parse_rate_limit(" 3/10s "), Ok((3, 10)));
        assert_eq!(parse_rate_limit("5/S"), Ok((5, 1)));
        assert_eq!(parse_rate_limit("100/h"), Ok((100, 3600)));
        assert_eq!(parse_rate_limit("2/2 day"), Ok((2, 172_800)));
        assert_eq!(parse_rate_limit("0/min"), Err(RateLimitError::ZeroCount));
        for bad in [
            "",
            "10",
            "10/",
            "/min",
            "x/min",
            "10/fortnight",
            "10/0s",
            "-1/s",
        ] {
            assert_eq!(
                parse_rate_limit(bad),
                Err(RateLimitError::Malformed),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn redirect_templates() {
        assert_eq!(redirect_placeholders("/posts/{id}"), Ok(1));
        assert_eq!(redirect_placeholders("/a/{x}/b/{y_2}?tab=1"), Ok(2));
        assert_eq!(redirect_placeholders("/"), Ok(0));
        let names = |template| placeholder_names(template).collect::<Vec<_>>();
        assert_eq!(names("/a/{x}/b/{y_2}?tab=1"), ["x", "y_2"]);
        assert!(names("/").is_empty());
        for bad in [
            "posts",
            "//evil",
            "/\\evil",
            "/a b",
            "/{id",
            "/id}",
            "/{}",
            "/{a{b}}",
            "/{1x}",
            "https://x/",
            "/a\nb",
        ] {
            assert!(redirect_placeholders(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn name_segments() {
        assert!(is_name_segment("getAll"));
        assert!(is_name_segment("get_all2"));
        for bad in ["", "post.create", "_x", "2x", "a-b", "é", "x y"] {
            assert!(!is_name_segment(bad), "{bad:?}");
        }
    }

    #[test]
    fn permissions() {
        assert_eq!(split_permission("post:update"), Some(("post", "update")));
        assert_eq!(
            split_permission("audit_log:read2"),
            Some(("audit_log", "read2"))
        );
        for bad in [
            "post",
            "post:",
            ":update",
            "Post:update",
            "post:up date",
            "a:b:c",
            "1a:b",
            "",
        ] {
            assert_eq!(split_permission(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn names_are_distinct() {
        let isolation = Isolation::ALL.map(Isolation::name);
        assert_eq!(
            isolation,
            ["read_committed", "repeatable_read", "serializable"]
        );
        assert_eq!(Accept::ALL.map(Accept::name), ["json", "form"]);
    }
}
