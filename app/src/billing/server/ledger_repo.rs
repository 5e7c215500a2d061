//! SQL of money in: remittances as stored, the ledger's rows and the balances summed from them,
//! client payments. Owns its row types.

use super::edi::remit::{Adjustment, Remittance};
use super::posting::{ClaimMatch, LineMatch, NewEntry, Plan, PriorEntry, PriorPosting};
use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::{
    AppointmentId, ChargeId, ClaimId, ClientId, EraClaimId, EraId, PayerId, PaymentId, UserId,
};
use crate::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Serialises every posting to these clients until the transaction ends (in id order, so two
/// imports touching the same clients cannot deadlock).
pub async fn lock_clients(conn: &mut PgConnection, clients: &[ClientId]) -> Result<(), AppError> {
    let ids: Vec<Uuid> = clients.iter().map(|c| c.0).collect();
    sqlx::query!(
        "SELECT id FROM clients WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &ids
    )
    .fetch_all(conn)
    .await?;
    Ok(())
}

pub async fn insert_entries(
    conn: &mut PgConnection,
    entries: &[NewEntry],
    by: UserId,
) -> Result<(), AppError> {
    if entries.is_empty() {
        return Ok(());
    }
    let client: Vec<Uuid> = entries.iter().map(|e| e.client_id.0).collect();
    let charge: Vec<Option<Uuid>> = entries.iter().map(|e| e.charge_id.map(|c| c.0)).collect();
    let party: Vec<&str> = entries.iter().map(|e| e.party.as_str()).collect();
    let kind: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    let amount: Vec<i64> = entries.iter().map(|e| e.amount_cents).collect();
    let era_claim: Vec<Option<Uuid>> = entries
        .iter()
        .map(|e| e.era_claim_id.map(|c| c.0))
        .collect();
    let era_line: Vec<Option<Uuid>> = entries.iter().map(|e| e.era_line_id).collect();
    let reversal: Vec<Option<i64>> = entries.iter().map(|e| e.reversal_of).collect();
    let reason: Vec<Option<String>> = entries.iter().map(|e| e.reason.clone()).collect();
    sqlx::query!(
        "INSERT INTO ledger_entries (client_id, charge_id, party, kind, amount_cents, era_claim_id,
                                     era_line_id, reversal_of, reason, created_by)
         SELECT *, $10 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[],
                                  $6::uuid[], $7::uuid[], $8::bigint[], $9::text[])",
        &client,
        &charge as &[Option<Uuid>],
        &party as &[&str],
        &kind as &[&str],
        &amount,
        &era_claim as &[Option<Uuid>],
        &era_line as &[Option<Uuid>],
        &reversal as &[Option<i64>],
        &reason as &[Option<String>],
        by as UserId,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn era_by_trace(
    conn: &mut PgConnection,
    payer_identifier: &str,
    trace: &str,
) -> Result<Option<EraId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: EraId" FROM eras WHERE payer_identifier = $1 AND trace_number = $2"#,
        payer_identifier,
        trace
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn payer_by_code(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<PayerId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: PayerId" FROM payers WHERE payer_code = $1"#,
        code
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn claims_by_number(
    conn: &mut PgConnection,
    numbers: &[String],
) -> Result<HashMap<String, ClaimMatch>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT c.id AS "id: ClaimId", c.claim_number, c.client_id AS "client_id: ClientId",
                  c.status AS "status: ClaimStatus", c.batch_id IS NOT NULL AS "submitted!",
                  c.payer_id AS "payer_id: PayerId", p.name AS payer_name
             FROM claims c JOIN payers p ON p.id = c.payer_id
            WHERE c.claim_number = ANY($1)
            FOR UPDATE OF c"#,
        numbers
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = ClaimMatch {
                id: r.id,
                claim_number: r.claim_number.clone(),
                client_id: r.client_id,
                status: r.status,
                submitted: r.submitted,
                payer_id: r.payer_id,
                payer_name: r.payer_name,
            };
            (r.claim_number, m)
        })
        .collect())
}

pub async fn lines_of_claims(
    conn: &mut PgConnection,
    claims: &[ClaimId],
) -> Result<Vec<LineMatch>, AppError> {
    let ids: Vec<Uuid> = claims.iter().map(|c| c.0).collect();
    Ok(sqlx::query_as!(
        LineMatch,
        r#"SELECT l.claim_id AS "claim_id: ClaimId", ch.id AS "charge_id: ChargeId",
                  ch.service_code, ch.service_date, ch.amount_cents AS "amount_cents!",
                  coalesce(b.cents, 0) AS "insurance_owes!"
             FROM claim_lines l JOIN charges ch ON ch.id = l.charge_id
             LEFT JOIN ledger_balances b ON b.charge_id = ch.id AND b.party = 'insurance'
            WHERE l.claim_id = ANY($1)
            ORDER BY l.claim_id, l.line_number"#,
        &ids
    )
    .fetch_all(conn)
    .await?)
}

