//! SQL of billing: codes, sessions to bill, charges, claims and batches. Owns its row types.

use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::{
    AppointmentId, AppointmentTypeId, BatchId, ChargeId, ClaimId, ClientId, NoteId, PayerFeeId,
    PayerId, PolicyId, PriorAuthId, UserId,
};
use crate::money::Money;
use chrono::NaiveDate;
use sqlx::PgConnection;

pub async fn service_codes(conn: &mut PgConnection) -> Result<Vec<ServiceCode>, AppError> {
    Ok(sqlx::query_as!(
        ServiceCode,
        r#"SELECT code, description, min_minutes, max_minutes, add_on,
                  default_fee_cents AS "default_fee: Money", active
             FROM service_codes ORDER BY code"#
    )
    .fetch_all(conn)
    .await?)
}

/// A completed session with no charge yet, and what decides whether it can be billed.
#[derive(Debug)]
pub struct SessionRow {
    pub appointment_id: AppointmentId,
    pub client_id: ClientId,
    pub client_name: String,
    pub clinician_name: String,
    pub service_date: NaiveDate,
    pub minutes: i32,
    pub telehealth: bool,
    pub type_code: Option<String>,
    pub self_pay: bool,
    pub note_id: Option<NoteId>,
    pub note_status: Option<String>,
    pub payer_name: Option<String>,
    /// `None`: no authorization covers the date; `Some(false)`: all are used up.
    pub auth_left: Option<bool>,
    pub has_diagnosis: bool,
    /// Some code is charged already (the queue leaves such sessions out; more codes may be added).
    pub charged: bool,
}

/// Completed sessions of each attending client that have no charge, oldest first. `only` narrows it
/// to one session, charged or not (the charge form re-reads it inside its transaction);
/// `clinician` to one clinician's sessions.
pub async fn uncharged_sessions(
    conn: &mut PgConnection,
    only: Option<(AppointmentId, ClientId)>,
    clinician: Option<UserId>,
    limit: i64,
) -> Result<Vec<SessionRow>, AppError> {
    let (only_appointment, only_client) = only.unzip();
    Ok(sqlx::query_as!(
        SessionRow,
        r#"SELECT a.id AS appointment_id, ac.client_id,
                  c.legal_first_name || ' ' || c.legal_last_name AS "client_name!",
                  u.display_name AS clinician_name, d.day AS "service_date!",
                  (EXTRACT(EPOCH FROM a.ends_at - a.starts_at) / 60)::int AS "minutes!",
                  a.telehealth, t.service_code AS "type_code?", c.self_pay,
                  n.id AS "note_id?: NoteId", n.status AS "note_status?", pay.name AS "payer_name?",
                  auth.any_left AS "auth_left?",
                  EXISTS (SELECT 1 FROM client_diagnoses cd
                            JOIN icd10_codes i ON i.code = cd.code AND i.billable
                           WHERE cd.client_id = ac.client_id AND cd.resolved_on IS NULL
                             AND cd.kind <> 'rule_out') AS "has_diagnosis!",
                  EXISTS (SELECT 1 FROM charges ch
                           WHERE ch.appointment_id = a.id AND ch.client_id = ac.client_id) AS "charged!"
             FROM appointments a
             JOIN appointment_clients ac ON ac.appointment_id = a.id
             JOIN clients c ON c.id = ac.client_id
             JOIN users u ON u.id = a.clinician_id
             JOIN appointment_types t ON t.id = a.appointment_type_id
            CROSS JOIN practice p
            CROSS JOIN LATERAL (SELECT (a.starts_at AT TIME ZONE p.time_zone)::date AS day) d
             LEFT JOIN LATERAL (
                   SELECT n.id, n.status FROM clinical_notes n
                    WHERE n.appointment_id = a.id AND n.client_id = ac.client_id
                      AND n.kind IN ('progress', 'intake')
                    ORDER BY (n.status = 'signed') DESC, n.created_at DESC LIMIT 1) n ON true
             LEFT JOIN LATERAL (
                   SELECT ip.id, ip.payer_id FROM insurance_policies ip
                    WHERE ip.client_id = ac.client_id AND ip.priority = 'primary'
                      AND d.day BETWEEN ip.coverage_start AND coalesce(ip.coverage_end,
                              (ip.ended_at AT TIME ZONE p.time_zone)::date, 'infinity')
                    ORDER BY ip.active DESC, ip.coverage_start DESC LIMIT 1) pol ON NOT c.self_pay
             LEFT JOIN payers pay ON pay.id = pol.payer_id
             LEFT JOIN LATERAL (
                   SELECT bool_or(pa.visits_used < pa.visits_authorized) AS any_left
                     FROM prior_authorizations pa
                    WHERE pa.policy_id = pol.id AND d.day BETWEEN pa.start_on AND pa.end_on) auth ON true
            WHERE a.status = 'completed'
              AND ($1::uuid IS NULL OR a.id = $1) AND ($2::uuid IS NULL OR ac.client_id = $2)
              AND ($4::uuid IS NULL OR a.clinician_id = $4)
              AND ($1::uuid IS NOT NULL
                   OR NOT EXISTS (SELECT 1 FROM charges ch
                                   WHERE ch.appointment_id = a.id AND ch.client_id = ac.client_id))
            ORDER BY a.starts_at, c.legal_last_name
            LIMIT $3"#,
        only_appointment as Option<AppointmentId>,
        only_client as Option<ClientId>,
        limit,
        clinician as Option<UserId>,
    )
    .fetch_all(conn)
    .await?)
}

