//! The limits themselves: [`RateLimit`] (how many requests per period) and
//! [`RateLimitStore`] (where they are counted).

use actions_declare::RateLimitError;
use std::num::NonZeroU32;
use std::time::Duration;

/// How many requests a client may make: `burst` at once, refilled evenly over `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Requests allowed at once.
    pub burst: NonZeroU32,
    /// The time over which `burst` requests are replenished.
    pub per: Duration,
}

impl RateLimit {
    /// No practical limit: four billion requests a second. For benchmarks and load tests, or
    /// behind a gateway that limits already.
    pub const UNLIMITED: RateLimit = RateLimit {
        burst: NonZeroU32::MAX,
        per: Duration::from_secs(1),
    };

    /// `burst` requests per `per`.
    pub fn new(burst: u32, per: Duration) -> RateLimit {
        RateLimit {
            burst: NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN),
            per,
        }
    }
}

/// `30/min`, `5/s`, `3/10s`, `100/h` (also `sec`, `second`, `minute`, `hour`, `day`, each
/// optionally after a count of them), or `off`
/// ([`RateLimit::UNLIMITED`]): how the command line reads a limit from the environment.
impl std::str::FromStr for RateLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<RateLimit, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(RateLimit::UNLIMITED);
        }
        match actions_declare::parse_rate_limit(text) {
            Ok((count, seconds)) => Ok(RateLimit::new(count, Duration::from_secs(seconds))),
            Err(RateLimitError::ZeroCount) => Err(format!(
                "a rate limit allows at least one request, not {text:?}"
            )),
            Err(RateLimitError::Malformed) => Err(format!(
                "expected `<count>/<s|min|h|day>` or `off`, not {text:?}"
            )),
        }
    }
}

/// Where the rate limits and lock-outs are counted: what the nodes of a cluster must share so
/// that a client spreading its requests over them is limited as on one. All stores run the same
/// GCRA (`burst` at once, refilled evenly over `per`) on the auth clock.
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimitStore {
    /// This process's memory (governor): one node. The default.
    #[default]
    Memory,
    /// The server's PostgreSQL database (the `action_rate_limits` table): every node on the
    /// database shares the limits, with no other component. Not on SQLite.
    Postgres,
    /// A Redis server (feature `redis`), keys under `prefix`.
    #[cfg(feature = "redis")]
    Redis {
        /// `redis://[user:password@]host[:port][/db]`.
        url: String,
        /// What every key starts with (`actions:rate:` unless set), so that apps or tests can
        /// share one Redis.
        prefix: String,
    },
}

/// Without the password a Redis URL may hold.
impl std::fmt::Debug for RateLimitStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RateLimitStore::Memory => f.write_str("Memory"),
            RateLimitStore::Postgres => f.write_str("Postgres"),
            #[cfg(feature = "redis")]
            RateLimitStore::Redis { url, prefix } => {
                let host = url.rsplit_once('@').map_or(url.as_str(), |(_, host)| host);
                let host = host.trim_start_matches("redis://");
                write!(
                    f,
                    "Redis {{ url: \"redis://…@{host}\", prefix: {prefix:?} }}"
                )
            }
        }
    }
}

/// `memory`, `postgres` or a `redis://` URL (feature `redis`): how the command line reads
/// `RATE_LIMIT_STORE`.
impl std::str::FromStr for RateLimitStore {
    type Err = String;

    fn from_str(text: &str) -> Result<RateLimitStore, String> {
        let text = text.trim();
        match text {
            "memory" => Ok(RateLimitStore::Memory),
            "postgres" | "postgresql" => Ok(RateLimitStore::Postgres),
            #[cfg(feature = "redis")]
            url if url.starts_with("redis://") => {
                // (The URL is not repeated: it may hold a password.)
                redis::Client::open(url).map_err(|error| format!("not a Redis URL: {error}"))?;
                Ok(RateLimitStore::Redis {
                    url: url.to_owned(),
                    prefix: "actions:rate:".to_owned(),
                })
            }
            #[cfg(not(feature = "redis"))]
            url if url.starts_with("redis://") => {
                Err("this build has no Redis store (build with the `redis` feature)".to_owned())
            }
            other => Err(format!(
                "expected `memory`, `postgres` or a `redis://` URL, not {other:?}"
            )),
        }
    }
}