/// For each claim, its latest posting that nothing has reversed yet, with its ledger rows.
pub async fn priors(
    conn: &mut PgConnection,
    claims: &[ClaimId],
) -> Result<HashMap<ClaimId, PriorPosting>, AppError> {
    let ids: Vec<Uuid> = claims.iter().map(|c| c.0).collect();
    let heads = sqlx::query!(
        r#"SELECT DISTINCT ON (ec.claim_id) ec.claim_id AS "claim_id!: ClaimId",
                  ec.id AS "id: EraClaimId", ec.paid_cents
             FROM era_claims ec JOIN eras e ON e.id = ec.era_id
            WHERE ec.claim_id = ANY($1) AND ec.status_code <> '22'
              AND ec.unmatched_reason IS NULL AND ec.reversed_by IS NULL
            ORDER BY ec.claim_id, e.imported_at DESC, ec.position DESC"#,
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let era_claims: Vec<Uuid> = heads.iter().map(|h| h.id.0).collect();
    let entries = sqlx::query!(
        r#"SELECT id, era_claim_id AS "era_claim_id!: EraClaimId", client_id AS "client_id: ClientId",
                  charge_id AS "charge_id: ChargeId", party, amount_cents
             FROM ledger_entries WHERE era_claim_id = ANY($1) ORDER BY id"#,
        &era_claims
    )
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<ClaimId, PriorPosting> = heads
        .into_iter()
        .map(|h| {
            let p = PriorPosting {
                era_claim_id: h.id,
                paid_cents: h.paid_cents,
                entries: vec![],
            };
            (h.claim_id, p)
        })
        .collect();
    let claim_of: HashMap<EraClaimId, ClaimId> = out
        .iter()
        .map(|(claim, p)| (p.era_claim_id, *claim))
        .collect();
    for e in entries {
        let prior = claim_of.get(&e.era_claim_id).and_then(|c| out.get_mut(c));
        if let Some(p) = prior {
            p.entries.push(PriorEntry {
                id: e.id,
                client_id: e.client_id,
                charge_id: e.charge_id,
                party: if e.party == "client" {
                    Party::Client
                } else {
                    Party::Insurance
                },
                amount_cents: e.amount_cents,
            });
        }
    }
    Ok(out)
}

/// Stores the remittance and every row of its plan.
pub async fn insert_era(
    conn: &mut PgConnection,
    r: &Remittance,
    payer: Option<PayerId>,
    file: &[u8],
    plan: &Plan,
    by: UserId,
) -> Result<EraId, AppError> {
    let era = sqlx::query_scalar!(
        r#"INSERT INTO eras (trace_number, payer_identifier, payer_name, payer_id, payment_cents,
                             payment_method, payment_date, file, imported_by, posted_cents, unposted_cents)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0) RETURNING id AS "id: EraId""#,
        r.trace_number,
        r.payer_identifier,
        r.payer_name.chars().take(60).collect::<String>(),
        payer as Option<PayerId>,
        r.payment_cents,
        r.payment_method,
        r.payment_date,
        file,
        by as UserId,
    )
    .fetch_one(&mut *conn)
    .await?;

    let c_id: Vec<Uuid> = plan.claims.iter().map(|c| c.id.0).collect();
    let c_pos: Vec<i32> = plan.claims.iter().map(|c| c.position).collect();
    let c_claim: Vec<Option<Uuid>> = plan
        .claims
        .iter()
        .map(|c| c.claim_id.map(|i| i.0))
        .collect();
    let c_reason: Vec<Option<String>> = plan
        .claims
        .iter()
        .map(|c| c.unmatched_reason.clone())
        .collect();
    let c_pcn: Vec<String> = r
        .claims
        .iter()
        .map(|c| c.patient_control_number.clone())
        .collect();
    let c_status: Vec<String> = r.claims.iter().map(|c| c.status_code.clone()).collect();
    let c_charge: Vec<i64> = r.claims.iter().map(|c| c.charge_cents).collect();
    let c_paid: Vec<i64> = r.claims.iter().map(|c| c.paid_cents).collect();
    let c_share: Vec<i64> = r.claims.iter().map(|c| c.patient_share_cents).collect();
    let c_payer_no: Vec<String> = r
        .claims
        .iter()
        .map(|c| c.payer_claim_number.clone())
        .collect();
    let c_patient: Vec<String> = r.claims.iter().map(|c| c.patient_name.clone()).collect();
    let c_remarks: Vec<String> = r.claims.iter().map(|c| c.remark_codes.join(",")).collect();
    // a reversal's lines are undone whole with the posting; only other claims' lines can wait
    let c_lines_unmatched: Vec<i32> = r
        .claims
        .iter()
        .zip(&plan.lines)
        .map(|(clp, lines)| {
            let waiting = lines.iter().filter(|l| l.charge_id.is_none()).count();
            if clp.is_reversal() {
                0
            } else {
                waiting as i32
            }
        })
        .collect();
    sqlx::query!(
        "INSERT INTO era_claims (id, era_id, position, claim_id, unmatched_reason,
                                 patient_control_number, status_code, charge_cents, paid_cents,
                                 patient_share_cents, payer_claim_number, patient_name, remark_codes,
                                 lines_unmatched)
         SELECT t.id, $1, t.pos, t.claim, t.reason, t.pcn, t.status, t.charge, t.paid, t.share,
                t.payer_no, t.patient, coalesce(string_to_array(nullif(t.remarks, ''), ','), '{}'),
                t.waiting
           FROM unnest($2::uuid[], $3::int[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                       $8::bigint[], $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[],
                       $14::int[])
                AS t(id, pos, claim, reason, pcn, status, charge, paid, share, payer_no, patient, remarks,
                     waiting)",
        era as EraId,
        &c_id,
        &c_pos,
        &c_claim as &[Option<Uuid>],
        &c_reason as &[Option<String>],
        &c_pcn,
        &c_status,
        &c_charge,
        &c_paid,
        &c_share,
        &c_payer_no,
        &c_patient,
        &c_remarks,
        &c_lines_unmatched,
    )
    .execute(&mut *conn)
    .await?;

    let mut l = LineColumns::default();
    let mut a = AdjustmentColumns::default();
    for ((clp, row), lines) in r.claims.iter().zip(&plan.claims).zip(&plan.lines) {
        a.push_all(row.id, None, &clp.adjustments);
        for (svc, line) in clp.lines.iter().zip(lines) {
            l.id.push(line.id);
            l.era_claim.push(row.id.0);
            l.position.push(line.position);
            l.charge.push(line.charge_id.map(|c| c.0));
            l.code.push(svc.procedure_code.clone());
            l.modifiers.push(svc.modifiers.join(","));
            l.charge_cents.push(svc.charge_cents);
            l.paid.push(svc.paid_cents);
            l.units.push(svc.units);
            l.date.push(svc.service_date);
            l.remarks.push(svc.remark_codes.join(","));
            l.reason.push(line.unmatched_reason.clone());
            a.push_all(row.id, Some(line.id), &svc.adjustments);
        }
    }
    sqlx::query!(
        "INSERT INTO era_lines (id, era_claim_id, position, charge_id, procedure_code, modifiers,
                                charge_cents, paid_cents, units, service_date, remark_codes,
                                unmatched_reason)
         SELECT t.id, t.ec, t.pos, t.charge, t.code, coalesce(string_to_array(nullif(t.mods, ''), ','), '{}'),
                t.amount, t.paid, t.units, t.day, coalesce(string_to_array(nullif(t.remarks, ''), ','), '{}'), t.reason
           FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[], $5::text[], $6::text[],
                       $7::bigint[], $8::bigint[], $9::int[], $10::date[], $11::text[], $12::text[])
                AS t(id, ec, pos, charge, code, mods, amount, paid, units, day, remarks, reason)",
        &l.id,
        &l.era_claim,
        &l.position,
        &l.charge as &[Option<Uuid>],
        &l.code,
        &l.modifiers,
        &l.charge_cents,
        &l.paid,
        &l.units,
        &l.date as &[Option<NaiveDate>],
        &l.remarks,
        &l.reason as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO era_adjustments (era_claim_id, era_line_id, group_code, reason_code,
                                      amount_cents, quantity)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::int[])",
        &a.era_claim,
        &a.era_line as &[Option<Uuid>],
        &a.group,
        &a.reason,
        &a.amount,
        &a.quantity as &[Option<i32>],
    )
    .execute(&mut *conn)
    .await?;
    for p in &r.provider_adjustments {
        sqlx::query!(
            "INSERT INTO era_provider_adjustments (era_id, reason_code, reference, amount_cents)
             VALUES ($1, $2, $3, $4)",
            era as EraId,
            p.reason,
            p.reference,
            p.amount_cents
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(era)
}

/// Keeps on the remittance what it posted (its insurance payments, net of the earlier payments its
/// reversals took back) and what it left unposted (unmatched claims and lines): both are fixed once
/// its import commits.
pub async fn settle_era_totals(conn: &mut PgConnection, era: EraId) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE eras e SET
             posted_cents = coalesce((SELECT -sum(le.amount_cents) FROM ledger_entries le
                                        JOIN era_claims ec ON ec.id = le.era_claim_id
                                        LEFT JOIN ledger_entries undone ON undone.id = le.reversal_of
                                       WHERE ec.era_id = e.id
                                         AND (le.kind = 'insurance_payment'
                                              OR undone.kind = 'insurance_payment')), 0),
             unposted_cents = coalesce((SELECT sum(paid_cents) FROM era_claims
                                         WHERE era_id = e.id AND unmatched_reason IS NOT NULL), 0)
                            + coalesce((SELECT sum(l.paid_cents) FROM era_lines l
                                          JOIN era_claims ec ON ec.id = l.era_claim_id
                                         WHERE ec.era_id = e.id AND ec.unmatched_reason IS NULL
                                           AND ec.status_code <> '22' AND l.charge_id IS NULL), 0)
          WHERE e.id = $1",
        era as EraId
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Default)]
struct LineColumns {
    id: Vec<Uuid>,
    era_claim: Vec<Uuid>,
    position: Vec<i32>,
    charge: Vec<Option<Uuid>>,
    code: Vec<String>,
    modifiers: Vec<String>,
    charge_cents: Vec<i64>,
    paid: Vec<i64>,
    units: Vec<i32>,
    date: Vec<Option<NaiveDate>>,
    remarks: Vec<String>,
    reason: Vec<Option<String>>,
}

