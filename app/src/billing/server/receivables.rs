//! What the practice is owed and what came in: aging by payer and by client, unbilled sessions,
//! open denials by reason, this month's payments, and each remittance reconciled. Billers and admins.

use super::receivables_repo as repo;
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::reasons::adjustment_words;
use crate::billing::types::*;
use crate::error::AppError;
use crate::money::Money;
use chrono::Datelike;
use sqlx::PgPool;

/// How many clients the by-client table lists (the totals count them all).
pub const TOP_CLIENTS: i64 = 200;

/// Adds up what postings recorded for the aging summary since the last time. Run every half
/// minute by the server; readers are right without it (they add the recorded changes themselves),
/// it only keeps what they add small.
pub async fn fold(pool: &PgPool) -> Result<i64, AppError> {
    let mut conn = pool.acquire().await?;
    repo::fold_open_by_day(&mut conn).await
}

pub async fn receivables(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Receivables, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    let today = repo::today(&mut conn).await?;
    let by_payer = repo::aging_by_payer(&mut conn, today).await?;
    let (by_client, client_totals, clients_owing) =
        repo::aging_by_client(&mut conn, today, TOP_CLIENTS).await?;
    let credit_on_accounts = repo::credit_on_accounts(&mut conn).await?;
    let unbilled = repo::unbilled(&mut conn, today).await?;
    let denials = repo::denials(&mut conn)
        .await?
        .into_iter()
        .map(|d| DenialReason {
            words: if d.reason_code.is_empty() {
                "No reason given".into()
            } else {
                adjustment_words(&d.group_code, &d.reason_code)
            },
            claims: d.claims,
            amount: Money(d.cents),
        })
        .collect();
    let (insurance_paid_this_month, client_paid_this_month) =
        repo::paid_this_month(&mut conn, today).await?;
    let first_of_month = today.with_day(1).unwrap_or(today);
    let reconciliation = repo::reconciliation(&mut conn, first_of_month).await?;
    record(
        &mut conn,
        AuditEvent::new(actions::RECEIVABLES_VIEW, Outcome::Success, meta).by(user),
    )
    .await?;
    let mut payer_totals = [Money(0); 5];
    for row in &by_payer {
        for (total, b) in payer_totals.iter_mut().zip(row.buckets) {
            *total = Money(total.cents() + b.cents());
        }
    }
    Ok(Receivables {
        as_of: today,
        by_payer,
        payer_totals,
        by_client,
        client_totals: client_totals.buckets,
        clients_owing,
        credit_on_accounts,
        unbilled,
        denials,
        insurance_paid_this_month,
        client_paid_this_month,
        reconciliation,
    })
}
