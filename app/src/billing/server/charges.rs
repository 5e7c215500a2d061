//! Sessions to bill and their charges: the biller's queue (ready or blocked, with the reason), a
//! charge from a signed session, a client's charges, and marking a client self-pay.

use super::repo::{self, NewCharge, SessionRow};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::coding::{parse_modifiers, parse_units, suggest_code, time_warning};
use crate::billing::types::*;
use crate::error::{AppError, Validator};
use crate::ids::{AppointmentId, ChargeId, ClientId};
use crate::money::Money;
use sqlx::PgPool;

/// How many sessions each list of the queue shows at most (oldest first), and how many are read to
/// fill them (old blocked sessions must not crowd out ready ones).
const QUEUE_LIMIT: usize = 500;
const QUEUE_READ: i64 = 5000;

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

/// Why a session cannot be charged yet, checked in the order people act on them.
pub fn block_reason(row: &SessionRow) -> Option<BlockReason> {
    match row.note_status.as_deref() {
        None => return Some(BlockReason::NoteMissing),
        Some("awaiting_cosign") => return Some(BlockReason::AwaitingCosign),
        Some("signed") => {}
        Some(_) => return Some(BlockReason::NoteUnsigned),
    }
    if !row.has_diagnosis {
        return Some(BlockReason::NoDiagnosis);
    }
    if !row.self_pay && row.payer_name.is_none() {
        return Some(BlockReason::NoActivePolicy);
    }
    // the session's first charge counted its visit; more codes for it count none
    if row.auth_left == Some(false) && !row.charged {
        return Some(BlockReason::AuthorizationUsedUp);
    }
    None
}

fn session_of(row: SessionRow, codes: &[ServiceCode]) -> BillableSession {
    let blocked = block_reason(&row);
    BillableSession {
        suggested_code: suggest_code(row.type_code.as_deref(), row.minutes, codes),
        appointment_id: row.appointment_id,
        client_id: row.client_id,
        client_name: row.client_name,
        clinician_name: row.clinician_name,
        service_date: row.service_date,
        minutes: row.minutes,
        telehealth: row.telehealth,
        note_id: row.note_id,
        payer_name: row.payer_name,
        self_pay: row.self_pay,
        blocked,
    }
}

/// The completed sessions without a charge: ready ones and blocked ones (with who must act).
pub async fn work_queue(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<WorkQueue, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    let codes = repo::service_codes(&mut conn).await?;
    let rows = repo::uncharged_sessions(&mut conn, None, None, QUEUE_READ).await?;
    let (mut ready, mut blocked): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|r| session_of(r, &codes))
        .partition(|s| s.blocked.is_none());
    ready.truncate(QUEUE_LIMIT);
    blocked.truncate(QUEUE_LIMIT);
    let queue = WorkQueue {
        ready,
        blocked,
        codes,
    };
    record(
        &mut conn,
        audit(actions::WORK_QUEUE_VIEW, user, meta).detail(serde_json::json!({
            "ready": queue.ready.len(),
            "blocked": queue.blocked.len(),
        })),
    )
    .await?;
    Ok(queue)
}

/// A charge as the form asked for it, before the session's facts are added.
struct ChargeRequest {
    appointment: AppointmentId,
    client: ClientId,
    code: ServiceCode,
    modifiers: Vec<String>,
    units: i32,
}

fn parse_request(input: &ChargeInput, codes: &[ServiceCode]) -> Result<ChargeRequest, AppError> {
    let mut v = Validator::new();
    let appointment = v.check(
        "appointment_id",
        input
            .appointment_id
            .trim()
            .parse::<AppointmentId>()
            .map_err(|_| "Choose a session from the list.".to_owned()),
    );
    let client = v.check(
        "client_id",
        input
            .client_id
            .trim()
            .parse::<ClientId>()
            .map_err(|_| "Choose a session from the list.".to_owned()),
    );
    let code = v.check(
        "service_code",
        codes
            .iter()
            .find(|c| c.code == input.service_code.trim() && c.active)
            .cloned()
            .ok_or_else(|| "Choose one of the practice's service codes.".to_owned()),
    );
    let modifiers = v.check("modifiers", parse_modifiers(&input.modifiers));
    let units = v.check("units", parse_units(&input.units));
    v.finish_with(|| {
        Some(ChargeRequest {
            appointment: appointment?,
            client: client?,
            code: code?,
            modifiers: modifiers?,
            units: units?,
        })
    })
}

