//! The PostgreSQL store: the `action_rate_limits` table on the server's database, so the nodes
//! of a cluster share limits with no new component. GCRA in one atomic upsert per request: the
//! row lock orders concurrent requests of one key, so the limit is exact however many nodes
//! count (up to the clocks' skew between nodes, which shifts a key's window by as much).

use super::RateLimit;
use super::{Store, StoreError, gcra, micros, micros_now, remaining, wait};
use crate::base::Clock;
use crate::db::{Database, DbConn};
use diesel::sql_types::{BigInt, Text};
use futures_util::future::{BoxFuture, FutureExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// How often, at most, a node deletes the rows whose time has passed.
const PURGE_EVERY: Duration = Duration::from_secs(10 * 60);

/// Counts the request if the key's theoretical arrival time, moved on by one interval, is within
/// the refill period of now; no row back means over the limit. A new key starts full.
const HIT: &str = "\
INSERT INTO action_rate_limits (bucket, key, tat) VALUES ($1, $2, $3 + $4) \
ON CONFLICT (bucket, key) DO UPDATE \
SET tat = GREATEST(action_rate_limits.tat, $3) + $4 \
WHERE GREATEST(action_rate_limits.tat, $3) + $4 - $5 <= $3 \
RETURNING tat";

/// Extends a lock-out, never shortens one.
const LOCK: &str = "\
INSERT INTO action_rate_limits (bucket, key, tat) VALUES ($1, $2, $3) \
ON CONFLICT (bucket, key) DO UPDATE SET tat = GREATEST(action_rate_limits.tat, EXCLUDED.tat) \
RETURNING tat";

/// The key's time: for a refused request, when it may come; for a lock, when it ends.
const TAT: &str = "SELECT tat FROM action_rate_limits WHERE bucket = $1 AND key = $2";

#[derive(diesel::QueryableByName)]
struct Tat {
    #[diesel(sql_type = BigInt)]
    tat: i64,
}

pub(super) struct PostgresStore {
    clock: Arc<dyn Clock>,
    database: Database,
    last_purge: AtomicI64,
}

impl PostgresStore {
    pub(super) fn new(clock: Arc<dyn Clock>, database: Database) -> PostgresStore {
        PostgresStore {
            clock,
            database,
            last_purge: AtomicI64::new(0),
        }
    }

    /// Runs `query` (with the bucket and key bound first, then `values`) on a pooled
    /// connection: the rows it returns.
    async fn query(
        &self,
        query: &'static str,
        bucket: &str,
        key: &str,
        values: &[i64],
    ) -> Result<Vec<Tat>, StoreError> {
        use diesel_async::RunQueryDsl;
        let fail = |error: String| StoreError(format!("PostgreSQL: {error}"));
        let result = self
            .database
            .run(async |conn| {
                let DbConn::Postgres(c) = conn else {
                    return Err(diesel::result::Error::NotFound);
                };
                let mut query = diesel::sql_query(query)
                    .into_boxed::<diesel::pg::Pg>()
                    .bind::<Text, _>(bucket)
                    .bind::<Text, _>(key);
                for value in values {
                    query = query.bind::<BigInt, _>(*value);
                }
                query.load::<Tat>(&mut **c).await
            })
            .await
            .map_err(|error| fail(error.to_string()))?;
        result.map_err(|error| fail(error.to_string()))
    }

    /// Deletes the rows whose time has passed (they mean what no row means), at most once per
    /// [`PURGE_EVERY`] on this node.
    async fn purge(&self, now: i64) -> Result<(), StoreError> {
        let last = AtomicI64::load(&self.last_purge, Ordering::Relaxed);
        if now - last < micros(PURGE_EVERY)
            || self
                .last_purge
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return Ok(());
        }
        use diesel_async::RunQueryDsl;
        self.database
            .run(async |conn| {
                let DbConn::Postgres(c) = conn else {
                    return Ok(0);
                };
                diesel::sql_query("DELETE FROM action_rate_limits WHERE tat < $1")
                    .bind::<BigInt, _>(now)
                    .execute(&mut **c)
                    .await
            })
            .await
            .map_err(|error| StoreError(error.to_string()))?
            .map_err(|error| StoreError(format!("PostgreSQL: {error}")))?;
        Ok(())
    }
}

impl Store for PostgresStore {
    fn hit<'a>(
        &'a self,
        bucket: &'static str,
        key: &'a str,
        limit: RateLimit,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>> {
        async move {
            let now = micros_now(&*self.clock);
            self.purge(now).await?;
            let (interval, per) = gcra(limit);
            if !self
                .query(HIT, bucket, key, &[now, interval, per])
                .await?
                .is_empty()
            {
                return Ok(None);
            }
            // Refused: when the next request would be counted (another node may have moved
            // the key on meanwhile; the answer is then a little early, never wrong).
            let tat = self
                .query(TAT, bucket, key, &[])
                .await?
                .first()
                .map_or(now, |row| row.tat);
            Ok(Some(wait(tat.max(now) + interval - per - now)))
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
            let until = micros_now(&*self.clock).saturating_add(micros(period));
            self.query(LOCK, bucket, key, &[until]).await.map(drop)
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
            let rows = self.query(TAT, bucket, key, &[]).await?;
            Ok(remaining(rows.first().map(|row| row.tat), now))
        }
        .boxed()
    }
}