/// A clinician's charged sessions since `since`, newest first: the codes, whether they went to no
/// payer (self-pay), and the status of the latest live claim that carries them.
pub struct ChargedSessionRow {
    pub appointment_id: AppointmentId,
    pub client_id: ClientId,
    pub client_name: String,
    pub service_date: NaiveDate,
    pub codes: Vec<String>,
    pub self_pay: bool,
    pub claim_status: Option<ClaimStatus>,
}

pub async fn charged_sessions_of(
    conn: &mut PgConnection,
    clinician: UserId,
    since: NaiveDate,
    limit: i64,
) -> Result<Vec<ChargedSessionRow>, AppError> {
    Ok(sqlx::query_as!(
        ChargedSessionRow,
        r#"WITH mine AS (
               SELECT ch.appointment_id, ch.client_id, min(ch.service_date) AS service_date,
                      array_agg(ch.service_code ORDER BY ch.created_at) AS codes,
                      array_agg(ch.id) AS charge_ids, bool_and(ch.policy_id IS NULL) AS self_pay
                 FROM charges ch
                WHERE ch.clinician_id = $1 AND ch.service_date >= $2
                GROUP BY ch.appointment_id, ch.client_id
                ORDER BY min(ch.service_date) DESC
                LIMIT $3
           )
           SELECT m.appointment_id AS "appointment_id!: AppointmentId",
                  m.client_id AS "client_id!: ClientId",
                  c.legal_first_name || ' ' || c.legal_last_name AS "client_name!",
                  m.service_date AS "service_date!", m.codes AS "codes!", m.self_pay AS "self_pay!",
                  st.status AS "claim_status?: ClaimStatus"
             FROM mine m
             JOIN clients c ON c.id = m.client_id
             -- the latest live claim carrying the session; a void sent to the payer (frequency 8)
             -- means the session was cancelled there, whatever became of that request
             LEFT JOIN LATERAL (
                   SELECT CASE WHEN cl.frequency = '8' THEN 'void' ELSE cl.status END AS status
                     FROM claim_lines l JOIN claims cl ON cl.id = l.claim_id
                    WHERE l.charge_id = ANY(m.charge_ids) AND cl.status <> 'void'
                    ORDER BY cl.created_at DESC LIMIT 1) st ON true
            ORDER BY m.service_date DESC, c.legal_last_name"#,
        clinician as UserId,
        since,
        limit,
    )
    .fetch_all(conn)
    .await?)
}

/// Locks the session's attendance row, so that two charges of one session are made one after the
/// other (the first counts the visit and takes the copay). False when the client did not attend it.
pub async fn lock_session(
    conn: &mut PgConnection,
    appointment: AppointmentId,
    client: ClientId,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT true AS "locked!" FROM appointment_clients
            WHERE appointment_id = $1 AND client_id = $2 FOR UPDATE"#,
        appointment as AppointmentId,
        client as ClientId,
    )
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// What a new charge copies from its session: who saw the client, where, and under which policy.
#[derive(Debug)]
pub struct ChargeContext {
    pub clinician_id: UserId,
    pub clinician_is_intern: bool,
    pub supervisor_id: Option<UserId>,
    pub telehealth: bool,
    pub location_pos: Option<String>,
    pub policy_id: Option<PolicyId>,
    pub copay_cents: Option<i64>,
    pub supervisor_renders: Option<bool>,
}

