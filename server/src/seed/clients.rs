//! Demo clients (any number, for benchmarks too) and their charts: payers, insurance,
//! authorizations, diagnoses and alerts.

use super::people::*;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;

/// Demo clients: 60 by default (`--clients N` for a large practice). Only what is missing is added, so
/// running it again changes nothing.
pub async fn demo_clients(pool: &PgPool, target: u64) -> Result<u64, crate::AnyError> {
    let existing: i64 = sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM clients"#)
        .fetch_one(pool)
        .await?;
    let missing = target.saturating_sub(existing as u64);
    if missing == 0 {
        return Ok(0);
    }
    let clinicians: Vec<uuid::Uuid> = sqlx::query_scalar!(
        "SELECT id FROM users WHERE email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
          ORDER BY email",
    )
    .fetch_all(pool)
    .await?;
    // the intern is supervised by the supervisor
    sqlx::query!(
        "INSERT INTO staff_profiles (user_id, supervisor_id)
         SELECT i.id, s.id FROM users i, users s WHERE i.email = 'intern@demo.test' AND s.email = 'supervisor@demo.test'
         ON CONFLICT (user_id) DO NOTHING",
    )
    .execute(pool)
    .await?;

    let mut rng = rand::rngs::StdRng::seed_from_u64(existing as u64 + 7);
    let progress = indicatif::ProgressBar::new(missing).with_message("clients");
    progress.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut made = 0u64;
    while made < missing {
        let batch = (missing - made).min(2_000);
        let mut tx = pool.begin().await?;
        // runtime SQL: one multi-row INSERT per batch, its row count varies
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO clients (legal_first_name, legal_last_name, preferred_name, pronouns, date_of_birth,
                sex_assigned_at_birth, phone_mobile, sms_consent, voicemail_consent, email, email_consent,
                address_line1, city, state, zip, preferred_contact, status, primary_clinician_id, referral_source) ",
        );
        q.push_values(0..batch, |mut row, i| {
            let p = fake_person(&mut rng, existing as u64 + made + i);
            let clinician =
                (!clinicians.is_empty()).then(|| clinicians[rng.gen_range(0..clinicians.len())]);
            row.push_bind(p.first)
                .push_bind(p.last)
                .push_bind(p.preferred)
                .push_bind(p.pronouns)
                .push_bind(p.dob)
                .push_bind(p.sex)
                .push_bind(p.phone)
                .push_bind(true)
                .push_bind(rng.gen_bool(0.7))
                .push_bind(p.email)
                .push_bind(true)
                .push_bind(p.street)
                .push_bind("Chicago")
                .push_bind("IL")
                .push_bind(p.zip)
                .push_bind(["phone", "sms", "email"][rng.gen_range(0..3)])
                .push_bind(p.status)
                .push_bind(clinician)
                .push_bind(
                    [
                        "Self",
                        "Primary care physician",
                        "School counselor",
                        "Insurance directory",
                        "Friend or family",
                    ][rng.gen_range(0..5)],
                );
        });
        q.push(" RETURNING id");
        let ids: Vec<uuid::Uuid> = q.build_query_scalar().fetch_all(&mut *tx).await?;
        sqlx::query!(
            "INSERT INTO client_status_history (client_id, to_status, reason)
             SELECT c.id, c.status, 'Demo data' FROM clients c WHERE c.id = ANY($1)",
            &ids,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        made += batch;
        progress.inc(batch);
    }
    progress.finish_and_clear();
    Ok(made)
}

/// Payers of the demo practice: (name, electronic payer id).
pub(super) const DEMO_PAYERS: &[(&str, &str)] = &[
    ("Aetna", "60054"),
    ("Blue Cross Blue Shield of Illinois", "00621"),
    ("Cigna Behavioral Health", "62308"),
    ("UnitedHealthcare / Optum", "87726"),
    ("Humana", "61101"),
    ("Illinois Medicaid", "ILMCD"),
];

/// Diagnoses common in outpatient mental health, for the demo charts.
pub(super) const DEMO_CODES: &[&str] = &[
    "F41.1", "F32.1", "F43.10", "F33.1", "F90.0", "F43.23", "F40.10", "F42.2",
];

