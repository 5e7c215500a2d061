//! Batches: every ready claim of one payer becomes one 837P interchange, stored byte for byte with
//! its control number; its claims become submitted. Downloads hand back the stored bytes.

use super::claim_file::{billing_provider, claim_out, validate};
use super::edi::{self, Interchange, Receiver};
use super::repo::{self, ClaimFileRow, LineRow, NewBatch, PracticeRow};
use crate::audit::server::{record, record_refusal, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::{BatchId, PayerId};
use chrono::NaiveDateTime;
use sqlx::PgPool;

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

pub async fn overview(pool: &PgPool, user: &CurrentUser) -> Result<BatchesOverview, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    Ok(BatchesOverview {
        ready: repo::ready_for_batch(&mut conn).await?,
        batches: repo::batches(&mut conn).await?,
    })
}

/// The interchange of `claims` (rows and their lines, in claim order), or the first problem that
/// stops one of them, named by its claim number.
pub fn build_interchange(
    practice: &PracticeRow,
    claims: &[ClaimFileRow],
    lines: &[LineRow],
    control_number: i32,
    now: NaiveDateTime,
) -> Result<Interchange, AppError> {
    let billing = billing_provider(practice);
    let mut out = Vec::with_capacity(claims.len());
    for claim in claims {
        let own: Vec<LineRow> = lines
            .iter()
            .filter(|l| l.claim_id == claim.id)
            .cloned()
            .collect();
        if let Some(p) = validate(practice, claim, &own, now.date()).first() {
            return Err(AppError::Conflict(format!(
                "Claim {}: {}",
                claim.claim_number, p.message
            )));
        }
        let npi = practice.billing_npi.as_deref().unwrap_or_default();
        out.push(claim_out(claim, &own, npi));
    }
    let (Some(billing), Some(first)) = (billing, claims.first()) else {
        return Err(AppError::Conflict("There are no claims to send.".into()));
    };
    Ok(Interchange {
        control_number,
        created_at: now,
        production: true,
        billing,
        receiver: Receiver {
            name: first.payer_name.clone(),
            payer_code: first.payer_code.clone(),
        },
        claims: out,
    })
}

/// One 837P of every ready claim of `payer`; the claims become submitted.
pub async fn create_batch(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    payer: PayerId,
) -> Result<BatchId, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut tx = pool.begin().await?;
    let ids = repo::lock_ready_claims(&mut tx, payer).await?;
    if ids.is_empty() {
        return Err(AppError::Conflict(
            "This payer has no ready claims: mark claims ready first.".into(),
        ));
    }
    let claims = repo::claim_files(&mut tx, &ids).await?;
    let lines = repo::claim_lines(&mut tx, &ids).await?;
    let practice = repo::practice(&mut tx).await?;
    let control = repo::next_control_number(&mut tx).await?;
    let now = chrono::Utc::now().naive_utc();
    let interchange = build_interchange(&practice, &claims, &lines, control, now)?;
    let file = edi::write_837p(&interchange);
    // what we send must read back as a well-formed interchange
    if let Err(why) = edi::read(&file) {
        tracing::error!(%why, "a generated 837P did not read back");
        return Err(AppError::Internal);
    }
    let total: i64 = lines.iter().map(|l| l.amount_cents).sum();
    let claim_count = i32::try_from(ids.len()).map_err(|_| AppError::Internal)?;
    let batch = repo::insert_batch(
        &mut tx,
        &NewBatch {
            payer_id: payer,
            control_number: control,
            file: file.as_bytes(),
            claim_count,
            total_cents: total,
            created_by: user.id,
        },
    )
    .await?;
    repo::submit_claims(&mut tx, batch, &ids, user.id).await?;
    // one event per claim, so that each client's history shows their claim going out
    for claim in &claims {
        record(
            &mut tx,
            audit(actions::BATCH_CREATE, user, meta)
                .entity("claim", claim.id)
                .client(claim.client_id)
                .detail(serde_json::json!({ "batch_id": batch, "control_number": control })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(batch)
}

/// A batch's 837P exactly as it was stored, with a file name.
pub async fn batch_file(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: BatchId,
) -> Result<(String, Vec<u8>), AppError> {
    if let Err(refusal) = user.require(Permission::ManageBilling) {
        let event = AuditEvent::new(actions::BATCH_DOWNLOAD, Outcome::Denied, meta)
            .by(user)
            .entity("claim_batch", id);
        return Err(record_refusal(pool, event, refusal).await);
    }
    crate::auth::server::step_up::require_recent(pool, user).await?;
    let mut tx = pool.begin().await?;
    let (control, file) = repo::batch_file(&mut tx, id).await?;
    // the file names every client on it: each client's history shows the download
    for (claim, client) in repo::batch_claims(&mut tx, id).await? {
        record(
            &mut tx,
            audit(actions::BATCH_DOWNLOAD, user, meta)
                .entity("claim", claim)
                .client(client)
                .detail(serde_json::json!({ "batch_id": id })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((format!("837p-{control:09}.x12"), file))
}