/// Charges a signed session: the code and modifiers the biller chose, the fee from the schedule,
/// the client's diagnoses, the rendering provider the payer wants, the policy and its copay; one
/// visit counted against the prior authorization. The database refuses it too without a signed note.
pub async fn create_charge(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &ChargeInput,
) -> Result<ChargeId, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut tx = pool.begin().await?;
    let codes = repo::service_codes(&mut tx).await?;
    let req = parse_request(input, &codes)?;
    // one charge of a session at a time: whether it is the first decides the visit and the copay
    if !repo::lock_session(&mut tx, req.appointment, req.client).await? {
        return Err(AppError::Conflict(
            "This session cannot be charged: it is not a completed session of this client.".into(),
        ));
    }
    let Some(session) =
        repo::uncharged_sessions(&mut tx, Some((req.appointment, req.client)), None, 1)
            .await?
            .pop()
    else {
        return Err(AppError::Conflict(
            "This session cannot be charged: it is not a completed session of this client.".into(),
        ));
    };
    if let Some(reason) = block_reason(&session) {
        return Err(AppError::Conflict(format!(
            "{} {} must act first.",
            reason.label(),
            reason.who_acts()
        )));
    }
    let Some(note_id) = session.note_id else {
        return Err(AppError::Conflict(BlockReason::NoteMissing.label().into()));
    };
    let context = repo::charge_context(&mut tx, req.appointment, req.client).await?;
    let diagnoses = repo::billable_diagnoses(&mut tx, req.client).await?;
    let rendering = match (context.clinician_is_intern, context.supervisor_renders) {
        (true, Some(true)) => context.supervisor_id.ok_or_else(|| {
            AppError::Conflict(
                "This payer bills an intern's sessions under the supervisor, and the clinician has no supervisor on their staff profile.".into(),
            )
        })?,
        _ => context.clinician_id,
    };
    let place = if context.telehealth {
        "10".to_owned()
    } else {
        context.location_pos.clone().unwrap_or_else(|| "11".into())
    };
    let amount = req.code.default_fee.cents() * i64::from(req.units);
    // the copay is due once per session, with its first charge; self-pay clients owe every charge
    let client_share = match (context.policy_id, session.charged) {
        (Some(_), false) => context.copay_cents.unwrap_or(0).min(amount),
        (Some(_), true) => 0,
        (None, _) => amount,
    };
    // a visit is counted once per session, by its first charge
    let prior_auth = match context.policy_id {
        Some(policy) if !session.charged => {
            repo::lock_prior_auth(&mut tx, policy, session.service_date).await?
        }
        _ => None,
    };
    if let Some(auth) = prior_auth {
        repo::use_prior_auth_visit(&mut tx, auth).await?;
    } else if session.auth_left.is_some() && !session.charged {
        return Err(AppError::Conflict(
            BlockReason::AuthorizationUsedUp.label().into(),
        ));
    }
    let charge = NewCharge {
        appointment_id: req.appointment,
        client_id: req.client,
        note_id,
        service_date: session.service_date,
        service_code: req.code.code.clone(),
        modifiers: req.modifiers,
        units: req.units,
        unit_fee: req.code.default_fee,
        diagnosis_codes: diagnoses,
        documented_minutes: session.minutes,
        clinician_id: context.clinician_id,
        rendering_provider_id: rendering,
        place_of_service: place,
        policy_id: context.policy_id,
        prior_auth_id: prior_auth,
        client_share: Money(client_share),
        created_by: user.id,
    };
    let id = repo::insert_charge(&mut tx, &charge).await?;
    let warning = time_warning(&req.code, session.minutes, &codes);
    record(
        &mut tx,
        audit(actions::CHARGE_CREATE, user, meta)
            .entity("charge", id)
            .client(req.client)
            .detail(serde_json::json!({
                "appointment_id": req.appointment,
                "code": req.code.code,
                "time_warning": warning.is_some(),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// How far back a clinician's charged sessions are listed (uncharged ones are listed however old:
/// they wait on someone).
const OWN_SESSIONS_DAYS: i64 = 90;

/// The signed-in clinician's completed sessions and where each stands in billing: what still
/// waits on them (and on whom), and what became of the charged ones. Their own sessions only, and
/// no amounts, not even their own clients'.
pub async fn own_sessions(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<SessionBilling>, AppError> {
    user.require(Permission::OwnCalendar)?;
    let mut conn = pool.acquire().await?;
    let today = super::receivables_repo::today(&mut conn).await?;
    let waiting = repo::uncharged_sessions(&mut conn, None, Some(user.id), QUEUE_READ).await?;
    let since = today - chrono::Duration::days(OWN_SESSIONS_DAYS);
    let charged = repo::charged_sessions_of(&mut conn, user.id, since, QUEUE_READ).await?;
    let mut sessions: Vec<SessionBilling> = waiting
        .into_iter()
        .map(|row| {
            let blocked = block_reason(&row);
            SessionBilling {
                appointment_id: row.appointment_id,
                client_id: row.client_id,
                client_name: row.client_name,
                service_date: row.service_date,
                codes: Vec::new(),
                note_id: row.note_id.filter(|_| blocked.is_some()),
                stage: blocked.map_or(BillingStage::Ready, BillingStage::Blocked),
            }
        })
        .chain(charged.into_iter().map(|row| SessionBilling {
            appointment_id: row.appointment_id,
            client_id: row.client_id,
            client_name: row.client_name,
            service_date: row.service_date,
            codes: row.codes,
            note_id: None,
            stage: match (row.self_pay, row.claim_status) {
                (true, _) => BillingStage::SelfPay,
                (false, Some(status)) => BillingStage::Claim(status),
                (false, None) => BillingStage::Charged,
            },
        }))
        .collect();
    sessions.sort_by(|a, b| {
        b.service_date
            .cmp(&a.service_date)
            .then_with(|| a.client_name.cmp(&b.client_name))
    });
    record(
        &mut conn,
        audit(actions::OWN_SESSIONS_VIEW, user, meta)
            .detail(serde_json::json!({ "sessions": sessions.len() })),
    )
    .await?;
    Ok(sessions)
}

/// A client's charges with the expected client share: front desk, billers and admins.
pub async fn client_charges(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Vec<ChargeSummary>, AppError> {
    user.require(Permission::BillClients)?;
    let mut conn = pool.acquire().await?;
    let codes = repo::service_codes(&mut conn).await?;
    let rows = repo::client_charges(&mut conn, client).await?;
    // whether the documented time supports the code is the biller's finding, not the front desk's
    let coder = user.role.can(Permission::ManageBilling);
    record(
        &mut conn,
        audit(actions::CHARGES_VIEW, user, meta).client(client),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChargeSummary {
            time_warning: codes
                .iter()
                .filter(|_| coder)
                .find(|c| c.code == r.service_code)
                .and_then(|c| time_warning(c, r.documented_minutes, &codes)),
            id: r.id,
            client_id: r.client_id,
            service_date: r.service_date,
            service_code: r.service_code,
            modifiers: r.modifiers,
            units: r.units,
            amount: r.amount,
            client_share: r.client_share,
            payer_name: r.payer_name,
            claim: r.claim_id.zip(r.claim_status),
        })
        .collect())
}

/// Marks a client as paying for their own sessions (their charges go on no claim), or not.
pub async fn set_self_pay(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    self_pay: bool,
) -> Result<(), AppError> {
    user.require(Permission::BillClients)?;
    let mut tx = pool.begin().await?;
    if !repo::set_self_pay(&mut tx, client, self_pay).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        audit(actions::SELF_PAY_SET, user, meta)
            .client(client)
            .detail(serde_json::json!({ "self_pay": self_pay })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