pub async fn charge_context(
    conn: &mut PgConnection,
    appointment: AppointmentId,
    client: ClientId,
) -> Result<ChargeContext, AppError> {
    Ok(sqlx::query_as!(
        ChargeContext,
        r#"SELECT a.clinician_id,
                  (u.role = 'intern' OR coalesce(sp.requires_cosign, false)) AS "clinician_is_intern!",
                  sp.supervisor_id AS "supervisor_id?: UserId", a.telehealth,
                  l.place_of_service AS "location_pos?",
                  pol.id AS "policy_id?: PolicyId", pol.copay_cents AS "copay_cents?",
                  pay.supervisor_renders_for_interns AS "supervisor_renders?"
             FROM appointments a
             JOIN appointment_clients ac ON ac.appointment_id = a.id AND ac.client_id = $2
             JOIN clients c ON c.id = ac.client_id
             JOIN users u ON u.id = a.clinician_id
             LEFT JOIN staff_profiles sp ON sp.user_id = a.clinician_id
             LEFT JOIN locations l ON l.id = a.location_id
            CROSS JOIN practice p
             LEFT JOIN LATERAL (
                   SELECT ip.id, ip.payer_id, ip.copay_cents FROM insurance_policies ip
                    WHERE ip.client_id = c.id AND ip.priority = 'primary'
                      AND (a.starts_at AT TIME ZONE p.time_zone)::date
                          BETWEEN ip.coverage_start AND coalesce(ip.coverage_end,
                              (ip.ended_at AT TIME ZONE p.time_zone)::date, 'infinity')
                    ORDER BY ip.active DESC, ip.coverage_start DESC LIMIT 1
                   ) pol ON NOT c.self_pay
             LEFT JOIN payers pay ON pay.id = pol.payer_id
            WHERE a.id = $1"#,
        appointment as AppointmentId,
        client as ClientId,
    )
    .fetch_one(conn)
    .await?)
}

/// The client's current billable diagnoses, primary first, at most twelve.
pub async fn billable_diagnoses(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT cd.code FROM client_diagnoses cd
           JOIN icd10_codes i ON i.code = cd.code AND i.billable
          WHERE cd.client_id = $1 AND cd.resolved_on IS NULL AND cd.kind <> 'rule_out'
          ORDER BY cd.kind = 'primary' DESC, cd.recorded_at, cd.code
          LIMIT 12",
        client as ClientId,
    )
    .fetch_all(conn)
    .await?)
}

/// The authorization a session on `day` counts against: the one covering the date with visits
/// left that ends soonest, locked until the charge is written.
pub async fn lock_prior_auth(
    conn: &mut PgConnection,
    policy: PolicyId,
    day: NaiveDate,
) -> Result<Option<PriorAuthId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: PriorAuthId" FROM prior_authorizations
            WHERE policy_id = $1 AND $2 BETWEEN start_on AND end_on
              AND visits_used < visits_authorized
            ORDER BY end_on, id LIMIT 1 FOR UPDATE"#,
        policy as PolicyId,
        day,
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn use_prior_auth_visit(
    conn: &mut PgConnection,
    id: PriorAuthId,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE prior_authorizations SET visits_used = visits_used + 1 WHERE id = $1",
        id as PriorAuthId,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A charge as the service has decided it.
#[derive(Debug, Clone)]
pub struct NewCharge {
    pub appointment_id: AppointmentId,
    pub client_id: ClientId,
    pub note_id: NoteId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub modifiers: Vec<String>,
    pub units: i32,
    pub unit_fee: Money,
    pub diagnosis_codes: Vec<String>,
    pub documented_minutes: i32,
    pub clinician_id: UserId,
    pub rendering_provider_id: UserId,
    pub place_of_service: String,
    pub policy_id: Option<PolicyId>,
    pub prior_auth_id: Option<PriorAuthId>,
    pub client_share: Money,
    pub created_by: UserId,
}

pub async fn insert_charge(conn: &mut PgConnection, c: &NewCharge) -> Result<ChargeId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO charges (appointment_id, client_id, note_id, service_date, service_code,
                                modifiers, units, unit_fee_cents, diagnosis_codes, documented_minutes,
                                clinician_id, rendering_provider_id, place_of_service, policy_id,
                                prior_auth_id, client_share_cents, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           RETURNING id AS "id: ChargeId""#,
        c.appointment_id as AppointmentId,
        c.client_id as ClientId,
        c.note_id as NoteId,
        c.service_date,
        c.service_code,
        &c.modifiers,
        c.units,
        c.unit_fee as Money,
        &c.diagnosis_codes,
        c.documented_minutes,
        c.clinician_id as UserId,
        c.rendering_provider_id as UserId,
        c.place_of_service,
        c.policy_id as Option<PolicyId>,
        c.prior_auth_id as Option<PriorAuthId>,
        c.client_share as Money,
        c.created_by as UserId,
    )
    .fetch_one(conn)
    .await?)
}

