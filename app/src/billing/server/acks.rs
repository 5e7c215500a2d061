//! Acknowledgements: the receiver's 999 settles each batch it names — accepted, so its claims go on
//! to the payer, or rejected with what was wrong, so the biller can fix and send them again. A file
//! that does not read, or names a batch we never sent, changes nothing.

use super::acks_repo::{self as repo, NewAck};
use super::edi::parse_999;
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::{AckImported, AckOutcome, ClaimStatus};
use crate::error::AppError;
use sqlx::PgPool;

/// How many of the receiver's complaints a claim's history keeps in its one-line reason.
const REASON_CHARS: usize = 300;

fn refused(message: String) -> AppError {
    AppError::field("file", message)
}

/// Imports one 999 file: every functional group it answers settles one of our batches.
pub async fn import_ack(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    file: &[u8],
) -> Result<AckImported, AppError> {
    user.require(Permission::ManageBilling)?;
    let text = std::str::from_utf8(file)
        .map_err(|_| refused("The file is not text: a 999 is plain X12 text.".into()))?;
    let ack = parse_999(text).map_err(refused)?;
    let interchange = i32::try_from(ack.control_number).map_err(|_| AppError::Internal)?;
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(ack.groups.len());
    for group in &ack.groups {
        let control = group.group_control;
        let Some((batch, _)) = repo::lock_batch_by_control(&mut tx, control).await? else {
            return Err(refused(format!(
                "The acknowledgement answers group {control:09}, but no batch of ours was sent with that control number."
            )));
        };
        // each of our batches is one transaction set: a count of more means another sender's file
        if group.sets_included != 1 {
            return Err(refused(format!(
                "The acknowledgement counts {} transaction sets in group {control:09}; that batch sent one.",
                group.sets_included
            )));
        }
        let accepted = group.accepted();
        let errors = group.all_errors();
        let outcome = |duplicate, claims_changed| AckOutcome {
            batch_id: batch,
            control_number: control,
            accepted,
            duplicate,
            claims_changed,
            errors: errors.clone(),
        };
        match repo::earlier_ack(&mut tx, batch).await? {
            Some(earlier) if earlier == accepted => {
                outcomes.push(outcome(true, 0));
                continue;
            }
            Some(earlier) => {
                return Err(AppError::Conflict(format!(
                    "Batch {control:09} was already acknowledged as {}; this file says {}. Ask the clearinghouse which answer stands.",
                    said(earlier),
                    said(accepted)
                )))
            }
            None => {}
        }
        repo::settle_batch(
            &mut tx,
            &NewAck {
                batch,
                interchange_number: interchange,
                code: group.code.code(),
                accepted,
                errors: &errors,
                file,
                by: user.id,
            },
        )
        .await?;
        let (to, reason) = if accepted {
            (
                ClaimStatus::Accepted,
                format!("{} (999 {interchange:09})", group.code.words()),
            )
        } else {
            let why = errors
                .first()
                .cloned()
                .unwrap_or_else(|| group.code.words().to_owned());
            (
                ClaimStatus::Rejected,
                shorten(&format!("Rejected by the receiver: {why}")),
            )
        };
        let moved = repo::settle_claims(&mut tx, batch, to, &reason, user.id).await?;
        for (claim, client) in &moved {
            record(
                &mut tx,
                AuditEvent::new(actions::CLAIM_STATUS, Outcome::Success, meta)
                    .by(user)
                    .entity("claim", *claim)
                    .client(*client)
                    .detail(serde_json::json!({
                        "from": "submitted", "to": to.as_str(), "batch_id": batch, "acknowledgement": interchange,
                    })),
            )
            .await?;
        }
        record(
            &mut tx,
            AuditEvent::new(actions::ACK_IMPORT, Outcome::Success, meta)
                .by(user)
                .entity("claim_batch", batch)
                .detail(serde_json::json!({
                    "code": group.code.code(), "accepted": accepted, "errors": errors.len(), "claims": moved.len(),
                })),
        )
        .await?;
        outcomes.push(outcome(false, moved.len()));
    }
    tx.commit().await?;
    Ok(AckImported { batches: outcomes })
}

fn said(accepted: bool) -> &'static str {
    if accepted {
        "accepted"
    } else {
        "rejected"
    }
}

/// A reason cut to what a history row holds, at a character boundary.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(REASON_CHARS - 1) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn a_long_reason_fits_a_history_row() {
        let long = "é".repeat(400);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), 300);
        assert!(short.ends_with('…'));
        assert_eq!(
            shorten("CLM05-3: Invalid code value"),
            "CLM05-3: Invalid code value"
        );
    }
}