#[derive(Default)]
struct AdjustmentColumns {
    era_claim: Vec<Uuid>,
    era_line: Vec<Option<Uuid>>,
    group: Vec<String>,
    reason: Vec<String>,
    amount: Vec<i64>,
    quantity: Vec<Option<i32>>,
}

impl AdjustmentColumns {
    fn push_all(&mut self, era_claim: EraClaimId, line: Option<Uuid>, adjustments: &[Adjustment]) {
        for adj in adjustments {
            self.era_claim.push(era_claim.0);
            self.era_line.push(line);
            self.group.push(adj.group.clone());
            self.reason.push(adj.reason.clone());
            self.amount.push(adj.amount_cents);
            self.quantity.push(adj.quantity);
        }
    }
}

/// Claim statuses the remittance decided, with their history rows.
pub async fn apply_statuses(
    conn: &mut PgConnection,
    plan: &Plan,
    trace: &str,
    by: UserId,
) -> Result<(), AppError> {
    let claim: Vec<Uuid> = plan.statuses.iter().map(|s| s.claim_id.0).collect();
    let from: Vec<&str> = plan.statuses.iter().map(|s| s.from.as_str()).collect();
    let to: Vec<&str> = plan.statuses.iter().map(|s| s.to.as_str()).collect();
    let reason: Vec<String> = plan
        .statuses
        .iter()
        .map(|s| {
            format!("Remittance {trace}: {}", s.reason)
                .chars()
                .take(300)
                .collect()
        })
        .collect();
    // the last change of each claim is where it ends
    sqlx::query!(
        "UPDATE claims c SET status = t.to_status, updated_at = now()
           FROM (SELECT DISTINCT ON (claim) claim, to_status
                   FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS u(claim, to_status, n)
                  ORDER BY claim, n DESC) t
          WHERE c.id = t.claim",
        &claim,
        &to as &[&str],
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO claim_status_history (claim_id, from_status, to_status, reason, changed_by)
         SELECT *, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])",
        &claim,
        &from as &[&str],
        &to as &[&str],
        &reason,
        by as UserId,
    )
    .execute(&mut *conn)
    .await?;
    let done: Vec<Uuid> = plan.reversed.iter().map(|r| r.0 .0).collect();
    let by_reversal: Vec<Uuid> = plan.reversed.iter().map(|r| r.1 .0).collect();
    sqlx::query!(
        "UPDATE era_claims ec SET reversed_by = t.by_reversal
           FROM unnest($1::uuid[], $2::uuid[]) AS t(done, by_reversal)
          WHERE ec.id = t.done",
        &done,
        &by_reversal,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A remittance's summary; `$tail` follows `FROM eras e`.
macro_rules! era_summaries {
    ($tail:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            EraSummary,
            r#"SELECT e.id AS "id: EraId", e.payer_name, e.trace_number, e.payment_method,
                      e.payment_date, e.payment_cents AS "payment: Money",
                      (SELECT count(*) FROM era_claims ec WHERE ec.era_id = e.id) AS "claim_count!",
                      (SELECT count(*) FROM era_claims ec WHERE ec.era_id = e.id
                          AND ec.unmatched_reason IS NOT NULL) AS "unmatched_count!",
                      e.posted_cents AS "posted: Money",
                      e.imported_at
                 FROM eras e "# + $tail
            $(, $arg)*
        )
    };
}