/// A client's charges, newest first, with the claim each is on.
#[derive(Debug)]
pub struct ChargeRow {
    pub id: ChargeId,
    pub client_id: ClientId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub modifiers: Vec<String>,
    pub units: i32,
    pub amount: Money,
    pub client_share: Money,
    pub payer_name: Option<String>,
    pub claim_id: Option<ClaimId>,
    pub claim_status: Option<ClaimStatus>,
    pub documented_minutes: i32,
}

pub async fn client_charges(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<ChargeRow>, AppError> {
    Ok(sqlx::query_as!(
        ChargeRow,
        r#"SELECT ch.id, ch.client_id, ch.service_date, ch.service_code, ch.modifiers, ch.units,
                  ch.amount_cents AS "amount!: Money", ch.client_share_cents AS "client_share: Money",
                  pay.name AS "payer_name?", cl.claim_id AS "claim_id?: ClaimId",
                  cl.status AS "claim_status?: ClaimStatus", ch.documented_minutes
             FROM charges ch
             LEFT JOIN insurance_policies ip ON ip.id = ch.policy_id
             LEFT JOIN payers pay ON pay.id = ip.payer_id
             LEFT JOIN LATERAL (
                   SELECT l.claim_id, c.status FROM claim_lines l JOIN claims c ON c.id = l.claim_id
                    WHERE l.charge_id = ch.id ORDER BY c.created_at DESC LIMIT 1) cl ON true
            WHERE ch.client_id = $1
            ORDER BY ch.service_date DESC, ch.created_at DESC"#,
        client as ClientId,
    )
    .fetch_all(conn)
    .await?)
}

/// An insurance charge that is on no claim yet (or only on void ones).
#[derive(Debug)]
pub struct OpenCharge {
    pub id: ChargeId,
    pub client_id: ClientId,
    pub policy_id: PolicyId,
    pub payer_id: PayerId,
    pub rendering_provider_id: UserId,
    pub prior_auth_id: Option<PriorAuthId>,
    pub diagnosis_codes: Vec<String>,
}

/// The open insurance charges in claim order: grouped by client, policy and rendering provider.
pub async fn open_insurance_charges(conn: &mut PgConnection) -> Result<Vec<OpenCharge>, AppError> {
    Ok(sqlx::query_as!(
        OpenCharge,
        r#"SELECT ch.id, ch.client_id, ch.policy_id AS "policy_id!", ip.payer_id,
                  ch.rendering_provider_id, ch.prior_auth_id AS "prior_auth_id?: PriorAuthId",
                  ch.diagnosis_codes
             FROM charges ch
             JOIN insurance_policies ip ON ip.id = ch.policy_id
            WHERE NOT EXISTS (SELECT 1 FROM claim_lines l JOIN claims c ON c.id = l.claim_id
                               WHERE l.charge_id = ch.id AND c.status <> 'void')
            ORDER BY ch.client_id, ch.policy_id, ch.rendering_provider_id,
                     ch.prior_auth_id NULLS FIRST, ch.service_date, ch.created_at, ch.id"#
    )
    .fetch_all(conn)
    .await?)
}

/// One writer at a time turns charges into claims (two billers pressing the button at once would
/// otherwise put a charge on two claims).
pub async fn lock_claim_building(conn: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('billing.claims'))")
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_claim(
    conn: &mut PgConnection,
    first: &OpenCharge,
    created_by: UserId,
    charges: &[ChargeId],
) -> Result<ClaimId, AppError> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO claims (client_id, policy_id, payer_id, rendering_provider_id, created_by)
           VALUES ($1, $2, $3, $4, $5) RETURNING id AS "id: ClaimId""#,
        first.client_id as ClientId,
        first.policy_id as PolicyId,
        first.payer_id as PayerId,
        first.rendering_provider_id as UserId,
        created_by as UserId,
    )
    .fetch_one(&mut *conn)
    .await?;
    let ids: Vec<uuid::Uuid> = charges.iter().map(|c| c.0).collect();
    sqlx::query!(
        "INSERT INTO claim_lines (claim_id, line_number, charge_id)
         SELECT $1, n, charge FROM unnest($2::uuid[]) WITH ORDINALITY AS t(charge, n)",
        id as ClaimId,
        &ids,
    )
    .execute(&mut *conn)
    .await?;
    record_status(conn, id, None, ClaimStatus::Draft, None, created_by).await?;
    Ok(id)
}

