//! Claims: built from open insurance charges (one per client, policy and rendering provider),
//! listed, shown with their problems and history, and moved through their statuses by hand where
//! a person decides (submission and acknowledgements move the rest).

use super::acks_repo;
use super::claim_file::{billing_provider, claim_out, diagnoses_and_pointers, validate};
use super::cms1500;
use super::repo::{self, OpenCharge};
use crate::audit::server::{record, record_refusal, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::ClaimId;
use sqlx::PgPool;

/// The most lines one claim carries (837P: 50).
pub const MAX_LINES: usize = 50;

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

/// The most diagnoses one claim carries (HI: 12).
pub const MAX_DIAGNOSES: usize = 12;

/// Groups charges (already in claim order) into claims: a new claim when the client, policy,
/// rendering provider or prior authorization changes, after fifty lines, or when a charge's
/// diagnoses would take the claim past twelve.
pub fn group_into_claims(charges: &[OpenCharge]) -> Vec<&[OpenCharge]> {
    let key = |c: &OpenCharge| {
        (
            c.client_id,
            c.policy_id,
            c.rendering_provider_id,
            c.prior_auth_id,
        )
    };
    let mut groups = Vec::new();
    let mut start = 0;
    let mut diagnoses: Vec<&String> = Vec::new();
    for (i, charge) in charges.iter().enumerate() {
        let new_codes = charge
            .diagnosis_codes
            .iter()
            .filter(|c| !diagnoses.contains(c))
            .count();
        let split = i > start
            && (i - start == MAX_LINES
                || key(charge) != key(&charges[start])
                || diagnoses.len() + new_codes > MAX_DIAGNOSES);
        if split {
            groups.push(&charges[start..i]);
            start = i;
            diagnoses.clear();
        }
        for code in &charge.diagnosis_codes {
            if !diagnoses.contains(&code) {
                diagnoses.push(code);
            }
        }
    }
    if start < charges.len() {
        groups.push(&charges[start..]);
    }
    groups
}

/// Draft claims for every insurance charge that is on none yet.
pub async fn build_claims(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<ClaimsBuilt, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut tx = pool.begin().await?;
    repo::lock_claim_building(&mut tx).await?;
    let open = repo::open_insurance_charges(&mut tx).await?;
    let groups = group_into_claims(&open);
    for group in &groups {
        let ids: Vec<_> = group.iter().map(|c| c.id).collect();
        let claim = repo::insert_claim(&mut tx, &group[0], user.id, &ids).await?;
        record(
            &mut tx,
            audit(actions::CLAIMS_BUILD, user, meta)
                .entity("claim", claim)
                .client(group[0].client_id)
                .detail(serde_json::json!({ "lines": ids.len() })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ClaimsBuilt {
        claims: groups.len(),
        lines: open.len(),
    })
}

pub async fn list_claims(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    filter: &ClaimFilter,
) -> Result<Vec<ClaimSummary>, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    let claims = repo::claims(&mut conn, filter).await?;
    record(
        &mut conn,
        audit(actions::CLAIMS_LIST, user, meta).detail(serde_json::json!({
            "status": filter.status.map(ClaimStatus::as_str),
            "payer_id": filter.payer_id,
            "count": claims.len(),
        })),
    )
    .await?;
    Ok(claims)
}

/// A claim's page: lines with pointers, diagnoses, what stops it, and its history.
pub async fn claim_detail(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClaimId,
) -> Result<ClaimDetail, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    let summary = repo::claim_summary(&mut conn, id).await?;
    let file = repo::claim_files(&mut conn, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let lines = repo::claim_lines(&mut conn, &[id]).await?;
    let practice = repo::practice(&mut conn).await?;
    let history = repo::claim_history(&mut conn, id).await?;
    let problems = if matches!(
        summary.status,
        ClaimStatus::Draft | ClaimStatus::Ready | ClaimStatus::Rejected
    ) {
        validate(&practice, &file, &lines, chrono::Utc::now().date_naive())
    } else {
        Vec::new()
    };
    let (diagnoses, pointers) = diagnoses_and_pointers(&lines);
    let replaced_by = acks_repo::live_correction(&mut conn, id).await?;
    let payer_claim_number = acks_repo::payer_claim_number(&mut conn, id).await?;
    record(
        &mut conn,
        audit(actions::CLAIM_VIEW, user, meta)
            .entity("claim", id)
            .client(summary.client_id),
    )
    .await?;
    Ok(ClaimDetail {
        frequency: file.frequency.clone(),
        replaces: file
            .original_claim_id
            .zip(file.original_claim_number.clone()),
        replaced_by,
        payer_claim_number,
        rendering_provider: file.rendering_name.clone(),
        member_id: file.member_id.clone(),
        batch_id: file.batch_id,
        diagnoses,
        lines: lines
            .into_iter()
            .zip(pointers)
            .map(|(l, pointers)| ClaimLineView {
                line_number: l.line_number,
                charge_id: l.charge_id,
                service_date: l.service_date,
                service_code: l.service_code,
                modifiers: l.modifiers,
                units: l.units,
                amount: crate::money::Money(l.amount_cents),
                place_of_service: l.place_of_service,
                pointers,
            })
            .collect(),
        problems,
        history,
        summary,
    })
}

/// Moves a claim to `to` when a person may make that change; "ready" only once nothing stops it.
pub async fn change_status(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClaimId,
    to: ClaimStatus,
    reason: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let reason =
        crate::fields::parse_optional(reason, 300).map_err(|m| AppError::field("reason", m))?;
    let mut tx = pool.begin().await?;
    let file = repo::claim_files(&mut tx, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let from = file.status;
    if !from.may_become(to) {
        return Err(AppError::Conflict(format!(
            "A {} claim cannot be marked {} by hand.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    if to == ClaimStatus::Ready {
        let lines = repo::claim_lines(&mut tx, &[id]).await?;
        let practice = repo::practice(&mut tx).await?;
        let problems = validate(&practice, &file, &lines, chrono::Utc::now().date_naive());
        if let Some(first) = problems.first() {
            return Err(AppError::Conflict(match problems.len() {
                1 => first.message.clone(),
                n => format!(
                    "{} (and {} more problems listed on the claim)",
                    first.message,
                    n - 1
                ),
            }));
        }
    }
    if !repo::set_status(&mut tx, id, from, to).await? {
        return Err(AppError::Conflict(
            "Someone else changed this claim a moment ago: reload it.".into(),
        ));
    }
    repo::record_status(&mut tx, id, Some(from), to, reason.as_deref(), user.id).await?;
    record(
        &mut tx,
        audit(actions::CLAIM_STATUS, user, meta)
            .entity("claim", id)
            .client(file.client_id)
            .detail(serde_json::json!({ "from": from.as_str(), "to": to.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A corrected (frequency 7) or void (8) claim in place of one the payer has answered: a new draft
/// with the same lines that quotes the payer's number for the original (REF*F8). It goes out in
/// the next batch like any claim; the payer then reverses the original's payment on its 835.
pub async fn correct_claim(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClaimId,
    kind: Correction,
    reason: &str,
) -> Result<ClaimId, AppError> {
    user.require(Permission::ManageBilling)?;
    // the original's history quotes it after "Corrected by MS100123: "
    let reason = crate::fields::parse_optional(reason, 250)
        .map_err(|m| AppError::field("reason", m))?
        .ok_or_else(|| {
            AppError::field(
                "reason",
                "Say what the correction changes, or why the claim is void.",
            )
        })?;
    let mut tx = pool.begin().await?;
    acks_repo::lock_claim(&mut tx, id).await?;
    let file = repo::claim_files(&mut tx, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let number = &file.claim_number;
    use ClaimStatus::*;
    match file.status {
        Draft | Ready | Void => {
            return Err(AppError::Conflict(format!(
                "Claim {number} has not been sent: change it and send it as it is."
            )))
        }
        Submitted | Accepted | Rejected => {
            return Err(AppError::Conflict(format!(
                "The payer has not decided claim {number} yet, so there is nothing to correct. A rejected claim goes back to draft and out again once fixed."
            )))
        }
        _ => {}
    }
    if let Some((_, newer)) = acks_repo::live_correction(&mut tx, id).await? {
        return Err(AppError::Conflict(format!(
            "Claim {number} is already corrected by {newer}: correct or void that one instead."
        )));
    }
    let payer_number = acks_repo::payer_claim_number(&mut tx, id)
        .await?
        .filter(|n| quotable(n))
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "No remittance gives the payer's own number for claim {number}, which a correction must quote. Import the payer's 835 first."
            ))
        })?;
    let (new_id, new_number) =
        acks_repo::insert_correction(&mut tx, id, kind, &payer_number, user.id).await?;
    let what = match kind {
        Correction::Replace => "Corrected",
        Correction::Void => "Voided",
    };
    repo::record_status(
        &mut tx,
        id,
        Some(file.status),
        file.status,
        Some(&format!("{what} by {new_number}: {reason}")),
        user.id,
    )
    .await?;
    record(
        &mut tx,
        audit(actions::CLAIM_CORRECT, user, meta)
            .entity("claim", new_id)
            .client(file.client_id)
            .detail(serde_json::json!({
                "original": id, "frequency": kind.frequency(), "payer_claim_number": payer_number,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(new_id)
}

/// Whether the payer's claim number can go into REF*F8 exactly as the payer wrote it: printable
/// ASCII, at most 50 characters, none of our 837P's delimiters.
fn quotable(number: &str) -> bool {
    number.len() <= 50
        && number
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'*' | b':' | b'~' | b'^'))
}

/// The claim on a CMS-1500 (02/12) form, for payers that take paper or for the client. Refused, with
/// the first problem, while something stops the claim.
pub async fn claim_pdf(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClaimId,
) -> Result<(String, Vec<u8>), AppError> {
    if let Err(refusal) = user.require(Permission::ManageBilling) {
        let event = AuditEvent::new(actions::CMS1500_DOWNLOAD, Outcome::Denied, meta)
            .by(user)
            .entity("claim", id);
        return Err(record_refusal(pool, event, refusal).await);
    }
    crate::auth::server::step_up::require_recent(pool, user).await?;
    let mut conn = pool.acquire().await?;
    let file = repo::claim_files(&mut conn, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    if file.status == ClaimStatus::Void {
        return Err(AppError::Conflict("A void claim is not printed.".into()));
    }
    let lines = repo::claim_lines(&mut conn, &[id]).await?;
    let practice = repo::practice(&mut conn).await?;
    let today = chrono::Utc::now().date_naive();
    if let Some(p) = validate(&practice, &file, &lines, today).first() {
        return Err(AppError::Conflict(p.message.clone()));
    }
    let billing = billing_provider(&practice).ok_or(AppError::Internal)?;
    let claim = claim_out(&file, &lines, &billing.npi);
    let pdf = cms1500::render(&claim, &billing);
    record(
        &mut conn,
        audit(actions::CMS1500_DOWNLOAD, user, meta)
            .entity("claim", id)
            .client(file.client_id),
    )
    .await?;
    Ok((format!("cms1500-{}.pdf", file.claim_number), pdf))
}
