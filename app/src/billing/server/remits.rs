//! Remittances: an 835 is read, refused whole unless it balances, matched to our claims and lines,
//! and posted in one transaction; importing it again posts nothing. Unmatched claims wait in a
//! queue with the reason. Billers and admins only.

use super::edi::remit::parse_835;
use super::ledger_repo as repo;
use super::posting::{plan, Known};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::reasons::{adjustment_words, rarc_words};
use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::{ClaimId, EraClaimId, EraId};
use crate::money::Money;
use sqlx::PgPool;

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

/// Imports one 835 file. A file that does not parse or balance is refused with the reason under
/// `file`, and nothing of it is stored.
pub async fn import_era(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    file: &[u8],
) -> Result<EraImported, AppError> {
    user.require(Permission::ManageBilling)?;
    let text = std::str::from_utf8(file)
        .map_err(|_| AppError::field("file", "The file is not text: an 835 is plain X12 text."))?;
    let r = parse_835(text).map_err(|m| AppError::field("file", m))?;
    let mut tx = pool.begin().await?;
    if let Some(era_id) = repo::era_by_trace(&mut tx, &r.payer_identifier, &r.trace_number).await? {
        return Ok(EraImported {
            era_id,
            duplicate: true,
            claims_matched: 0,
            claims_unmatched: 0,
            lines_unmatched: 0,
            posted_cents: 0,
        });
    }
    let payer = match &r.payer_code {
        Some(code) => repo::payer_by_code(&mut tx, code).await?,
        None => None,
    };
    let numbers: Vec<String> = r
        .claims
        .iter()
        .map(|c| c.patient_control_number.clone())
        .collect();
    let claims = repo::claims_by_number(&mut tx, &numbers).await?;
    let ids: Vec<ClaimId> = claims.values().map(|c| c.id).collect();
    let mut clients: Vec<_> = claims.values().map(|c| c.client_id).collect();
    clients.sort();
    clients.dedup();
    repo::lock_clients(&mut tx, &clients).await?;
    let lines = repo::lines_of_claims(&mut tx, &ids).await?;
    let priors = repo::priors(&mut tx, &ids).await?;
    let plan = plan(
        &r,
        &Known {
            era_payer: payer,
            claims: &claims,
            lines: &lines,
            priors: &priors,
        },
    );
    let era_id = repo::insert_era(&mut tx, &r, payer, file, &plan, user.id).await?;
    repo::insert_entries(&mut tx, &plan.entries, user.id).await?;
    if !plan.reversed.is_empty() {
        let touched: Vec<_> = plan.entries.iter().filter_map(|e| e.charge_id).collect();
        repo::return_overapplied(&mut tx, &touched, user.id).await?;
    }
    repo::apply_statuses(&mut tx, &plan, &r.trace_number, user.id).await?;
    repo::settle_era_totals(&mut tx, era_id).await?;
    record(
        &mut tx,
        audit(actions::ERA_IMPORT, user, meta).detail(serde_json::json!({
            "era_id": era_id,
            "trace_number": r.trace_number,
            "claims": r.claims.len(),
            "claims_matched": plan.claims_matched(),
            "posted_cents": plan.posted_cents,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(EraImported {
        era_id,
        duplicate: false,
        claims_matched: plan.claims_matched(),
        claims_unmatched: plan.claims.len() as i64 - plan.claims_matched(),
        lines_unmatched: plan.lines_unmatched(),
        posted_cents: plan.posted_cents,
    })
}

/// The Payments page: recent remittances and what waits in the unmatched queue.
pub async fn overview(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<PaymentsOverview, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    let eras = repo::eras(&mut conn, 200).await?;
    let unmatched = repo::unmatched(&mut conn, 500).await?;
    record(&mut conn, audit(actions::ERA_VIEW, user, meta)).await?;
    Ok(PaymentsOverview { eras, unmatched })
}

fn explain(group: &str, reason: &str, cents: i64) -> AdjustmentView {
    AdjustmentView {
        group: group.to_owned(),
        reason: reason.to_owned(),
        words: adjustment_words(group, reason),
        amount: Money(cents),
    }
}

fn remarks(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| match rarc_words(c) {
            Some(words) => format!("{c}: {words}"),
            None => c.clone(),
        })
        .collect()
}

/// One remittance in words: every claim, line and adjustment, and what was not posted and why.
pub async fn era_detail(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    era: EraId,
) -> Result<EraDetail, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    let summary = repo::era_summary(&mut conn, era).await?;
    let claims = repo::era_claims(&mut conn, era).await?;
    let lines = repo::era_lines(&mut conn, era).await?;
    let adjustments = repo::era_adjustments(&mut conn, era).await?;
    let provider_adjustments = repo::era_provider_adjustments(&mut conn, era).await?;
    // the remittance names every client on it: each client's history shows the read
    let mut clients: Vec<_> = claims.iter().filter_map(|c| c.client_id).collect();
    clients.sort();
    clients.dedup();
    for client in clients {
        record(
            &mut conn,
            audit(actions::ERA_VIEW, user, meta)
                .client(client)
                .detail(serde_json::json!({ "era_id": era })),
        )
        .await?;
    }
    let claims = claims
        .into_iter()
        .map(|c| EraClaimView {
            adjustments: adjustments
                .iter()
                .filter(|a| a.era_claim_id == c.id && a.era_line_id.is_none())
                .map(|a| explain(&a.group_code, &a.reason_code, a.amount_cents))
                .collect(),
            lines: lines
                .iter()
                .filter(|l| l.era_claim_id == c.id)
                .map(|l| EraLineView {
                    procedure_code: l.procedure_code.clone(),
                    modifiers: l.modifiers.clone(),
                    service_date: l.service_date,
                    charge: Money(l.charge_cents),
                    paid: Money(l.paid_cents),
                    units: l.units,
                    adjustments: adjustments
                        .iter()
                        .filter(|a| a.era_line_id == Some(l.id))
                        .map(|a| explain(&a.group_code, &a.reason_code, a.amount_cents))
                        .collect(),
                    remarks: remarks(&l.remark_codes),
                    unmatched_reason: l.unmatched_reason.clone(),
                })
                .collect(),
            id: c.id,
            status: claim_status_words(&c.status_code).to_owned(),
            denied: c.status_code == "4",
            claim_id: c.claim_id,
            client_id: c.client_id,
            client_name: c
                .client_name
                .or(Some(c.patient_name).filter(|n| !n.is_empty())),
            patient_control_number: c.patient_control_number,
            charge: Money(c.charge_cents),
            paid: Money(c.paid_cents),
            client_share: Money(c.patient_share_cents),
            remarks: remarks(&c.remark_codes),
            unmatched_reason: c.unmatched_reason,
            reversed: c.reversed,
            resolution: c.resolution,
        })
        .collect();
    Ok(EraDetail {
        summary,
        claims,
        provider_adjustments,
    })
}

/// Closes an unmatched item once the biller has dealt with it (posted by hand, returned the money).
pub async fn resolve_unmatched(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    era_claim: EraClaimId,
    resolution: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let resolution = resolution.trim();
    if resolution.is_empty() || resolution.chars().count() > 300 {
        return Err(AppError::field(
            "resolution",
            "Say in a few words what was done (up to 300 characters).",
        ));
    }
    let mut tx = pool.begin().await?;
    if !repo::resolve_unmatched(&mut tx, era_claim, resolution, user.id).await? {
        return Err(AppError::Conflict(
            "This item was resolved already, or does not exist.".into(),
        ));
    }
    record(
        &mut tx,
        audit(actions::ERA_RESOLVE, user, meta)
            .detail(serde_json::json!({ "era_claim_id": era_claim })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