pub async fn record_status(
    conn: &mut PgConnection,
    claim: ClaimId,
    from: Option<ClaimStatus>,
    to: ClaimStatus,
    reason: Option<&str>,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO claim_status_history (claim_id, from_status, to_status, reason, changed_by)
         VALUES ($1, $2, $3, $4, $5)",
        claim as ClaimId,
        from as Option<ClaimStatus>,
        to as ClaimStatus,
        reason,
        by as UserId,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a claim from `from` to `to`; false when it was not in `from` (someone else moved it).
pub async fn set_status(
    conn: &mut PgConnection,
    claim: ClaimId,
    from: ClaimStatus,
    to: ClaimStatus,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "UPDATE claims SET status = $3, updated_at = now() WHERE id = $1 AND status = $2",
        claim as ClaimId,
        from as ClaimStatus,
        to as ClaimStatus,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

macro_rules! claim_summaries {
    ($tail:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            ClaimSummary,
            r#"SELECT c.id AS "id: ClaimId", c.claim_number, c.status AS "status: ClaimStatus",
                      c.payer_id AS "payer_id: PayerId", pay.name AS payer_name,
                      c.client_id AS "client_id: ClientId",
                      cli.legal_first_name || ' ' || cli.legal_last_name AS "client_name!",
                      t.first AS "first_service_date!", t.last AS "last_service_date!",
                      t.total AS "total_cents!", t.lines AS "line_count!"
                 FROM claims c
                 JOIN payers pay ON pay.id = c.payer_id
                 JOIN clients cli ON cli.id = c.client_id
                CROSS JOIN LATERAL (
                      SELECT min(ch.service_date) AS first, max(ch.service_date) AS last,
                             sum(ch.amount_cents)::bigint AS total, count(*) AS lines
                        FROM claim_lines l JOIN charges ch ON ch.id = l.charge_id
                       WHERE l.claim_id = c.id) t "# + $tail
            $(, $arg)*
        )
    };
}

pub async fn claims(
    conn: &mut PgConnection,
    filter: &ClaimFilter,
) -> Result<Vec<ClaimSummary>, AppError> {
    Ok(claim_summaries!(
        "WHERE ($1::text IS NULL OR c.status = $1) AND ($2::uuid IS NULL OR c.payer_id = $2)
         ORDER BY c.created_at DESC, c.claim_number DESC LIMIT 500",
        filter.status as Option<ClaimStatus>,
        filter.payer_id as Option<PayerId>,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn claim_summary(conn: &mut PgConnection, id: ClaimId) -> Result<ClaimSummary, AppError> {
    Ok(claim_summaries!("WHERE c.id = $1", id as ClaimId)
        .fetch_one(conn)
        .await?)
}

pub async fn claim_history(
    conn: &mut PgConnection,
    id: ClaimId,
) -> Result<Vec<ClaimHistoryEntry>, AppError> {
    Ok(sqlx::query_as!(
        ClaimHistoryEntry,
        r#"SELECT h.from_status AS "from_status?: ClaimStatus", h.to_status AS "to_status: ClaimStatus",
                  h.reason, u.display_name AS "changed_by?", h.changed_at
             FROM claim_status_history h LEFT JOIN users u ON u.id = h.changed_by
            WHERE h.claim_id = $1 ORDER BY h.changed_at, h.id"#,
        id as ClaimId,
    )
    .fetch_all(conn)
    .await?)
}

/// The practice as billing provider, as stored (validation says what is missing).
#[derive(Debug, Clone)]
pub struct PracticeRow {
    pub name: String,
    pub billing_npi: Option<String>,
    pub tax_id: Option<String>,
    pub billing_taxonomy: Option<String>,
    pub billing_address: Option<String>,
    pub billing_city: Option<String>,
    pub billing_state: Option<String>,
    pub billing_zip: Option<String>,
    pub billing_phone: Option<String>,
    pub submitter_id: Option<String>,
}

pub async fn practice(conn: &mut PgConnection) -> Result<PracticeRow, AppError> {
    Ok(sqlx::query_as!(
        PracticeRow,
        r#"SELECT name, billing_npi, tax_id, billing_taxonomy, billing_address, billing_city,
                  billing_state::text AS billing_state, billing_zip, billing_phone, submitter_id
             FROM practice"#
    )
    .fetch_one(conn)
    .await?)
}

/// Everything a claim's 837P loops and its validation read, one row per claim.
#[derive(Debug, Clone)]
pub struct ClaimFileRow {
    pub id: ClaimId,
    pub claim_number: String,
    pub status: ClaimStatus,
    pub frequency: String,
    /// The claim this one corrects or voids: ours, and the payer's number for it (REF*F8).
    pub original_claim_id: Option<ClaimId>,
    pub original_claim_number: Option<String>,
    pub original_payer_claim_number: Option<String>,
    pub batch_id: Option<BatchId>,
    pub client_id: ClientId,
    pub client_first: String,
    pub client_last: String,
    pub client_dob: NaiveDate,
    pub client_sex: Option<String>,
    pub client_address: Option<String>,
    pub client_address2: Option<String>,
    pub client_city: Option<String>,
    pub client_state: Option<String>,
    pub client_zip: Option<String>,
    pub relationship: String,
    pub member_id: String,
    pub group_number: Option<String>,
    pub subscriber_name: Option<String>,
    pub subscriber_dob: Option<NaiveDate>,
    pub coverage_start: NaiveDate,
    pub coverage_end: Option<NaiveDate>,
    pub payer_id: PayerId,
    pub payer_name: String,
    pub payer_code: String,
    pub filing_indicator: String,
    pub payer_active: bool,
    pub rendering_id: UserId,
    pub rendering_name: String,
    pub rendering_npi: Option<String>,
    pub rendering_taxonomy: Option<String>,
}

pub async fn claim_files(
    conn: &mut PgConnection,
    ids: &[ClaimId],
) -> Result<Vec<ClaimFileRow>, AppError> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|c| c.0).collect();
    Ok(sqlx::query_as!(
        ClaimFileRow,
        r#"SELECT c.id, c.claim_number, c.status AS "status: ClaimStatus", c.frequency,
                  c.original_claim_id AS "original_claim_id?: ClaimId",
                  o.claim_number AS "original_claim_number?", c.original_payer_claim_number,
                  c.batch_id AS "batch_id?: BatchId",
                  c.client_id, cli.legal_first_name AS client_first, cli.legal_last_name AS client_last,
                  cli.date_of_birth AS client_dob, cli.sex_assigned_at_birth AS client_sex,
                  cli.address_line1 AS client_address, cli.address_line2 AS client_address2,
                  cli.city AS client_city, cli.state::text AS client_state, cli.zip AS client_zip,
                  ip.subscriber_relationship AS relationship, ip.member_id, ip.group_number,
                  ip.subscriber_name, ip.subscriber_dob, ip.coverage_start, ip.coverage_end,
                  c.payer_id, pay.name AS payer_name, pay.payer_code,
                  pay.claim_filing_indicator AS filing_indicator, pay.active AS payer_active,
                  c.rendering_provider_id AS rendering_id, u.display_name AS rendering_name,
                  sp.npi AS "rendering_npi?", sp.taxonomy_code AS "rendering_taxonomy?"
             FROM claims c
             JOIN clients cli ON cli.id = c.client_id
             JOIN insurance_policies ip ON ip.id = c.policy_id
             JOIN payers pay ON pay.id = c.payer_id
             JOIN users u ON u.id = c.rendering_provider_id
             LEFT JOIN staff_profiles sp ON sp.user_id = c.rendering_provider_id
             LEFT JOIN claims o ON o.id = c.original_claim_id
            WHERE c.id = ANY($1)
            ORDER BY c.claim_number"#,
        &ids,
    )
    .fetch_all(conn)
    .await?)
}

/// One claim line with its charge.
#[derive(Debug, Clone)]
pub struct LineRow {
    pub claim_id: ClaimId,
    pub line_number: i32,
    pub charge_id: ChargeId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub add_on: bool,
    pub modifiers: Vec<String>,
    pub units: i32,
    pub amount_cents: i64,
    pub place_of_service: String,
    pub diagnosis_codes: Vec<String>,
    pub prior_auth: Option<String>,
    pub documented_minutes: i32,
}

pub async fn claim_lines(
    conn: &mut PgConnection,
    ids: &[ClaimId],
) -> Result<Vec<LineRow>, AppError> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|c| c.0).collect();
    Ok(sqlx::query_as!(
        LineRow,
        r#"SELECT l.claim_id, l.line_number, l.charge_id, ch.service_date, ch.service_code,
                  sc.add_on, ch.modifiers, ch.units, ch.amount_cents AS "amount_cents!",
                  ch.place_of_service, ch.diagnosis_codes, pa.auth_number AS "prior_auth?",
                  ch.documented_minutes
             FROM claim_lines l
             JOIN charges ch ON ch.id = l.charge_id
             JOIN service_codes sc ON sc.code = ch.service_code
             LEFT JOIN prior_authorizations pa ON pa.id = ch.prior_auth_id
            WHERE l.claim_id = ANY($1)
            ORDER BY l.claim_id, l.line_number"#,
        &ids,
    )
    .fetch_all(conn)
    .await?)
}

