//! SQL of acknowledgements (999s settling batches) and of corrected and void claims.

use crate::billing::types::{BatchStatus, ClaimStatus, Correction};
use crate::error::AppError;
use crate::ids::{BatchId, ClaimId, ClientId, UserId};
use sqlx::PgConnection;

/// The batch sent with `control_number` (GS06), locked, with its status.
pub async fn lock_batch_by_control(
    conn: &mut PgConnection,
    control_number: i32,
) -> Result<Option<(BatchId, BatchStatus)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: BatchId", status AS "status: BatchStatus"
             FROM claim_batches WHERE control_number = $1 FOR UPDATE"#,
        control_number
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.status)))
}

/// Whether the batch's earlier acknowledgement accepted it (`None`: it has none).
pub async fn earlier_ack(
    conn: &mut PgConnection,
    batch: BatchId,
) -> Result<Option<bool>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT accepted FROM batch_acknowledgements WHERE batch_id = $1",
        batch as BatchId
    )
    .fetch_optional(conn)
    .await?)
}

pub struct NewAck<'a> {
    pub batch: BatchId,
    pub interchange_number: i32,
    pub code: &'a str,
    pub accepted: bool,
    pub errors: &'a [String],
    pub file: &'a [u8],
    pub by: UserId,
}

/// Keeps the acknowledgement and settles its batch.
pub async fn settle_batch(conn: &mut PgConnection, ack: &NewAck<'_>) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO batch_acknowledgements
             (batch_id, interchange_number, ack_code, accepted, errors, file, imported_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        ack.batch as BatchId,
        ack.interchange_number,
        ack.code,
        ack.accepted,
        ack.errors,
        ack.file,
        ack.by as UserId,
    )
    .execute(&mut *conn)
    .await?;
    let status = if ack.accepted {
        BatchStatus::Accepted
    } else {
        BatchStatus::Rejected
    };
    sqlx::query!(
        "UPDATE claim_batches SET status = $2 WHERE id = $1",
        ack.batch as BatchId,
        status as BatchStatus,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the batch's claims that still wait on it from submitted to `to`, each with its history
/// row: `reason`, or the claim's own one from `own` (claim number, reason). Answers the claims
/// moved and their clients.
pub async fn settle_claims(
    conn: &mut PgConnection,
    batch: BatchId,
    to: ClaimStatus,
    reason: &str,
    own: &[(String, String)],
    by: UserId,
) -> Result<Vec<(ClaimId, ClientId)>, AppError> {
    let (numbers, reasons): (Vec<String>, Vec<String>) = own.iter().cloned().unzip();
    let rows = sqlx::query!(
        r#"WITH moved AS (
               UPDATE claims SET status = $2, updated_at = now()
                WHERE batch_id = $1 AND status = 'submitted'
            RETURNING id, client_id, claim_number
           ), history AS (
               INSERT INTO claim_status_history (claim_id, from_status, to_status, reason, changed_by)
               SELECT m.id, 'submitted', $2, coalesce(o.reason, $3), $4
                 FROM moved m
                 LEFT JOIN unnest($5::text[], $6::text[]) AS o(claim_number, reason)
                   ON o.claim_number = m.claim_number
           )
           SELECT id AS "id: ClaimId", client_id AS "client_id: ClientId" FROM moved ORDER BY id"#,
        batch as BatchId,
        to as ClaimStatus,
        reason,
        by as UserId,
        &numbers,
        &reasons,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.client_id)).collect())
}

/// The payer's own number for a claim: CLP07 of the latest remittance that answered it and was
/// not itself reversed.
pub async fn payer_claim_number(
    conn: &mut PgConnection,
    claim: ClaimId,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT ec.payer_claim_number
           FROM era_claims ec JOIN eras e ON e.id = ec.era_id
          WHERE ec.claim_id = $1 AND ec.payer_claim_number <> '' AND ec.status_code <> '22'
          ORDER BY e.imported_at DESC, ec.position DESC
          LIMIT 1",
        claim as ClaimId
    )
    .fetch_optional(conn)
    .await?)
}

/// Holds `claim` until the transaction ends, so that two corrections of it cannot cross.
pub async fn lock_claim(conn: &mut PgConnection, claim: ClaimId) -> Result<(), AppError> {
    sqlx::query_scalar!(
        "SELECT 1 AS one FROM claims WHERE id = $1 FOR UPDATE",
        claim as ClaimId
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// The live claim that corrects or voids `claim`, with its number.
pub async fn live_correction(
    conn: &mut PgConnection,
    claim: ClaimId,
) -> Result<Option<(ClaimId, String)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: ClaimId", claim_number FROM claims
            WHERE original_claim_id = $1 AND status <> 'void'"#,
        claim as ClaimId
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.claim_number)))
}

/// A draft claim of `kind` in place of `original`: the same client, payer, rendering provider and
/// lines, quoting the payer's number for the original. The policy is the client's policy with that
/// payer that covers the first date of service now — a member id put right is a new policy — or
/// else the original's.
pub async fn insert_correction(
    conn: &mut PgConnection,
    original: ClaimId,
    kind: Correction,
    payer_claim_number: &str,
    by: UserId,
) -> Result<(ClaimId, String), AppError> {
    let row = sqlx::query!(
        r#"INSERT INTO claims (client_id, policy_id, payer_id, rendering_provider_id, frequency,
                               original_claim_id, original_payer_claim_number, created_by)
           SELECT o.client_id, coalesce(now_on_file.id, o.policy_id), o.payer_id,
                  o.rendering_provider_id, $2, o.id, $3, $4
             FROM claims o
             LEFT JOIN LATERAL (
                   SELECT ip.id FROM insurance_policies ip
                    WHERE ip.client_id = o.client_id AND ip.payer_id = o.payer_id
                      AND ip.priority = (SELECT priority FROM insurance_policies WHERE id = o.policy_id)
                      AND (SELECT min(ch.service_date) FROM claim_lines l
                             JOIN charges ch ON ch.id = l.charge_id WHERE l.claim_id = o.id)
                          BETWEEN ip.coverage_start AND coalesce(ip.coverage_end, 'infinity')
                    ORDER BY ip.active DESC, ip.coverage_start DESC, ip.created_at DESC
                    LIMIT 1) now_on_file ON true
            WHERE o.id = $1
        RETURNING id AS "id: ClaimId", claim_number"#,
        original as ClaimId,
        kind.frequency(),
        payer_claim_number,
        by as UserId,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO claim_lines (claim_id, line_number, charge_id)
         SELECT $1, line_number, charge_id FROM claim_lines WHERE claim_id = $2",
        row.id as ClaimId,
        original as ClaimId,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO claim_status_history (claim_id, from_status, to_status, reason, changed_by)
         VALUES ($1, NULL, 'draft', $2, $3)",
        row.id as ClaimId,
        format!(
            "{} of {payer_claim_number}",
            match kind {
                Correction::Replace => "Correction",
                Correction::Void => "Void",
            }
        ),
        by as UserId,
    )
    .execute(conn)
    .await?;
    Ok((row.id, row.claim_number))
}