pub async fn eras(conn: &mut PgConnection, limit: i64) -> Result<Vec<EraSummary>, AppError> {
    Ok(
        era_summaries!("ORDER BY e.imported_at DESC LIMIT $1", limit)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn era_summary(conn: &mut PgConnection, era: EraId) -> Result<EraSummary, AppError> {
    era_summaries!("WHERE e.id = $1", era as EraId)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub struct EraClaimRow {
    pub id: EraClaimId,
    pub patient_control_number: String,
    pub claim_id: Option<ClaimId>,
    pub client_id: Option<ClientId>,
    pub client_name: Option<String>,
    pub patient_name: String,
    pub status_code: String,
    pub charge_cents: i64,
    pub paid_cents: i64,
    pub patient_share_cents: i64,
    pub remark_codes: Vec<String>,
    pub unmatched_reason: Option<String>,
    pub reversed: bool,
    pub resolution: Option<String>,
}

pub async fn era_claims(conn: &mut PgConnection, era: EraId) -> Result<Vec<EraClaimRow>, AppError> {
    Ok(sqlx::query_as!(
        EraClaimRow,
        r#"SELECT ec.id AS "id: EraClaimId", ec.patient_control_number,
                  ec.claim_id AS "claim_id?: ClaimId", c.client_id AS "client_id?: ClientId",
                  cl.legal_first_name || ' ' || cl.legal_last_name AS "client_name?",
                  ec.patient_name, ec.status_code, ec.charge_cents, ec.paid_cents,
                  ec.patient_share_cents, ec.remark_codes, ec.unmatched_reason,
                  ec.reversed_by IS NOT NULL AS "reversed!", ec.resolution
             FROM era_claims ec
             LEFT JOIN claims c ON c.id = ec.claim_id
             LEFT JOIN clients cl ON cl.id = c.client_id
            WHERE ec.era_id = $1 ORDER BY ec.position"#,
        era as EraId
    )
    .fetch_all(conn)
    .await?)
}

pub struct EraLineRow {
    pub id: Uuid,
    pub era_claim_id: EraClaimId,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub service_date: Option<NaiveDate>,
    pub charge_cents: i64,
    pub paid_cents: i64,
    pub units: i32,
    pub remark_codes: Vec<String>,
    pub unmatched_reason: Option<String>,
}

pub async fn era_lines(conn: &mut PgConnection, era: EraId) -> Result<Vec<EraLineRow>, AppError> {
    Ok(sqlx::query_as!(
        EraLineRow,
        r#"SELECT l.id, l.era_claim_id AS "era_claim_id: EraClaimId", l.procedure_code, l.modifiers,
                  l.service_date, l.charge_cents, l.paid_cents, l.units, l.remark_codes,
                  l.unmatched_reason
             FROM era_lines l JOIN era_claims ec ON ec.id = l.era_claim_id
            WHERE ec.era_id = $1 ORDER BY ec.position, l.position"#,
        era as EraId
    )
    .fetch_all(conn)
    .await?)
}

pub struct EraAdjustmentRow {
    pub era_claim_id: EraClaimId,
    pub era_line_id: Option<Uuid>,
    pub group_code: String,
    pub reason_code: String,
    pub amount_cents: i64,
}

pub async fn era_adjustments(
    conn: &mut PgConnection,
    era: EraId,
) -> Result<Vec<EraAdjustmentRow>, AppError> {
    Ok(sqlx::query_as!(
        EraAdjustmentRow,
        r#"SELECT a.era_claim_id AS "era_claim_id: EraClaimId", a.era_line_id, a.group_code,
                  a.reason_code, a.amount_cents
             FROM era_adjustments a JOIN era_claims ec ON ec.id = a.era_claim_id
            WHERE ec.era_id = $1 ORDER BY a.id"#,
        era as EraId
    )
    .fetch_all(conn)
    .await?)
}

pub async fn era_provider_adjustments(
    conn: &mut PgConnection,
    era: EraId,
) -> Result<Vec<ProviderAdjustmentView>, AppError> {
    Ok(sqlx::query_as!(
        ProviderAdjustmentView,
        r#"SELECT reason_code AS reason, reference, amount_cents AS "amount: Money"
             FROM era_provider_adjustments WHERE era_id = $1 ORDER BY id"#,
        era as EraId
    )
    .fetch_all(conn)
    .await?)
}

/// Claims of remittances that posted nothing, or a line that did not, not yet resolved.
pub async fn unmatched(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<UnmatchedItem>, AppError> {
    Ok(sqlx::query_as!(
        UnmatchedItem,
        r#"SELECT ec.id AS "era_claim_id: EraClaimId", e.id AS "era_id: EraId", e.payer_name,
                  e.payment_date, ec.patient_control_number,
                  nullif(ec.patient_name, '') AS "patient_name?",
                  ec.paid_cents AS "paid: Money",
                  coalesce(ec.unmatched_reason,
                           (SELECT l.unmatched_reason FROM era_lines l
                             WHERE l.era_claim_id = ec.id AND l.unmatched_reason IS NOT NULL
                               AND l.charge_id IS NULL AND ec.status_code <> '22'
                             ORDER BY l.position LIMIT 1)) AS "reason!"
             FROM era_claims ec JOIN eras e ON e.id = ec.era_id
            WHERE ec.resolved_at IS NULL
              AND (ec.unmatched_reason IS NOT NULL OR ec.lines_unmatched > 0)
            ORDER BY e.payment_date, ec.position LIMIT $1"#,
        limit
    )
    .fetch_all(conn)
    .await?)
}

pub async fn resolve_unmatched(
    conn: &mut PgConnection,
    era_claim: EraClaimId,
    resolution: &str,
    by: UserId,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "UPDATE era_claims SET resolved_at = now(), resolved_by = $2, resolution = $3
          WHERE id = $1 AND resolved_at IS NULL",
        era_claim as EraClaimId,
        by as UserId,
        resolution
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One ledger row with what it concerns.
pub struct EntryRow {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    /// The day it was posted, in the practice's time zone.
    pub posted_on: NaiveDate,
    pub kind: String,
    pub party: String,
    pub charge_id: Option<ChargeId>,
    pub amount_cents: i64,
    pub reason: Option<String>,
    pub service_date: Option<NaiveDate>,
    pub service_code: Option<String>,
    pub payment_method: Option<String>,
    pub check_number: Option<String>,
    pub receipt_number: Option<i64>,
    pub payer_name: Option<String>,
}

pub async fn client_entries(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<EntryRow>, AppError> {
    Ok(sqlx::query_as!(
        EntryRow,
        r#"SELECT le.id, le.created_at, (le.created_at AT TIME ZONE pr.time_zone)::date AS "posted_on!",
                  le.kind, le.party, le.charge_id AS "charge_id?: ChargeId",
                  le.amount_cents, le.reason, ch.service_date AS "service_date?",
                  ch.service_code AS "service_code?", p.method AS "payment_method?",
                  p.check_number AS "check_number?", p.receipt_number AS "receipt_number?",
                  e.payer_name AS "payer_name?"
             FROM ledger_entries le
             JOIN practice pr ON true
             LEFT JOIN charges ch ON ch.id = le.charge_id
             LEFT JOIN client_payments p ON p.id = le.payment_id
             LEFT JOIN era_claims ec ON ec.id = le.era_claim_id
             LEFT JOIN eras e ON e.id = ec.era_id
            WHERE le.client_id = $1 ORDER BY le.id"#,
        client as ClientId
    )
    .fetch_all(conn)
    .await?)
}

/// What is owed on each of the client's charges, oldest first.
pub async fn owed_charges(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<OwedCharge>, AppError> {
    Ok(sqlx::query_as!(
        OwedCharge,
        r#"SELECT ch.id AS "charge_id: ChargeId", ch.service_date, ch.service_code,
                  ch.amount_cents AS "amount!: Money",
                  coalesce(sum(b.cents) FILTER (WHERE b.party = 'insurance'), 0)::bigint
                      AS "insurance_owes!: Money",
                  coalesce(sum(b.cents) FILTER (WHERE b.party = 'client'), 0)::bigint
                      AS "client_owes!: Money",
                  (SELECT cl.claim_id FROM claim_lines cl JOIN claims c ON c.id = cl.claim_id
                    WHERE cl.charge_id = ch.id AND c.status <> 'void'
                    ORDER BY c.created_at DESC LIMIT 1) AS "claim?: ClaimId"
             FROM ledger_balances b JOIN charges ch ON ch.id = b.charge_id
            WHERE b.client_id = $1 AND b.cents <> 0
            GROUP BY ch.id
            ORDER BY ch.service_date, ch.created_at"#,
        client as ClientId
    )
    .fetch_all(conn)
    .await?)
}

/// Money on the client's account, not applied to a charge (positive: the client has credit).
pub async fn credit(conn: &mut PgConnection, client: ClientId) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(-sum(cents), 0)::bigint AS "credit!"
             FROM ledger_balances WHERE client_id = $1 AND charge_id IS NULL"#,
        client as ClientId
    )
    .fetch_one(conn)
    .await?)
}

/// What one party owes on one charge now, and whose client it is.
pub async fn charge_share(
    conn: &mut PgConnection,
    charge: ChargeId,
    party: Party,
) -> Result<Option<(ClientId, i64)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT ch.client_id AS "client_id: ClientId",
                  coalesce((SELECT cents FROM ledger_balances
                             WHERE charge_id = ch.id AND party = $2), 0)::bigint AS "owes!"
             FROM charges ch WHERE ch.id = $1"#,
        charge as ChargeId,
        party.as_str()
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.client_id, r.owes)))
}

