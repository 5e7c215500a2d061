//! The server side of billing: rules and audit in the services, SQL in the repos, X12 in `edi`,
//! what a remittance posts in `posting`.

pub mod acks;
pub mod acks_repo;
pub mod batches;
pub mod charges;
pub mod claim_file;
pub mod claims;
pub mod cms1500;
pub mod edi;
pub mod fees;
pub mod ledger;
pub mod ledger_repo;
pub mod posting;
pub mod receivables;
pub mod receivables_repo;
pub mod refusals;
pub mod remits;
pub mod repo;
pub mod statements;
pub mod statements_repo;

use crate::audit::server::{record_refusal, AuditEvent};
use crate::auth::server::CurrentUser;
use crate::auth::types::Permission;
use crate::error::AppError;

/// Checks every one of `permissions`; a refusal is itself audited as `denied` (an event built with
/// the outcome denied), so a record's history shows who was turned away.
pub(crate) async fn require_audited(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    permissions: &[Permission],
    denied: AuditEvent,
) -> Result<(), AppError> {
    match permissions.iter().try_for_each(|p| user.require(*p)) {
        Ok(()) => Ok(()),
        Err(refusal) => Err(record_refusal(pool, denied, refusal).await),
    }
}
