//! Demo appointments (eight weeks back, a few older, four ahead), the waitlist, and the bench clinicians'
//! million appointments.

use sqlx::PgPool;

/// The demo calendars: each demo clinician's active clients come weekly at a fixed slot, from 8 weeks
/// ago to 4 weeks ahead (one in six also monthly before that); past sessions are completed (some no-shows and late cancellations), future
/// ones scheduled or confirmed. Only clinicians without appointments get them.
pub async fn demo_appointments(pool: &PgPool) -> Result<u64, crate::AnyError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "CREATE TEMP TABLE demo_slots ON COMMIT DROP AS
         WITH weekly AS (
              SELECT c.id AS client_id, c.primary_clinician_id AS clinician,
                     row_number() OVER (PARTITION BY c.primary_clinician_id ORDER BY c.chart_number) - 1 AS n
                FROM clients c JOIN users u ON u.id = c.primary_clinician_id
               WHERE c.status = 'active' AND c.merged_into_id IS NULL
                 AND u.email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
                 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.clinician_id = c.primary_clinician_id))
         SELECT gen_random_uuid() AS id, w.client_id, w.clinician,
                ((date_trunc('week', now() AT TIME ZONE p.time_zone))::date + (w.n % 5)::int + 7 * k
                   + make_time(9 + ((w.n / 5) % 8)::int, 0, 0)) AT TIME ZONE p.time_zone AS starts_at,
                (hashtext(w.client_id::text || k::text) & 2147483647) % 100 AS luck
           FROM weekly w, practice p, generate_series(-20, 3) AS k
          -- one client in six also came monthly before that (12, 16 and 20 weeks ago), so that the
          -- demo's receivables age into every bucket
          WHERE w.n < 40 AND (k >= -8 OR (k % 4 = 0 AND w.n % 6 = 0))",
    )
    .execute(&mut *tx)
    .await?;
    // reads this transaction's temporary table, which the compile-time check cannot see
    let made = sqlx::query(
    "INSERT INTO appointments (id, appointment_type_id, clinician_id, location_id, starts_at, ends_at,
                                   status, cancel_kind, cancel_reason, late_fee)
         SELECT s.id, t.id, s.clinician, l.id, s.starts_at, s.starts_at + interval '53 minutes',
                st.status::appointment_status,
                CASE WHEN st.status = 'cancelled' THEN 'late' END,
                CASE WHEN st.status = 'cancelled' THEN 'Called the same morning' END,
                st.status = 'cancelled'
           FROM demo_slots s
           JOIN appointment_types t ON t.name = 'Individual therapy'
           JOIN locations l ON l.name = 'Lincoln Park'
           CROSS JOIN LATERAL (SELECT CASE
                WHEN s.starts_at < now() AND s.luck < 7 THEN 'no_show'
                WHEN s.starts_at < now() AND s.luck < 11 THEN 'cancelled'
                WHEN s.starts_at < now() THEN 'completed'
                WHEN s.luck < 50 THEN 'confirmed'
                ELSE 'scheduled' END AS status) st",
)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    attend_and_record(&mut tx, "demo_slots").await?;
    tx.commit().await?;
    Ok(made)
}

/// A few clients waiting for a time: urgent with anyone, evenings by telehealth, a weekday morning
/// with the demo clinician (clients waiting or enquiring; nothing is added twice).
pub async fn demo_waitlist(pool: &PgPool) -> Result<u64, crate::AnyError> {
    let added = sqlx::query!(
        "INSERT INTO waitlist_entries (client_id, clinician_id, weekdays, earliest, latest, modality, urgency, note)
         SELECT c.id, CASE WHEN w.mine THEN u.id END, w.days, w.earliest, w.latest, w.modality, w.urgency, w.note
           FROM (SELECT c.id, row_number() OVER (ORDER BY c.status = 'waitlist' DESC, c.chart_number) AS n
                   FROM clients c
                  WHERE c.status IN ('waitlist', 'inquiry') AND c.merged_into_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM appointment_clients a WHERE a.client_id = c.id)) c
           JOIN (VALUES (1, false, '{}'::smallint[], time '08:00', time '20:00', 'either', 3, 'Recently discharged from inpatient care'),
                        (2, false, '{2,4}'::smallint[], time '17:00', time '20:00', 'telehealth', 2, 'Works days'),
                        (3, true, '{1,3,5}'::smallint[], time '09:00', time '12:00', 'in_person', 1, NULL))
                AS w(n, mine, days, earliest, latest, modality, urgency, note) ON w.n = c.n
           JOIN users u ON u.email = 'clinician@demo.test'
          WHERE NOT EXISTS (SELECT 1 FROM waitlist_entries)",
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(added)
}