pub async fn client_payments(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<PaymentRow>, AppError> {
    Ok(sqlx::query_as!(
        PaymentRow,
        r#"SELECT p.id AS "id: PaymentId", p.receipt_number, p.kind, p.method,
                  p.amount_cents, p.received_at, u.display_name AS received_by
             FROM client_payments p JOIN users u ON u.id = p.received_by
            WHERE p.client_id = $1 ORDER BY p.received_at DESC"#,
        client as ClientId
    )
    .fetch_all(conn)
    .await?)
}

pub struct PaymentRow {
    pub id: PaymentId,
    pub receipt_number: i64,
    pub kind: String,
    pub method: String,
    pub amount_cents: i64,
    pub received_at: DateTime<Utc>,
    pub received_by: String,
}

pub struct NewPayment<'a> {
    pub client: ClientId,
    pub refund: bool,
    pub method: PaymentMethod,
    pub check_number: Option<&'a str>,
    pub card_reference: Option<&'a str>,
    pub amount_cents: i64,
    pub appointment: Option<AppointmentId>,
    pub note: Option<&'a str>,
    pub by: UserId,
}

pub async fn insert_payment(
    conn: &mut PgConnection,
    p: &NewPayment<'_>,
) -> Result<(PaymentId, i64), AppError> {
    let row = sqlx::query!(
        r#"INSERT INTO client_payments (client_id, kind, method, check_number, card_reference,
                                        amount_cents, appointment_id, note, received_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           RETURNING id AS "id: PaymentId", receipt_number"#,
        p.client as ClientId,
        if p.refund { "refund" } else { "payment" },
        p.method.as_str(),
        p.check_number,
        p.card_reference,
        p.amount_cents,
        p.appointment as Option<AppointmentId>,
        p.note,
        p.by as UserId,
    )
    .fetch_one(&mut *conn)
    .await?;
    // a payment puts money on the account; a refund takes it off
    let amount = if p.refund {
        p.amount_cents
    } else {
        -p.amount_cents
    };
    sqlx::query!(
        "INSERT INTO ledger_entries (client_id, party, kind, amount_cents, payment_id, created_by)
         VALUES ($1, 'client', $2, $3, $4, $5)",
        p.client as ClientId,
        if p.refund { "refund" } else { "client_payment" },
        amount,
        row.id as PaymentId,
        p.by as UserId,
    )
    .execute(conn)
    .await?;
    Ok((row.id, row.receipt_number))
}