/// The ready claims of one payer, locked while a batch is made of them.
pub async fn lock_ready_claims(
    conn: &mut PgConnection,
    payer: PayerId,
) -> Result<Vec<ClaimId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: ClaimId" FROM claims WHERE payer_id = $1 AND status = 'ready'
            ORDER BY claim_number LIMIT 5000 FOR UPDATE"#,
        payer as PayerId,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn next_control_number(conn: &mut PgConnection) -> Result<i32, AppError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT nextval('claim_batch_control_seq')::int AS "n!""#)
            .fetch_one(conn)
            .await?,
    )
}

#[derive(Debug)]
pub struct NewBatch<'a> {
    pub payer_id: PayerId,
    pub control_number: i32,
    pub file: &'a [u8],
    pub claim_count: i32,
    pub total_cents: i64,
    pub created_by: UserId,
}

pub async fn insert_batch(conn: &mut PgConnection, b: &NewBatch<'_>) -> Result<BatchId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO claim_batches (payer_id, control_number, file, claim_count, total_cents, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS "id: BatchId""#,
        b.payer_id as PayerId,
        b.control_number,
        b.file,
        b.claim_count,
        b.total_cents,
        b.created_by as UserId,
    )
    .fetch_one(conn)
    .await?)
}

/// Marks the claims submitted in `batch`, each with its history row.
pub async fn submit_claims(
    conn: &mut PgConnection,
    batch: BatchId,
    claims: &[ClaimId],
    by: UserId,
) -> Result<u64, AppError> {
    let ids: Vec<uuid::Uuid> = claims.iter().map(|c| c.0).collect();
    let done = sqlx::query!(
        "UPDATE claims SET status = 'submitted', batch_id = $1, updated_at = now()
          WHERE id = ANY($2) AND status = 'ready'",
        batch as BatchId,
        &ids,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO claim_status_history (claim_id, from_status, to_status, reason, changed_by)
         SELECT id, 'ready', 'submitted', 'In a batch', $2 FROM unnest($1::uuid[]) AS t(id)",
        &ids,
        by as UserId,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn ready_for_batch(conn: &mut PgConnection) -> Result<Vec<ReadyForBatch>, AppError> {
    Ok(sqlx::query_as!(
        ReadyForBatch,
        r#"SELECT c.payer_id AS "payer_id: PayerId", pay.name AS payer_name,
                  count(DISTINCT c.id) AS "claims!", coalesce(sum(ch.amount_cents), 0)::bigint AS "total_cents!"
             FROM claims c
             JOIN payers pay ON pay.id = c.payer_id
             JOIN claim_lines l ON l.claim_id = c.id
             JOIN charges ch ON ch.id = l.charge_id
            WHERE c.status = 'ready'
            GROUP BY c.payer_id, pay.name
            ORDER BY pay.name"#
    )
    .fetch_all(conn)
    .await?)
}

pub async fn batches(conn: &mut PgConnection) -> Result<Vec<BatchSummary>, AppError> {
    Ok(sqlx::query_as!(
        BatchSummary,
        r#"SELECT b.id AS "id: BatchId", pay.name AS payer_name, b.control_number, b.claim_count,
                  b.total_cents, b.status AS "status: BatchStatus", u.display_name AS created_by,
                  b.created_at, a.imported_at AS "acknowledged_at?",
                  coalesce(a.errors, '{}') AS "ack_errors!"
             FROM claim_batches b
             JOIN payers pay ON pay.id = b.payer_id
             JOIN users u ON u.id = b.created_by
             LEFT JOIN batch_acknowledgements a ON a.batch_id = b.id
            ORDER BY b.created_at DESC LIMIT 200"#
    )
    .fetch_all(conn)
    .await?)
}

/// A batch's stored file and its control number (for the download's name).
pub async fn batch_file(conn: &mut PgConnection, id: BatchId) -> Result<(i32, Vec<u8>), AppError> {
    let row = sqlx::query!(
        "SELECT control_number, file FROM claim_batches WHERE id = $1",
        id as BatchId
    )
    .fetch_one(conn)
    .await?;
    Ok((row.control_number, row.file))
}

/// The claims of a batch with their clients (for the audit trail of a download).
pub async fn batch_claims(
    conn: &mut PgConnection,
    batch: BatchId,
) -> Result<Vec<(ClaimId, ClientId)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: ClaimId", client_id AS "client_id: ClientId" FROM claims WHERE batch_id = $1"#,
        batch as BatchId,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.client_id)).collect())
}

