//! Acknowledgements: the receiver's 999 settles each batch it names — accepted, so its claims go on
//! to the payer, or rejected with what was wrong, so the biller can fix and send them again. A file
//! that does not read, or names a batch we never sent, changes nothing.

use super::acks_repo::{self as repo, NewAck};
use super::edi::ack::Complaint;
use super::edi::{parse_999, GroupAck};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::{AckImported, AckOutcome, ClaimStatus};
use crate::error::AppError;
use sqlx::PgPool;

/// How many characters a claim's history keeps of a reason.
const REASON_CHARS: usize = 300;
/// How many of the receiver's complaints a batch keeps.
const MAX_KEPT: usize = 200;

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
    // batches are locked in control-number order, so two files naming the same ones cannot cross
    let mut groups: Vec<&GroupAck> = ack.groups.iter().collect();
    groups.sort_by_key(|g| g.group_control);
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(groups.len());
    for group in groups {
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
        let complaints = group.all_errors();
        let errors = kept_words(&complaints);
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
        let (to, reason, own_reasons) = if accepted {
            (
                ClaimStatus::Accepted,
                format!("{} (999 {interchange:09})", group.code.words()),
                Vec::new(),
            )
        } else {
            let (_, sent) = crate::billing::server::repo::batch_file(&mut tx, batch).await?;
            let (whole, own) = complaints_by_claim(&String::from_utf8_lossy(&sent), &complaints);
            // a claim the receiver named gets its own complaint; the others, what concerns the
            // whole batch, or that the batch went back because of another claim
            let reason = match (whole, own.first()) {
                (Some(w), _) => format!("Rejected by the receiver: {w}"),
                (None, Some((claim, w))) => format!(
                    "Rejected by the receiver with the rest of its batch, for claim {claim}: {w}"
                ),
                (None, None) => format!("Rejected by the receiver: {}", group.code.words()),
            };
            let own = own
                .into_iter()
                .map(|(claim, w)| (claim, shorten(&format!("Rejected by the receiver: {w}"))))
                .collect();
            (ClaimStatus::Rejected, shorten(&reason), own)
        };
        let moved = repo::settle_claims(&mut tx, batch, to, &reason, &own_reasons, user.id).await?;
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

/// The complaints a batch keeps: the first 200, the last of them saying how many more there were.
fn kept_words(complaints: &[Complaint]) -> Vec<String> {
    let mut words: Vec<String> = complaints.iter().map(|c| c.words.clone()).collect();
    if words.len() > MAX_KEPT {
        let more = words.len() - (MAX_KEPT - 1);
        words.truncate(MAX_KEPT - 1);
        words.push(format!(
            "… and {more} more complaints in the acknowledgement"
        ));
    }
    words
}

/// The complaint that concerns the whole batch (about its header or billing provider, or naming
/// no segment), if any, and each claim's own first complaint by claim number. A complaint names
/// the 837P segment's position (ST is 1); each claim's segments run from its subscriber's HL to
/// the next one.
fn complaints_by_claim(
    sent: &str,
    complaints: &[Complaint],
) -> (Option<String>, Vec<(String, String)>) {
    let claim_at = claim_positions(sent);
    let mut whole = None;
    let mut own: Vec<(String, String)> = Vec::new();
    for c in complaints {
        let claim = c
            .position
            .and_then(|p| claim_at.get(p.checked_sub(1)?).cloned().flatten());
        match claim {
            Some(claim) if !own.iter().any(|(k, _)| *k == claim) => {
                own.push((claim, c.words.clone()))
            }
            Some(_) => {}
            None => {
                whole.get_or_insert_with(|| c.words.clone());
            }
        }
    }
    (whole, own)
}

/// For each segment of the 837P's transaction set (index 0 is ST), the claim number (CLM01) of
/// the subscriber loop it stands in; `None` before the first subscriber.
fn claim_positions(sent: &str) -> Vec<Option<String>> {
    let Ok(parsed) = super::edi::read(sent) else {
        return Vec::new();
    };
    let set = parsed.segments.iter().skip_while(|s| s.id != "ST");
    let mut group_of: Vec<Option<usize>> = Vec::new();
    let mut numbers: Vec<Option<String>> = Vec::new();
    for seg in set {
        if seg.id == "HL" && seg.el(3) == "22" {
            numbers.push(None);
        }
        if seg.id == "CLM" {
            if let Some(last) = numbers.last_mut() {
                *last = Some(seg.el(1).to_owned());
            }
        }
        group_of.push(numbers.len().checked_sub(1));
        if seg.id == "SE" {
            break;
        }
    }
    group_of
        .into_iter()
        .map(|g| g.and_then(|g| numbers[g].clone()))
        .collect()
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
    use super::*;

    fn complaint(position: Option<usize>, words: &str) -> Complaint {
        Complaint {
            position,
            words: words.into(),
        }
    }

    #[test]
    fn each_claim_gets_its_own_complaint_and_the_header_concerns_all() {
        // ST(1) BHT(2) HL billing(3) NM1(4) | HL 22(5) CLM A(6) SV1(7) | HL 22(8) NM1(9) CLM B(10) | SE(11)
        let sent = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *261207*1200*^*00501*000000001*0*P*:~\
                    GS*HC*S*R*20261207*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~BHT*0019~HL*1**20*1~NM1*85~\
                    HL*2*1*22*0~CLM*MS1~SV1*HC:90834~HL*3*1*22*0~NM1*IL~CLM*MS2~SE*11*0001~GE*1*1~IEA*1*000000001~";
        let (whole, own) = complaints_by_claim(
            sent,
            &[
                complaint(Some(9), "NM1 of B"),
                complaint(Some(7), "SV1 of A"),
                complaint(Some(10), "CLM of B, second"),
            ],
        );
        assert_eq!(whole, None);
        assert_eq!(
            own,
            [
                ("MS2".into(), "NM1 of B".into()),
                ("MS1".into(), "SV1 of A".into())
            ]
        );
        let (whole, own) = complaints_by_claim(
            sent,
            &[complaint(Some(4), "billing NPI"), complaint(None, "set")],
        );
        assert_eq!(whole.as_deref(), Some("billing NPI"));
        assert!(own.is_empty());
    }

    #[test]
    fn a_batch_keeps_at_most_two_hundred_complaints() {
        let many: Vec<Complaint> = (0..450).map(|i| complaint(Some(i), "x")).collect();
        let kept = kept_words(&many);
        assert_eq!(kept.len(), 200);
        assert_eq!(
            kept[199],
            "… and 251 more complaints in the acknowledgement"
        );
        assert_eq!(kept_words(&many[..3]).len(), 3);
    }

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