/// Moves money from the client's account onto charges (each pair: charge, cents).
pub async fn insert_allocations(
    conn: &mut PgConnection,
    client: ClientId,
    payment: Option<PaymentId>,
    allocations: &[(ChargeId, i64)],
    by: UserId,
) -> Result<(), AppError> {
    for &(charge, cents) in allocations {
        sqlx::query!(
            "INSERT INTO ledger_entries (client_id, charge_id, party, kind, amount_cents, payment_id, created_by)
             VALUES ($1, NULL, 'client', 'allocation', $3, $4, $5),
                    ($1, $2, 'client', 'allocation', -$3::bigint, $4, $5)",
            client as ClientId,
            charge as ChargeId,
            cents,
            payment as Option<PaymentId>,
            by as UserId,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The copay expected for the client's sessions today that no payment for that session covers.
pub async fn copay_due_today(conn: &mut PgConnection, client: ClientId) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(sum(GREATEST(p.copay_cents - coalesce(paid.cents, 0), 0)), 0)::bigint AS "due!"
             FROM practice pr
             JOIN appointments a
               ON (a.starts_at AT TIME ZONE pr.time_zone)::date = (now() AT TIME ZONE pr.time_zone)::date
             JOIN appointment_clients ac ON ac.appointment_id = a.id AND ac.client_id = $1
             JOIN clients c ON c.id = $1 AND NOT c.self_pay
             JOIN LATERAL (SELECT ip.copay_cents FROM insurance_policies ip
                            WHERE ip.client_id = $1 AND ip.priority = 'primary' AND ip.active
                              AND ip.coverage_start <= (a.starts_at AT TIME ZONE pr.time_zone)::date
                              AND (ip.coverage_end IS NULL
                                   OR ip.coverage_end >= (a.starts_at AT TIME ZONE pr.time_zone)::date)
                            LIMIT 1) p ON true
             LEFT JOIN LATERAL (SELECT sum(cp.amount_cents) AS cents FROM client_payments cp
                                 WHERE cp.appointment_id = a.id AND cp.client_id = $1
                                   AND cp.kind = 'payment') paid ON true
            WHERE a.status NOT IN ('cancelled', 'no_show')"#,
        client as ClientId
    )
    .fetch_one(conn)
    .await?)
}