pub async fn set_self_pay(
    conn: &mut PgConnection,
    client: ClientId,
    self_pay: bool,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "UPDATE clients SET self_pay = $2, updated_at = now() WHERE id = $1",
        client as ClientId,
        self_pay,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn payer_fees(conn: &mut PgConnection) -> Result<Vec<PayerFee>, AppError> {
    Ok(sqlx::query_as!(
        PayerFee,
        r#"SELECT f.id AS "id: PayerFeeId", p.name AS payer_name, f.code,
                  f.amount_cents AS "amount: Money", f.effective_from, f.effective_to
             FROM payer_fees f JOIN payers p ON p.id = f.payer_id
            ORDER BY p.name, f.code, f.effective_from DESC"#
    )
    .fetch_all(conn)
    .await?)
}

pub async fn type_codes(conn: &mut PgConnection) -> Result<Vec<TypeCode>, AppError> {
    Ok(sqlx::query_as!(
        TypeCode,
        r#"SELECT id AS "id: AppointmentTypeId", name, default_minutes, service_code
             FROM appointment_types WHERE active ORDER BY name"#
    )
    .fetch_all(conn)
    .await?)
}

/// The active payers and how each wants its claims.
pub async fn payer_rules(conn: &mut PgConnection) -> Result<Vec<PayerRules>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: PayerId", name, claim_filing_indicator, supervisor_renders_for_interns
             FROM payers WHERE active ORDER BY name"#
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PayerRules {
                payer_id: r.id,
                name: r.name,
                // the column's CHECK allows only the listed codes
                filing_indicator: FilingIndicator::parse(&r.claim_filing_indicator)
                    .map_err(|_| AppError::Internal)?,
                supervisor_renders_for_interns: r.supervisor_renders_for_interns,
            })
        })
        .collect()
}

