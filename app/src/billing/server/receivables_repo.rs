//! SQL of the receivables page: aging from the open balances (never the whole ledger), unbilled
//! sessions, open denials by reason, this month's money and each remittance's reconciliation.

use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::EraId;
use crate::money::Money;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// The practice's today.
pub async fn today(conn: &mut PgConnection) -> Result<NaiveDate, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT (now() AT TIME ZONE time_zone)::date AS "today!" FROM practice"#
    )
    .fetch_one(conn)
    .await?)
}

pub struct AgingSql {
    pub id: uuid::Uuid,
    pub name: String,
    pub b0: i64,
    pub b1: i64,
    pub b2: i64,
    pub b3: i64,
    pub b4: i64,
}

impl From<AgingSql> for AgingRow {
    fn from(r: AgingSql) -> Self {
        let buckets = [r.b0, r.b1, r.b2, r.b3, r.b4].map(Money);
        AgingRow {
            id: r.id,
            name: r.name,
            total: Money(buckets.iter().map(|m| m.cents()).sum()),
            buckets,
        }
    }
}

/// What each payer owes on its open charges, by age (from the per-day summary the ledger keeps).
pub async fn aging_by_payer(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<Vec<AgingRow>, AppError> {
    let rows = sqlx::query_as!(
        AgingSql,
        r#"SELECT p.id, p.name,
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date <= 30), 0)::bigint AS "b0!",
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date BETWEEN 31 AND 60), 0)::bigint AS "b1!",
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date BETWEEN 61 AND 90), 0)::bigint AS "b2!",
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date BETWEEN 91 AND 120), 0)::bigint AS "b3!",
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date > 120), 0)::bigint AS "b4!"
             FROM open_by_day_now o
             JOIN payers p ON p.id = o.payer_id
            WHERE o.party = 'insurance' AND o.cents <> 0
            GROUP BY p.id, p.name
            ORDER BY sum(o.cents) DESC"#,
        today
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(AgingRow::from).collect())
}

/// What clients owe on their charges, by age: the `limit` who owe most (read from the per-client
/// summary's index, then only their own balances), and the totals of all (from the per-day
/// summary).
pub async fn aging_by_client(
    conn: &mut PgConnection,
    today: NaiveDate,
    limit: i64,
) -> Result<(Vec<AgingRow>, AgingRow, i64), AppError> {
    let rows = sqlx::query_as!(
        AgingSql,
        r#"WITH top AS (
               SELECT client_id FROM client_owing WHERE cents > 0 ORDER BY cents DESC LIMIT $2),
           per_client AS (
               SELECT b.client_id,
                      coalesce(sum(b.cents) FILTER (WHERE $1 - ch.service_date <= 30), 0)::bigint AS b0,
                      coalesce(sum(b.cents) FILTER (WHERE $1 - ch.service_date BETWEEN 31 AND 60), 0)::bigint AS b1,
                      coalesce(sum(b.cents) FILTER (WHERE $1 - ch.service_date BETWEEN 61 AND 90), 0)::bigint AS b2,
                      coalesce(sum(b.cents) FILTER (WHERE $1 - ch.service_date BETWEEN 91 AND 120), 0)::bigint AS b3,
                      coalesce(sum(b.cents) FILTER (WHERE $1 - ch.service_date > 120), 0)::bigint AS b4
                 FROM top t
                 JOIN ledger_balances b ON b.client_id = t.client_id AND b.party = 'client' AND b.cents <> 0
                 JOIN charges ch ON ch.id = b.charge_id
                GROUP BY b.client_id)
           SELECT t.client_id AS "id!", c.legal_first_name || ' ' || c.legal_last_name AS "name!",
                  t.b0 AS "b0!", t.b1 AS "b1!", t.b2 AS "b2!", t.b3 AS "b3!", t.b4 AS "b4!"
             FROM per_client t JOIN clients c ON c.id = t.client_id
           UNION ALL
           SELECT '00000000-0000-0000-0000-000000000000'::uuid,
                  (SELECT count(*) FROM client_owing WHERE cents > 0)::text,
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date <= 30), 0)::bigint,
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date BETWEEN 31 AND 60), 0)::bigint,
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date BETWEEN 61 AND 90), 0)::bigint,
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date BETWEEN 91 AND 120), 0)::bigint,
                  coalesce(sum(o.cents) FILTER (WHERE $1 - o.service_date > 120), 0)::bigint
             FROM open_by_day_now o WHERE o.party = 'client'"#,
        today,
        limit
    )
    .fetch_all(conn)
    .await?;
    let mut rows: Vec<AgingRow> = rows.into_iter().map(AgingRow::from).collect();
    // the last row is the totals, its name the count of clients owing
    let totals = rows.pop().ok_or(AppError::Internal)?;
    let owing = totals.name.parse().unwrap_or(0);
    rows.sort_by(|a, b| {
        b.total
            .cents()
            .cmp(&a.total.cents())
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok((rows, totals, owing))
}

/// Adds the changes postings recorded into the per-day summary; the number of days touched.
pub async fn fold_open_by_day(conn: &mut PgConnection) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT fold_open_by_day() AS "days!""#)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn credit_on_accounts(conn: &mut PgConnection) -> Result<Money, AppError> {
    Ok(Money(
        sqlx::query_scalar!(
            r#"SELECT coalesce(-sum(cents), 0)::bigint AS "credit!" FROM ledger_balances
                WHERE charge_id IS NULL AND cents <> 0"#
        )
        .fetch_one(conn)
        .await?,
    ))
}