/// Whether the client attends that appointment (a copay is collected for one of their sessions).
pub async fn attends(
    conn: &mut PgConnection,
    appointment: AppointmentId,
    client: ClientId,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM appointment_clients
                           WHERE appointment_id = $1 AND client_id = $2) AS "attends!""#,
        appointment as AppointmentId,
        client as ClientId
    )
    .fetch_one(conn)
    .await?)
}

/// A payment with what its receipt shows.
pub struct ReceiptRow {
    pub client_id: ClientId,
    pub client_name: String,
    pub receipt_number: i64,
    pub kind: String,
    pub method: String,
    pub check_number: Option<String>,
    pub card_reference: Option<String>,
    pub amount_cents: i64,
    /// The day in the practice's time zone.
    pub received_on: NaiveDate,
    pub received_by: String,
    pub note: Option<String>,
}

pub async fn receipt(conn: &mut PgConnection, payment: PaymentId) -> Result<ReceiptRow, AppError> {
    sqlx::query_as!(
        ReceiptRow,
        r#"SELECT p.client_id AS "client_id: ClientId",
                  c.legal_first_name || ' ' || c.legal_last_name AS "client_name!",
                  p.receipt_number, p.kind, p.method, p.check_number, p.card_reference,
                  p.amount_cents, (p.received_at AT TIME ZONE pr.time_zone)::date AS "received_on!",
                  u.display_name AS received_by, p.note
             FROM client_payments p
             JOIN practice pr ON true
             JOIN clients c ON c.id = p.client_id
             JOIN users u ON u.id = p.received_by
            WHERE p.id = $1"#,
        payment as PaymentId
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// After a reversal: money the client paid toward a share the payer no longer says they owe goes
/// back to their account as credit (the charge's client share never falls below zero).
pub async fn return_overapplied(
    conn: &mut PgConnection,
    charges: &[ChargeId],
    by: UserId,
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = charges.iter().map(|c| c.0).collect();
    sqlx::query!(
        "WITH over AS (
             SELECT charge_id, client_id, -cents AS cents
               FROM ledger_balances
              WHERE charge_id = ANY($1) AND party = 'client' AND cents < 0)
         INSERT INTO ledger_entries (client_id, charge_id, party, kind, amount_cents, reason, created_by)
         SELECT client_id, charge_id, 'client', 'allocation', cents,
                'Returned to the account: the payer reversed its payment', $2::uuid FROM over
         UNION ALL
         SELECT client_id, NULL, 'client', 'allocation', -cents,
                'Returned to the account: the payer reversed its payment', $2 FROM over",
        &ids,
        by as UserId,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn client_name(conn: &mut PgConnection, client: ClientId) -> Result<String, AppError> {
    sqlx::query_scalar!(
        r#"SELECT legal_first_name || ' ' || legal_last_name AS "name!" FROM clients WHERE id = $1"#,
        client as ClientId
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}
