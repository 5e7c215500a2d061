pub use super::event::AuditEvent;
use super::repo;
use crate::audit::actions;
use crate::audit::types::{AuditFilter, AuditPage, Outcome, AUDIT_PAGE_SIZE};
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::AppError;

use sqlx::{PgConnection, PgPool};

/// Appends one event to the chain.
pub async fn record(conn: &mut PgConnection, event: AuditEvent) -> Result<(), AppError> {
    repo::insert(conn, &event).await
}

/// A page of the trail. Reading it is itself recorded: the trail names clients.
pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    filter: AuditFilter,
) -> Result<AuditPage, AppError> {
    user.require(Permission::ViewAudit)?;
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(AppError::field(
                "to",
                "The end date is before the start date.",
            ));
        }
    }
    let mut rows = repo::list(pool, &filter, AUDIT_PAGE_SIZE + 1).await?;
    let next_before_id = if rows.len() as i64 > AUDIT_PAGE_SIZE {
        rows.truncate(AUDIT_PAGE_SIZE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let mut event = AuditEvent::new(actions::VIEW, Outcome::Success, meta)
        .by(user)
        .detail(serde_json::json!({ "rows": rows.len(), "before_id": filter.before_id }));
    if let Some(client) = filter.client_id {
        event = event.client(client);
    }
    record(&mut *pool.acquire().await?, event).await?;
    Ok(AuditPage {
        rows,
        next_before_id,
    })
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub checked: u64,
    /// The first row whose link is broken, and why.
    pub first_broken: Option<(i64, &'static str)>,
    /// Each lane's last place and hash as verified (up to the break). A chain cannot show that
    /// rows were cut from its end: kept outside the database, these heads can.
    pub heads: Vec<LaneHead>,
}

/// Where a lane ends: its last place and that row's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneHead {
    pub lane: i16,
    pub place: i64,
    pub hash: Vec<u8>,
}

/// Recomputes every row's hash lane by lane and checks each row points at its predecessor in its
/// lane, with no place in the lane missing.
pub async fn verify_chain(pool: &PgPool) -> Result<ChainReport, AppError> {
    use futures_util::TryStreamExt;
    let mut rows = repo::chain(pool);
    let mut checked = 0u64;
    // each lane's last verified row; rows come lane by lane, so the previous row is the last head
    let mut heads: Vec<LaneHead> = Vec::new();
    while let Some(link) = rows.try_next().await? {
        checked += 1;
        let before = heads.last().filter(|head| head.lane == link.lane);
        let expected_place = before.map_or(1, |head| head.place + 1);
        let expected_prev: &[u8] = before.map_or(&[], |head| head.hash.as_slice());
        let broken = if link.place != expected_place {
            Some("a row is missing before this one")
        } else if link.prev_hash != expected_prev {
            Some("its previous-hash does not match the row before it")
        } else if link.hash != link.recomputed {
            Some("its content does not match its hash (the row was altered)")
        } else {
            None
        };
        if let Some(reason) = broken {
            return Ok(ChainReport {
                checked,
                first_broken: Some((link.id, reason)),
                heads,
            });
        }
        let head = LaneHead {
            lane: link.lane,
            place: link.place,
            hash: link.hash,
        };
        match heads.last_mut() {
            Some(last) if last.lane == head.lane => *last = head,
            _ => heads.push(head),
        }
    }
    Ok(ChainReport {
        checked,
        first_broken: None,
        heads,
    })
}

/// A client's events for the chart's activity tab, newest first: reads and refusals only with
/// `reads`, clinical events (diagnoses, clinical-risk alerts, notes) only with `clinical`.
pub async fn client_activity(
    conn: &mut sqlx::PgConnection,
    client: crate::ids::ClientId,
    reads: bool,
    clinical: bool,
    limit: i64,
) -> Result<Vec<crate::clients::types::ActivityItem>, crate::error::AppError> {
    super::repo::client_activity(conn, client, reads, clinical, limit).await
}

/// Records a refusal on a connection of its own: the caller's transaction rolls back with the
/// refusal and would take the record with it. Returns the refusal, to be returned in turn.
pub async fn record_refusal(pool: &PgPool, event: AuditEvent, refusal: AppError) -> AppError {
    let recorded = match pool.acquire().await {
        Ok(mut conn) => repo::insert(&mut conn, &event).await,
        Err(e) => Err(e.into()),
    };
    match recorded {
        Ok(()) => refusal,
        Err(e) => e,
    }
}