/// Payers, insurance, prior authorizations, diagnoses and a few alerts for the demo clients. Set-based
/// (a handful of statements however many clients) and idempotent: only clients without them get them.
/// `hashtext(x) & 2147483647` spreads rows deterministically (`abs` would overflow on i32::MIN).
pub async fn demo_chart_details(pool: &PgPool) -> Result<(), crate::AnyError> {
    let mut tx = pool.begin().await?;
    for (name, code) in DEMO_PAYERS {
        sqlx::query!(
            "INSERT INTO payers (name, payer_code) VALUES ($1, $2) ON CONFLICT (payer_code) DO NOTHING",
            name,
            code,
        )
        .execute(&mut *tx)
        .await?;
    }
    let codes: Vec<String> = DEMO_PAYERS.iter().map(|(_, c)| (*c).to_owned()).collect();
    // three in four clients are insured; the payer follows from the client's id
    sqlx::query!(
        "INSERT INTO insurance_policies (client_id, payer_id, priority, member_id, group_number,
             subscriber_relationship, coverage_start, copay_cents, deductible_cents)
         SELECT c.id, p.id, 'primary', 'M' || lpad(((hashtext(c.id::text) & 2147483647) % 100000000)::text, 8, '0'),
                'G' || ((hashtext(c.chart_number) & 2147483647) % 9000 + 1000), 'self', date '2026-01-01',
                (ARRAY[0, 2000, 2500, 3000, 4000])[(hashtext(c.id::text) & 2147483647) % 5 + 1],
                (ARRAY[0, 50000, 100000, 250000])[(hashtext(c.chart_number) & 2147483647) % 4 + 1]
           FROM clients c
           JOIN payers p ON p.payer_code = ($1::text[])[(hashtext(c.id::text || 'payer') & 2147483647) % 6 + 1]
          WHERE (hashtext(c.id::text) & 2147483647) % 4 <> 0
            AND NOT EXISTS (SELECT 1 FROM insurance_policies i WHERE i.client_id = c.id)",
        &codes,
    )
    .execute(&mut *tx)
    .await?;
    // a fifth of policies carry a prior authorization, some of them nearly used up
    sqlx::query!(
        "INSERT INTO prior_authorizations (policy_id, auth_number, visits_authorized, visits_used, start_on, end_on)
         SELECT i.id, 'PA-' || upper(left(md5(i.id::text), 8)), 12, (hashtext(i.id::text) & 2147483647) % 13,
                current_date - 90, current_date + ((hashtext(i.member_id) & 2147483647) % 120 + 5)
           FROM insurance_policies i
          WHERE (hashtext(i.id::text || 'auth') & 2147483647) % 5 = 0
            AND NOT EXISTS (SELECT 1 FROM prior_authorizations a WHERE a.policy_id = i.id)",
    )
    .execute(&mut *tx)
    .await?;
    // active and inactive clients with a clinician have a primary diagnosis, recorded by that clinician
    let dx: Vec<String> = DEMO_CODES.iter().map(|c| (*c).to_owned()).collect();
    sqlx::query!(
        "INSERT INTO client_diagnoses (client_id, code, kind, onset_on, recorded_by)
         SELECT c.id, ($1::text[])[(hashtext(c.id::text || 'dx') & 2147483647) % 8 + 1], 'primary',
                current_date - ((hashtext(c.chart_number) & 2147483647) % 700 + 30), c.primary_clinician_id
           FROM clients c
          WHERE c.primary_clinician_id IS NOT NULL AND c.status IN ('active', 'inactive')
            AND NOT EXISTS (SELECT 1 FROM client_diagnoses d WHERE d.client_id = c.id)",
        &dx,
    )
    .execute(&mut *tx)
    .await?;
    // a few alerts of each kind
    sqlx::query!(
        "INSERT INTO client_flags (client_id, category, severity, text)
         SELECT c.id, f.category, f.severity, f.text
           FROM clients c
           JOIN (VALUES (0, 'billing', 'warning', 'Balance over 90 days: discuss a payment plan'),
                        (1, 'administrative', 'info', 'Prefers afternoon appointments'),
                        (2, 'clinical_risk', 'critical', 'Safety plan on file: review at each session'))
                AS f(n, category, severity, text)
             ON (hashtext(c.id::text || 'flag') & 2147483647) % 12 = f.n
          WHERE NOT EXISTS (SELECT 1 FROM client_flags x WHERE x.client_id = c.id)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