/// For performance work (`--clients` of 10,000 or more): 200 more clinicians, each with a full week
/// (Monday to Friday, 9 to 5) of weekly clients over 100 past and 26 coming weeks — about a million
/// appointments. Each client keeps one clinician and one weekly hour, so nothing overlaps. Set-based;
/// skipped when already there.
pub async fn bench_appointments(pool: &PgPool) -> Result<u64, crate::AnyError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO users (email, display_name, role, password_hash)
         SELECT format('bench-clinician-%s@demo.test', n), format('Bench Clinician %s', n), 'clinician', u.password_hash
           FROM generate_series(1, 200) AS n, users u
          WHERE u.email = 'clinician@demo.test'
         ON CONFLICT (email) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "CREATE TEMP TABLE bench_slots ON COMMIT DROP AS
         WITH clinicians AS (
              SELECT id, row_number() OVER (ORDER BY email) - 1 AS k FROM users
               WHERE email LIKE 'bench-clinician-%@demo.test'
                 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.clinician_id = users.id)),
              clients AS (
              SELECT id, row_number() OVER (ORDER BY chart_number) - 1 AS n FROM clients
               WHERE status = 'active' AND merged_into_id IS NULL
                 AND NOT EXISTS (SELECT 1 FROM appointment_clients a WHERE a.client_id = clients.id))
         SELECT gen_random_uuid() AS id, cl.id AS client_id, k.id AS clinician,
                ((date_trunc('week', now() AT TIME ZONE p.time_zone))::date + (cl.n % 40 % 5)::int + 7 * w
                   + make_time(9 + (cl.n % 40 / 5)::int, 0, 0)) AT TIME ZONE p.time_zone AS starts_at,
                (hashtext(cl.id::text || w::text) & 2147483647) % 100 AS luck
           FROM clinicians k
           JOIN clients cl ON cl.n / 40 = k.k
          CROSS JOIN practice p
          CROSS JOIN generate_series(-100, 25) AS w",
    )
    .execute(&mut *tx)
    .await?;
    // reads this transaction's temporary table, which the compile-time check cannot see
    let made = sqlx::query(
    "INSERT INTO appointments (id, appointment_type_id, clinician_id, telehealth, starts_at, ends_at,
                                   status, cancel_kind, cancel_reason)
         SELECT s.id, t.id, s.clinician, true, s.starts_at, s.starts_at + interval '53 minutes',
                st.status::appointment_status,
                CASE WHEN st.status = 'cancelled' THEN 'client' END,
                CASE WHEN st.status = 'cancelled' THEN 'Unwell' END
           FROM bench_slots s
           JOIN appointment_types t ON t.name = 'Individual therapy'
          CROSS JOIN LATERAL (SELECT CASE
                WHEN s.starts_at < now() AND s.luck < 6 THEN 'no_show'
                WHEN s.starts_at < now() AND s.luck < 10 THEN 'cancelled'
                WHEN s.starts_at < now() THEN 'completed'
                ELSE 'scheduled' END AS status) st",
)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    attend_and_record(&mut tx, "bench_slots").await?;
    tx.commit().await?;
    Ok(made)
}

/// The clients and first history row of the appointments just made from a slots table (a temporary
/// table of this transaction: `id`, `client_id`, `starts_at`).
pub(super) async fn attend_and_record(
    tx: &mut sqlx::PgConnection,
    slots: &'static str,
) -> Result<(), crate::AnyError> {
    // the attendance trigger copies the real time and state from the appointment; runtime SQL: it
    // reads the caller's temporary table
    sqlx::query(&format!(
        "INSERT INTO appointment_clients (appointment_id, client_id, starts_at, ends_at, holds_time)
         SELECT id, client_id, starts_at, starts_at, true FROM {slots}"
    ))
    .execute(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO appointment_status_history (appointment_id, to_status, reason)
         SELECT a.id, a.status, 'Demo data' FROM appointments a JOIN {slots} s ON s.id = a.id"
    ))
    .execute(tx)
    .await?;
    Ok(())
}
