use super::repo;
use crate::audit::types::{AuditFilter, AuditPage, Outcome, AUDIT_PAGE_SIZE};
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::AppError;
use crate::ids::{ClientId, UserId};
use sqlx::{PgConnection, PgPool};

/// One audited action. Build with [`AuditEvent::new`] and the chained setters, then [`record`] it in
/// the same transaction as the change it describes. Never put PHI in `detail`: use IDs.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub entity_type: Option<&'static str>,
    pub entity_id: Option<String>,
    pub client_id: Option<ClientId>,
    pub outcome: Outcome,
    pub meta: RequestMeta,
    pub detail: serde_json::Value,
}

impl AuditEvent {
    pub fn new(action: &'static str, outcome: Outcome, meta: &RequestMeta) -> Self {
        AuditEvent {
            actor: None,
            action,
            entity_type: None,
            entity_id: None,
            client_id: None,
            outcome,
            meta: meta.clone(),
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn actor(mut self, actor: UserId) -> Self {
        self.actor = Some(actor);
        self
    }

    pub fn by(self, user: &CurrentUser) -> Self {
        self.actor(user.id)
    }

    pub fn entity(mut self, entity_type: &'static str, id: impl ToString) -> Self {
        self.entity_type = Some(entity_type);
        self.entity_id = Some(id.to_string());
        self
    }

    pub fn client(mut self, client: ClientId) -> Self {
        self.client_id = Some(client);
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

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
    let mut event = AuditEvent::new("audit.view", Outcome::Success, meta)
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
}

/// Recomputes every row's hash in order and checks each row points at its predecessor.
pub async fn verify_chain(pool: &PgPool) -> Result<ChainReport, AppError> {
    use futures_util::TryStreamExt;
    let mut rows = repo::chain(pool);
    let mut checked = 0u64;
    let mut previous: Option<(i64, Vec<u8>)> = None;
    while let Some(link) = rows.try_next().await? {
        checked += 1;
        let expected_id = previous.as_ref().map_or(1, |(id, _)| id + 1);
        let expected_prev: &[u8] = previous.as_ref().map_or(&[], |(_, h)| h.as_slice());
        let broken = if link.id != expected_id {
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
            });
        }
        previous = Some((link.id, link.hash));
    }
    Ok(ChainReport {
        checked,
        first_broken: None,
    })
}