/// Completed sessions of the last 180 days with no charge, by age (older ones are past most
/// payers' filing limits and no longer a biller's queue).
pub async fn unbilled(conn: &mut PgConnection, today: NaiveDate) -> Result<UnbilledAge, AppError> {
    let r = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE age <= 30) AS "b0!", count(*) FILTER (WHERE age BETWEEN 31 AND 60) AS "b1!",
                  count(*) FILTER (WHERE age BETWEEN 61 AND 90) AS "b2!", count(*) FILTER (WHERE age BETWEEN 91 AND 120) AS "b3!",
                  count(*) FILTER (WHERE age > 120) AS "b4!"
             FROM (SELECT $1 - (a.starts_at AT TIME ZONE p.time_zone)::date AS age
                     FROM appointments a
                     JOIN practice p ON true
                     JOIN appointment_clients ac ON ac.appointment_id = a.id
                    WHERE a.status = 'completed' AND a.starts_at >= now() - interval '180 days'
                      AND NOT EXISTS (SELECT 1 FROM charges c
                                       WHERE c.appointment_id = a.id AND c.client_id = ac.client_id)) s"#,
        today
    )
    .fetch_one(conn)
    .await?;
    Ok(UnbilledAge {
        counts: [r.b0, r.b1, r.b2, r.b3, r.b4],
    })
}

pub struct DenialSql {
    pub group_code: String,
    pub reason_code: String,
    pub claims: i64,
    pub cents: i64,
}

/// Claims still denied, grouped by the first reason (not the client's share) of their denial.
pub async fn denials(conn: &mut PgConnection) -> Result<Vec<DenialSql>, AppError> {
    Ok(sqlx::query_as!(
        DenialSql,
        r#"SELECT coalesce(a.group_code, '') AS "group_code!", coalesce(a.reason_code, '') AS "reason_code!",
                  count(*) AS "claims!",
                  coalesce(sum((SELECT sum(ch.amount_cents) FROM claim_lines l JOIN charges ch ON ch.id = l.charge_id
                                 WHERE l.claim_id = c.id)), 0)::bigint AS "cents!"
             FROM claims c
             LEFT JOIN LATERAL (SELECT ec.id FROM era_claims ec JOIN eras e ON e.id = ec.era_id
                                 WHERE ec.claim_id = c.id AND ec.status_code = '4'
                                 ORDER BY e.imported_at DESC LIMIT 1) ec ON true
             LEFT JOIN LATERAL (SELECT group_code, reason_code FROM era_adjustments
                                 WHERE era_claim_id = ec.id AND group_code <> 'PR'
                                 ORDER BY id LIMIT 1) a ON true
            WHERE c.status = 'denied'
            GROUP BY 1, 2 ORDER BY 3 DESC"#
    )
    .fetch_all(conn)
    .await?)
}

/// Insurance and client payments received since the first of this month (net of reversals and refunds).
pub async fn paid_this_month(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<(Money, Money), AppError> {
    let r = sqlx::query!(
        r#"SELECT
             (SELECT coalesce(sum(ec.paid_cents), 0) FROM era_claims ec JOIN eras e ON e.id = ec.era_id
               WHERE e.payment_date >= date_trunc('month', $1::date)::date AND ec.unmatched_reason IS NULL)::bigint AS "insurance!",
             (SELECT coalesce(sum(CASE kind WHEN 'payment' THEN amount_cents ELSE -amount_cents END), 0)
                FROM client_payments p, practice pr
               WHERE p.received_at >= (date_trunc('month', $1::date) AT TIME ZONE pr.time_zone))::bigint AS "client!""#,
        today
    )
    .fetch_one(conn)
    .await?;
    Ok((Money(r.insurance), Money(r.client)))
}

/// Each remittance paid since `since`: its deposit against what it posted.
pub async fn reconciliation(
    conn: &mut PgConnection,
    since: NaiveDate,
) -> Result<Vec<Reconciliation>, AppError> {
    Ok(sqlx::query_as!(
        Reconciliation,
        r#"SELECT e.id AS "era_id: EraId", e.payer_name, e.trace_number, e.payment_date,
                  e.payment_cents AS "deposit: Money", e.posted_cents AS "posted: Money",
                  e.unposted_cents AS "unposted: Money",
                  coalesce((SELECT sum(amount_cents) FROM era_provider_adjustments WHERE era_id = e.id), 0)::bigint
                      AS "withheld!: Money"
             FROM eras e WHERE e.payment_date >= $1
            ORDER BY e.payment_date DESC, e.imported_at DESC"#,
        since
    )
    .fetch_all(conn)
    .await?)
}
