//! The Redis store (feature `redis`): GCRA in a Lua script, which Redis runs atomically, so the
//! nodes sharing one Redis share limits exactly (up to their clocks' skew). Keys expire on
//! their own once their time has passed. One multiplexed connection per node, reconnected after
//! a failure; a command that gets no answer within a second fails, and the request with it.

use super::RateLimit;
use super::{Store, StoreError, gcra, micros, micros_now, remaining, wait};
use crate::base::Clock;
use futures_util::future::{BoxFuture, FutureExt};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

/// `KEYS[1]`, at `ARGV[1]` = now, interval, period (microseconds): `0` when counted, else the
/// wait. Numbers are formatted with `%.0f`: Lua's default would write microseconds since the
/// epoch in exponent notation.
const HIT: &str = r"
local now, interval, per = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now) + interval
if tat - per > now then return tat - per - now end
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 1)
return 0
";

/// `KEYS[1]` locked until `ARGV[2]`, at `ARGV[1]` = now, unless it already is for longer.
const LOCK: &str = r"
local now, deadline = tonumber(ARGV[1]), tonumber(ARGV[2])
if tonumber(redis.call('GET', KEYS[1]) or '0') < deadline then
  redis.call('SET', KEYS[1], string.format('%.0f', deadline), 'PX', math.floor((deadline - now) / 1000) + 1)
end
return 0
";

pub(super) struct RedisStore {
    clock: Arc<dyn Clock>,
    client: redis::Client,
    /// Connected on first use (the server is built outside any runtime, in tests), again after
    /// a failure to connect.
    connection: OnceCell<ConnectionManager>,
    prefix: String,
}

impl RedisStore {
    /// A store on the Redis of `url`, its keys under `prefix`. The URL is checked now; the
    /// connection is made by the first request.
    pub(super) fn new(
        clock: Arc<dyn Clock>,
        url: &str,
        prefix: &str,
    ) -> Result<RedisStore, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|error| StoreError(format!("not a Redis URL: {error}")))?;
        Ok(RedisStore {
            clock,
            client,
            connection: OnceCell::new(),
            prefix: prefix.to_owned(),
        })
    }

    async fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(1);
        self.connection
            .get_or_try_init(|| self.client.get_connection_manager_with_config(config))
            .await
            .cloned()
            .map_err(|error| StoreError(format!("Redis: {error}")))
    }

    fn key(&self, bucket: &str, key: &str) -> String {
        format!("{}{bucket}:{key}", self.prefix)
    }

    async fn eval(&self, script: &str, key: String, args: &[i64]) -> Result<i64, StoreError> {
        let mut command = redis::cmd("EVAL");
        command.arg(script).arg(1).arg(key);
        for arg in args {
            command.arg(*arg);
        }
        command
            .query_async(&mut self.connection().await?)
            .await
            .map_err(|error| StoreError(format!("Redis: {error}")))
    }
}

impl Store for RedisStore {
    fn hit<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        limit: RateLimit,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>> {
        async move {
            let (interval, per) = gcra(limit);
            let now = micros_now(&*self.clock);
            let waits = self
                .eval(HIT, self.key(bucket, key), &[now, interval, per])
                .await?;
            Ok((waits > 0).then(|| wait(waits)))
        }
        .boxed()
    }

    fn lock<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        period: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        async move {
            let now = micros_now(&*self.clock);
            let until = now.saturating_add(micros(period));
            self.eval(LOCK, self.key(bucket, key), &[now, until])
                .await
                .map(drop)
        }
        .boxed()
    }

    fn locked<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>> {
        async move {
            let now = micros_now(&*self.clock);
            let until: Option<i64> = redis::cmd("GET")
                .arg(self.key(bucket, key))
                .query_async(&mut self.connection().await?)
                .await
                .map_err(|error| StoreError(format!("Redis: {error}")))?;
            Ok(remaining(until, now))
        }
        .boxed()
    }
}
