//! Two figures of money in, run by `scripts/bench-remit.sh` against a demo database of its own:
//!
//! - the time to import and post an 835 of 1,000 claims through the real service
//!   (`remits::import_era`: parse, balance, match claims and lines, post every payment, adjustment
//!   and client share, set the claims' statuses, audit — one transaction; goal under 5 s), and the
//!   time to recognise the same file as a duplicate;
//! - the receivables page (`receivables::receivables`: aging by payer and by client, unbilled
//!   sessions, denials, this month's money) with 100,000 clients owing (median and p99; goal p99
//!   under 100 ms).
//!
//! The 100,000 clients and their charges are made once (kept for later runs): copies of one demo
//! charge, with their ledger rows posted the normal way so the balances follow from the triggers.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot go on stops here

use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::billing::server::claim_file::line_control_number;
use app::billing::server::edi::remit::{
    write_835, Adjustment, ClaimPayment, Remittance, ServicePayment,
};
use app::billing::server::{receivables, remits};
use app::ids::{ChargeId, SessionId, UserId};
use sqlx::PgPool;
use std::time::{Duration, Instant};

const CLIENTS: i64 = 100_000;
const CLAIMS: i64 = 1_000;
const ROUNDS: usize = 3;
const AGING_CALLS: usize = 200;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await?;
    let biller: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'biller@demo.test'")
            .fetch_one(&pool)
            .await?;
    let biller = CurrentUser {
        id: UserId(biller),
        email: "biller@demo.test".into(),
        display_name: "Bench biller".into(),
        role: Role::Biller,
        session_id: SessionId(uuid::Uuid::nil()),
        must_change_password: false,
    };
    let meta = RequestMeta::default();
    ensure_clients_owing(&pool).await?;

    let mut posts = Vec::new();
    for round in 1..=ROUNDS {
        let remittance = submitted_claims(&pool, round).await?;
        let file = write_835(
            &remittance,
            800_000 + round as u32,
            chrono::Utc::now().naive_utc(),
        );
        let started = Instant::now();
        let done = remits::import_era(&pool, &biller, &meta, file.as_bytes())
            .await
            .map_err(|e| format!("{e:?}"))?;
        let took = started.elapsed();
        let again = Instant::now();
        let duplicate = remits::import_era(&pool, &biller, &meta, file.as_bytes())
            .await
            .map_err(|e| format!("{e:?}"))?;
        assert!(duplicate.duplicate && done.claims_matched == CLAIMS);
        println!(
            "round {round}: {} claims matched, ${:.2} posted, {:.0} KB of 835 in {:.0} ms (the same file again: {:.0} ms, nothing posted)",
            done.claims_matched,
            done.posted_cents as f64 / 100.0,
            file.len() as f64 / 1024.0,
            ms(took),
            ms(again.elapsed())
        );
        posts.push(took);
    }
    posts.sort();
    println!(
        "posting an 835 of {CLAIMS} claims: median {:.0} ms, slowest {:.0} ms (goal: under 5000 ms, one transaction)",
        ms(posts[ROUNDS / 2]),
        ms(posts[ROUNDS - 1])
    );

    let owing: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT client_id) FROM ledger_balances WHERE party = 'client' AND cents > 0 AND charge_id IS NOT NULL",
    )
    .fetch_one(&pool)
    .await?;
    let mut times = Vec::new();
    for _ in 0..AGING_CALLS {
        let started = Instant::now();
        let r = receivables::receivables(&pool, &biller, &meta)
            .await
            .map_err(|e| format!("{e:?}"))?;
        times.push(started.elapsed());
        assert_eq!(r.clients_owing, owing);
    }
    times.sort();
    println!(
        "receivables (aging by payer and by client) with {owing} clients owing, {AGING_CALLS} calls: median {:.1} ms, p99 {:.1} ms (goal: p99 under 100 ms)",
        ms(times[AGING_CALLS / 2]),
        ms(times[AGING_CALLS * 99 / 100])
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Clients, each with one insurance charge of a demo session (a copy of one demo charge, 0–364 days
/// old) of which they owe a $25 copay: made once, up to `CLIENTS`.
async fn ensure_clients_owing(pool: &PgPool) -> Result<(), sqlx::Error> {
    let have: i64 =
        sqlx::query_scalar("SELECT count(*) FROM clients WHERE legal_first_name = 'Bench'")
            .fetch_one(pool)
            .await?;
    let missing = CLIENTS - have;
    if missing <= 0 {
        return Ok(());
    }
    println!("making {missing} clients with charges (once)…");
    let mut tx = pool.begin().await?;
    sqlx::query(
        "CREATE TEMP TABLE bench_new ON COMMIT DROP AS
         SELECT gen_random_uuid() AS client, gen_random_uuid() AS charge, g
           FROM generate_series(1, $1) g",
    )
    .bind(missing)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO clients (id, legal_first_name, legal_last_name, date_of_birth, status)
         SELECT client, 'Bench', 'Client ' || g, date '1980-01-01' + (g % 9000)::int, 'active' FROM bench_new",
    )
    .execute(&mut *tx)
    .await?;
    // copies of one insured demo charge: the signed-note trigger would refuse them (their notes are
    // another client's), so this set-up skips triggers for the copy only
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO charges (id, appointment_id, client_id, note_id, service_date, service_code, modifiers,
                              units, unit_fee_cents, diagnosis_codes, documented_minutes, clinician_id,
                              rendering_provider_id, place_of_service, policy_id, client_share_cents, created_by)
         SELECT n.charge, t.appointment_id, n.client, t.note_id, current_date - (n.g % 365)::int, t.service_code,
                t.modifiers, t.units, t.unit_fee_cents, t.diagnosis_codes, t.documented_minutes, t.clinician_id,
                t.rendering_provider_id, t.place_of_service, t.policy_id, 2500, t.created_by
           FROM bench_new n,
                (SELECT * FROM charges WHERE policy_id IS NOT NULL AND unit_fee_cents * units > 2500
                  ORDER BY created_at LIMIT 1) t",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("SET LOCAL session_replication_role = origin")
        .execute(&mut *tx)
        .await?;
    // posted the normal way: the charge, and the copay moved to the client
    sqlx::query(
        "INSERT INTO ledger_entries (client_id, charge_id, party, kind, amount_cents, reason, created_by)
         SELECT ch.client_id, ch.id, p.party, p.kind, p.amount, p.reason, ch.created_by
           FROM bench_new n JOIN charges ch ON ch.id = n.charge
           CROSS JOIN LATERAL (VALUES ('insurance', 'charge', ch.amount_cents, NULL),
                                      ('insurance', 'transfer', -2500::bigint, 'PR-3: Copay'),
                                      ('client', 'transfer', 2500::bigint, 'PR-3: Copay')) AS p(party, kind, amount, reason)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}

/// `CLAIMS` bench charges on no claim yet, each put on a submitted claim, and the 835 a payer
/// would send for them: 80 percent of the rest paid, the remainder contractual.
async fn submitted_claims(pool: &PgPool, round: usize) -> Result<Remittance, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let rows: Vec<(uuid::Uuid, String, i64, chrono::NaiveDate, String, String, String)> = sqlx::query_as(
        "WITH picked AS (
             SELECT ch.id FROM charges ch JOIN clients c ON c.id = ch.client_id AND c.legal_first_name = 'Bench'
              WHERE NOT EXISTS (SELECT 1 FROM claim_lines l WHERE l.charge_id = ch.id)
              LIMIT $1),
         made AS (
             INSERT INTO claims (client_id, policy_id, payer_id, rendering_provider_id, status, batch_id, created_by)
             SELECT ch.client_id, ch.policy_id, ip.payer_id, ch.rendering_provider_id, 'submitted',
                    (SELECT id FROM claim_batches ORDER BY created_at LIMIT 1), ch.created_by
               FROM picked JOIN charges ch ON ch.id = picked.id
               JOIN insurance_policies ip ON ip.id = ch.policy_id
             RETURNING id, client_id, claim_number),
         lined AS (
             INSERT INTO claim_lines (claim_id, line_number, charge_id)
             SELECT m.id, 1, ch.id FROM made m JOIN charges ch ON ch.client_id = m.client_id
              WHERE ch.id IN (SELECT id FROM picked)
             RETURNING claim_id, charge_id)
         SELECT l.charge_id, m.claim_number, ch.amount_cents, ch.service_date, ch.service_code,
                p.name, p.payer_code
           FROM lined l JOIN made m ON m.id = l.claim_id JOIN charges ch ON ch.id = l.charge_id
           JOIN insurance_policies ip ON ip.id = ch.policy_id JOIN payers p ON p.id = ip.payer_id",
    )
    .bind(CLAIMS)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let (payer_name, payer_code) = (rows[0].5.clone(), rows[0].6.clone());
    let claims: Vec<ClaimPayment> = rows
        .iter()
        .map(|(charge, number, amount, date, code, _, _)| {
            // the copay already moved to the client in the set-up: the payer deals with the rest
            let open = amount - 2500;
            let paid = open * 8 / 10;
            ClaimPayment {
                patient_control_number: number.clone(),
                status_code: "1".into(),
                charge_cents: open,
                paid_cents: paid,
                patient_share_cents: 0,
                payer_claim_number: format!("B{number}"),
                patient_name: "BENCH CLIENT".into(),
                adjustments: vec![],
                remark_codes: vec![],
                lines: vec![ServicePayment {
                    procedure_code: code.clone(),
                    modifiers: vec![],
                    charge_cents: open,
                    paid_cents: paid,
                    units: 1,
                    service_date: Some(*date),
                    control_number: Some(line_control_number(ChargeId(*charge))),
                    adjustments: vec![Adjustment {
                        group: "CO".into(),
                        reason: "45".into(),
                        amount_cents: open - paid,
                        quantity: None,
                    }],
                    remark_codes: vec![],
                }],
            }
        })
        .collect();
    let payment: i64 = claims.iter().map(|c| c.paid_cents).sum();
    Ok(Remittance {
        trace_number: format!("BENCH{}{round}", chrono::Utc::now().timestamp()),
        payer_identifier: "1999999999".into(),
        payer_name,
        payer_code: Some(payer_code),
        payee_name: "Bench practice".into(),
        payee_npi: "1245319599".into(),
        payment_cents: payment,
        payment_method: "ACH".into(),
        payment_date: chrono::Utc::now().date_naive(),
        claims,
        provider_adjustments: vec![],
    })
}