/// Sets how a payer wants its claims; false when there is no such payer.
pub async fn set_payer_rules(
    conn: &mut PgConnection,
    payer: PayerId,
    filing_indicator: FilingIndicator,
    supervisor_renders: bool,
) -> Result<bool, AppError> {
    Ok(sqlx::query!(
        "UPDATE payers SET claim_filing_indicator = $2, supervisor_renders_for_interns = $3
          WHERE id = $1",
        payer as PayerId,
        filing_indicator.code(),
        supervisor_renders,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn insert_service_code(
    conn: &mut PgConnection,
    code: &str,
    description: &str,
    fee: Money,
    add_on: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO service_codes (code, description, default_fee_cents, add_on) VALUES ($1, $2, $3, $4)",
        code,
        description,
        fee as Money,
        add_on,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// False when there is no such code.
pub async fn set_code_fee(
    conn: &mut PgConnection,
    code: &str,
    fee: Money,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "UPDATE service_codes SET default_fee_cents = $2 WHERE code = $1",
        code,
        fee as Money,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug)]
pub struct NewPayerFee {
    pub payer_id: PayerId,
    pub code: String,
    pub amount: Money,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub created_by: UserId,
}

pub async fn insert_payer_fee(
    conn: &mut PgConnection,
    f: &NewPayerFee,
) -> Result<PayerFeeId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO payer_fees (payer_id, code, amount_cents, effective_from, effective_to, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id AS "id: PayerFeeId""#,
        f.payer_id as PayerId,
        f.code,
        f.amount as Money,
        f.effective_from,
        f.effective_to,
        f.created_by as UserId,
    )
    .fetch_one(conn)
    .await?)
}

/// False when there is no such appointment type.
pub async fn set_type_code(
    conn: &mut PgConnection,
    id: AppointmentTypeId,
    code: Option<&str>,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "UPDATE appointment_types SET service_code = $2 WHERE id = $1",
        id as AppointmentTypeId,
        code,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
