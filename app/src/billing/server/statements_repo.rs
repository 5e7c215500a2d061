//! SQL of the client's papers: the ledger rows of a period with the balance before it, the age of
//! what is owed now, and a superbill's charges, diagnoses and providers.

use crate::error::AppError;
use crate::ids::{ChargeId, ClientId};
use chrono::NaiveDate;
use sqlx::PgConnection;

pub struct ClientHeader {
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub address_line1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

pub async fn client_header(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<ClientHeader, AppError> {
    sqlx::query_as!(
        ClientHeader,
        r#"SELECT legal_first_name || ' ' || legal_last_name AS "name!", date_of_birth, address_line1,
                  city, state::text AS state, zip
             FROM clients WHERE id = $1"#,
        client as ClientId
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// The client's share before `from` (credit counts against it), in the practice's time zone.
pub async fn client_balance_before(
    conn: &mut PgConnection,
    client: ClientId,
    from: NaiveDate,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(sum(le.amount_cents), 0)::bigint AS "cents!"
             FROM ledger_entries le, practice p
            WHERE le.client_id = $1 AND le.party = 'client'
              AND (le.created_at AT TIME ZONE p.time_zone)::date < $2"#,
        client as ClientId,
        from
    )
    .fetch_one(conn)
    .await?)
}

pub struct StatementRow {
    pub posted_on: NaiveDate,
    pub kind: String,
    pub service_date: Option<NaiveDate>,
    pub service_code: Option<String>,
    pub reason: Option<String>,
    pub amount_cents: i64,
}

/// What changed the client's share from `from` through `to`, in order. Moving money from the
/// account onto a charge changes nothing the client owes, so those pairs are left out.
pub async fn statement_rows(
    conn: &mut PgConnection,
    client: ClientId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StatementRow>, AppError> {
    Ok(sqlx::query_as!(
        StatementRow,
        r#"SELECT (le.created_at AT TIME ZONE p.time_zone)::date AS "posted_on!", le.kind,
                  ch.service_date AS "service_date?", ch.service_code AS "service_code?", le.reason,
                  le.amount_cents
             FROM ledger_entries le
             JOIN practice p ON true
             LEFT JOIN charges ch ON ch.id = le.charge_id
            WHERE le.client_id = $1 AND le.party = 'client' AND le.kind <> 'allocation'
              AND (le.created_at AT TIME ZONE p.time_zone)::date BETWEEN $2 AND $3
            ORDER BY le.id"#,
        client as ClientId,
        from,
        to
    )
    .fetch_all(conn)
    .await?)
}

/// What the client owes on charges now, by the age of each service (five buckets).
pub async fn client_aging(
    conn: &mut PgConnection,
    client: ClientId,
    today: NaiveDate,
) -> Result<[i64; 5], AppError> {
    let r = sqlx::query!(
        r#"SELECT coalesce(sum(b.cents) FILTER (WHERE $2 - ch.service_date <= 30), 0)::bigint AS "b0!",
                  coalesce(sum(b.cents) FILTER (WHERE $2 - ch.service_date BETWEEN 31 AND 60), 0)::bigint AS "b1!",
                  coalesce(sum(b.cents) FILTER (WHERE $2 - ch.service_date BETWEEN 61 AND 90), 0)::bigint AS "b2!",
                  coalesce(sum(b.cents) FILTER (WHERE $2 - ch.service_date BETWEEN 91 AND 120), 0)::bigint AS "b3!",
                  coalesce(sum(b.cents) FILTER (WHERE $2 - ch.service_date > 120), 0)::bigint AS "b4!"
             FROM ledger_balances b JOIN charges ch ON ch.id = b.charge_id
            WHERE b.client_id = $1 AND b.party = 'client' AND b.cents <> 0"#,
        client as ClientId,
        today
    )
    .fetch_one(conn)
    .await?;
    Ok([r.b0, r.b1, r.b2, r.b3, r.b4])
}

pub struct SuperbillLine {
    pub charge_id: ChargeId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub description: String,
    pub modifiers: Vec<String>,
    pub units: i32,
    pub place_of_service: String,
    pub amount_cents: i64,
    /// What was paid on it: insurance payments and the client's money applied to it.
    pub paid_cents: i64,
    pub diagnosis_codes: Vec<String>,
    pub provider: String,
    pub provider_npi: Option<String>,
    pub licenses: Option<String>,
}

pub async fn superbill_lines(
    conn: &mut PgConnection,
    client: ClientId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<SuperbillLine>, AppError> {
    Ok(sqlx::query_as!(
        SuperbillLine,
        r#"SELECT ch.id AS "charge_id: ChargeId", ch.service_date, ch.service_code, s.description,
                  ch.modifiers, ch.units, ch.place_of_service, ch.amount_cents AS "amount_cents!",
                  coalesce((SELECT -sum(le.amount_cents) FROM ledger_entries le
                             WHERE le.charge_id = ch.id
                               AND (le.kind = 'insurance_payment'
                                    OR (le.kind = 'allocation' AND le.party = 'client')
                                    OR (le.kind = 'reversal' AND le.reversal_of IN (
                                          SELECT id FROM ledger_entries WHERE kind = 'insurance_payment'
                                            AND charge_id = ch.id)))), 0)::bigint AS "paid_cents!",
                  ch.diagnosis_codes, u.display_name AS provider, sp.npi AS "provider_npi?",
                  (SELECT string_agg(l.license_type || ' ' || l.license_number || ' (' || l.state || ')', ', '
                                     ORDER BY l.state)
                     FROM staff_licenses l WHERE l.user_id = u.id AND l.active) AS "licenses?"
             FROM charges ch
             JOIN service_codes s ON s.code = ch.service_code
             JOIN users u ON u.id = ch.rendering_provider_id
             LEFT JOIN staff_profiles sp ON sp.user_id = u.id
            WHERE ch.client_id = $1 AND ch.service_date BETWEEN $2 AND $3
            ORDER BY ch.service_date, ch.created_at"#,
        client as ClientId,
        from,
        to
    )
    .fetch_all(conn)
    .await?)
}

pub async fn diagnosis_words(
    conn: &mut PgConnection,
    codes: &[String],
) -> Result<Vec<(String, String)>, AppError> {
    let rows = sqlx::query!(
        "SELECT code, description FROM icd10_codes WHERE code = ANY($1)",
        codes
    )
    .fetch_all(conn)
    .await?;
    let mut out: Vec<(String, String)> = codes
        .iter()
        .map(|c| {
            let words = rows
                .iter()
                .find(|r| &r.code == c)
                .map(|r| r.description.clone())
                .unwrap_or_default();
            (c.clone(), words)
        })
        .collect();
    out.dedup();
    Ok(out)
}
