//! The demo practice. Idempotent: running it again changes nothing.

use app::auth::server::service::upsert_account;
use app::auth::types::Role;
use app::clients::types::ClientStatus;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;

pub const DEMO_PASSWORD: &str = "demo-password-123";

/// (email, name, role) of the demo logins, as the README lists them.
pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("admin@demo.test", "Avery Admin", Role::Admin),
    ("clinician@demo.test", "Casey Morgan, LCSW", Role::Clinician),
    ("intern@demo.test", "Jordan Lee", Role::Intern),
    ("supervisor@demo.test", "Dr. Sam Rivera", Role::Supervisor),
    ("frontdesk@demo.test", "Fran Desk", Role::FrontDesk),
    ("biller@demo.test", "Billie Ng", Role::Biller),
];

pub struct SeedReport {
    pub created: usize,
    pub existing: usize,
}

pub async fn demo(pool: &PgPool) -> Result<SeedReport, crate::AnyError> {
    // Only a practice that was never named gets the demo name.
    sqlx::query!(
        "UPDATE practice SET name = 'Riverbend Counseling Collective', time_zone = 'America/Chicago',
                updated_at = now()
          WHERE name = 'My practice'",
    )
    .execute(pool)
    .await?;
    let mut report = SeedReport {
        created: 0,
        existing: 0,
    };
    for (email, name, role) in DEMO_USERS {
        let (_, created) = upsert_account(pool, email, name, *role, DEMO_PASSWORD, false).await?;
        if created {
            report.created += 1;
        } else {
            report.existing += 1;
        }
    }
    Ok(report)
}

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

struct FakePerson {
    first: &'static str,
    last: &'static str,
    preferred: Option<&'static str>,
    pronouns: &'static str,
    sex: &'static str,
    dob: chrono::NaiveDate,
    phone: String,
    email: String,
    street: String,
    zip: String,
    status: ClientStatus,
}

const FEMALE: &[&str] = &[
    "Olivia",
    "Emma",
    "Ava",
    "Sophia",
    "Isabella",
    "Mia",
    "Amelia",
    "Harper",
    "Evelyn",
    "Abigail",
    "Emily",
    "Ella",
    "Elizabeth",
    "Camila",
    "Luna",
    "Sofia",
    "Avery",
    "Mila",
    "Aria",
    "Scarlett",
    "Maya",
    "Nora",
    "Grace",
    "Zoe",
];
const MALE: &[&str] = &[
    "Liam",
    "Noah",
    "Oliver",
    "Elijah",
    "James",
    "William",
    "Benjamin",
    "Lucas",
    "Henry",
    "Theodore",
    "Jack",
    "Levi",
    "Alexander",
    "Jackson",
    "Mateo",
    "Daniel",
    "Michael",
    "Mason",
    "Sebastian",
    "Ethan",
    "Logan",
    "Owen",
    "Samuel",
    "Jacob",
];
const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Okafor",
    "Kowalski",
    "Novak",
    "Haddad",
    "Yamamoto",
    "Patel",
    "Cohen",
    "Murphy",
];
const STREETS: &[&str] = &[
    "N Clark St",
    "W Fullerton Ave",
    "N Halsted St",
    "W Belmont Ave",
    "N Damen Ave",
    "W Armitage Ave",
    "N Lincoln Ave",
    "W Diversey Pkwy",
    "N Southport Ave",
    "W Addison St",
];

fn fake_person(rng: &mut impl rand::Rng, n: u64) -> FakePerson {
    let female = rng.gen_bool(0.55);
    let first = if female {
        FEMALE[rng.gen_range(0..FEMALE.len())]
    } else {
        MALE[rng.gen_range(0..MALE.len())]
    };
    let last = LAST[rng.gen_range(0..LAST.len())];
    let dob = chrono::NaiveDate::from_ymd_opt(
        rng.gen_range(1945..2016),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
    )
    .unwrap_or_default();
    let status = match rng.gen_range(0..100) {
        0..=69 => ClientStatus::Active,
        70..=79 => ClientStatus::Waitlist,
        80..=87 => ClientStatus::Inquiry,
        88..=94 => ClientStatus::Inactive,
        _ => ClientStatus::Discharged,
    };
    FakePerson {
        first,
        last,
        preferred: (rng.gen_range(0..10) == 0).then_some(&first[..first.len().min(3)]),
        pronouns: if female { "she/her" } else { "he/him" },
        sex: if female { "female" } else { "male" },
        dob,
        // 555-01xx numbers are reserved for fiction; spread the rest of the digits over the exchange
        phone: format!("+1312555{:04}", n % 10_000),
        email: format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            n
        ),
        street: format!(
            "{} {}",
            rng.gen_range(100..4000),
            STREETS[rng.gen_range(0..STREETS.len())]
        ),
        zip: format!("606{:02}", rng.gen_range(1..60)),
        status,
    }
}

/// Payers of the demo practice: (name, electronic payer id).
const DEMO_PAYERS: &[(&str, &str)] = &[
    ("Aetna", "60054"),
    ("Blue Cross Blue Shield of Illinois", "00621"),
    ("Cigna Behavioral Health", "62308"),
    ("UnitedHealthcare / Optum", "87726"),
    ("Humana", "61101"),
    ("Illinois Medicaid", "ILMCD"),
];

/// Diagnoses common in outpatient mental health, for the demo charts.
const DEMO_CODES: &[&str] = &[
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

/// Two offices with rooms, staff profiles with NPIs, licenses (one due for renewal within 60 days,
/// so the alert shows) and weekday hours. Idempotent.
pub async fn demo_staff(pool: &PgPool) -> Result<(), crate::AnyError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("UPDATE practice SET billing_npi = coalesce(billing_npi, '1612345672'), tax_id = coalesce(tax_id, '36-4567890')")
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO locations (name, address_line1, address_line2, city, state, zip, phone, place_of_service)
         VALUES ('Lincoln Park', '2400 N Clark St', 'Suite 300', 'Chicago', 'IL', '60614', '+13125550100', '11'),
                ('Telehealth', '2400 N Clark St', NULL, 'Chicago', 'IL', '60614', '+13125550100', '10')
         ON CONFLICT (name) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO rooms (location_id, name)
         SELECT l.id, r.name FROM locations l, (VALUES ('Room 1'), ('Room 2'), ('Family room')) AS r(name)
          WHERE l.name = 'Lincoln Park'
         ON CONFLICT (location_id, name) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO appointment_types (name, default_minutes, color, max_clients)
         VALUES ('Intake assessment', 60, '#6a4c93', 1), ('Individual therapy', 53, '#2f5d8a', 1),
                ('Couples therapy', 53, '#2f7d6d', 2), ('Family therapy', 60, '#8a5a2f', 6),
                ('Group therapy', 90, '#7d2f4f', 12), ('Consultation', 30, '#566072', 1)
         ON CONFLICT (name) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    // (email, NPI, taxonomy, colour, supervisor's email)
    let profiles: &[(&str, &str, &str, &str, Option<&str>)] = &[
        (
            "clinician@demo.test",
            "1045678913",
            "1041C0700X",
            "#2f7d6d",
            None,
        ),
        (
            "intern@demo.test",
            "1204567899",
            "101YP2500X",
            "#8a5a2f",
            Some("supervisor@demo.test"),
        ),
        (
            "supervisor@demo.test",
            "1334567801",
            "103T00000X",
            "#6a4c93",
            None,
        ),
    ];
    for (email, npi, taxonomy, color, supervisor) in profiles {
        sqlx::query!(
            "INSERT INTO staff_profiles (user_id, npi, taxonomy_code, calendar_color, supervisor_id, requires_cosign)
             SELECT u.id, $2, $3, $4, (SELECT id FROM users WHERE email = $5), u.role = 'intern'
               FROM users u WHERE u.email = $1
             ON CONFLICT (user_id) DO UPDATE
                SET npi = coalesce(staff_profiles.npi, EXCLUDED.npi),
                    taxonomy_code = coalesce(staff_profiles.taxonomy_code, EXCLUDED.taxonomy_code),
                    supervisor_id = coalesce(staff_profiles.supervisor_id, EXCLUDED.supervisor_id),
                    requires_cosign = staff_profiles.requires_cosign OR EXCLUDED.requires_cosign",
            email,
            npi,
            taxonomy,
            color,
            supervisor as _,
        )
        .execute(&mut *tx)
        .await?;
    }
    // the clinician's license is due for renewal in 40 days: the alert shows on the home page
    sqlx::query!(
        "INSERT INTO staff_licenses (user_id, license_type, license_number, state, expires_on)
         SELECT u.id, l.kind, l.number, 'IL', current_date + l.days
           FROM (VALUES ('clinician@demo.test', 'LCSW', '149-021234', 40),
                        ('supervisor@demo.test', 'PsyD', '071-009876', 500),
                        ('supervisor@demo.test', 'LCPC', '180-004321', 300)) AS l(email, kind, number, days)
           JOIN users u ON u.email = l.email
         ON CONFLICT (state, license_type, license_number) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    // weekdays at the office, Tuesday and Thursday evenings on telehealth
    sqlx::query!(
        "INSERT INTO staff_working_hours (user_id, location_id, weekday, starts_at, ends_at)
         SELECT u.id, l.id, d.day, d.starts, d.ends
           FROM users u
           CROSS JOIN (VALUES (1, 'Lincoln Park', time '09:00', time '17:00'), (2, 'Lincoln Park', '09:00', '17:00'),
                              (2, 'Telehealth', '17:00', '20:00'), (3, 'Lincoln Park', '09:00', '17:00'),
                              (4, 'Lincoln Park', '09:00', '17:00'), (4, 'Telehealth', '17:00', '20:00'),
                              (5, 'Lincoln Park', '09:00', '15:00')) AS d(day, place, starts, ends)
           JOIN locations l ON l.name = d.place
          WHERE u.email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
            AND NOT EXISTS (SELECT 1 FROM staff_working_hours h WHERE h.user_id = u.id)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The demo calendars: each demo clinician's active clients come weekly at a fixed slot, from 8 weeks
/// ago to 4 weeks ahead; past sessions are completed (some no-shows and late cancellations), future
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
           FROM weekly w, practice p, generate_series(-8, 3) AS k
          WHERE w.n < 40",
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
async fn attend_and_record(
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

/// A completed demo session to document.
#[derive(sqlx::FromRow)]
struct DemoSession {
    appointment_id: uuid::Uuid,
    client_id: uuid::Uuid,
    clinician_id: uuid::Uuid,
    role: String,
    clinician_name: String,
    supervisor_id: Option<uuid::Uuid>,
    service_date: chrono::NaiveDate,
    ends_at: chrono::DateTime<chrono::Utc>,
    luck: i32,
}

/// Notes for the demo practice (once): signed progress notes for most past sessions in each
/// clinician's format (the intern's co-signed, the last week's awaiting co-signature), drafts and a
/// few undocumented sessions in the last days, a treatment plan per client, and PHQ-9/GAD-7 series
/// that improve for most clients.
pub async fn demo_notes(
    pool: &PgPool,
    keys: &app::crypto::Keyring,
) -> Result<u64, crate::AnyError> {
    use app::documents::server::{repo::row_tag, sealing::signature_digest};
    use app::ids::{NoteId, UserId};
    let mut tx = pool.begin().await?;
    let already: bool =
        sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM clinical_notes) AS "exists!""#)
            .fetch_one(&mut *tx)
            .await?;
    if already {
        return Ok(0);
    }
    let sessions: Vec<DemoSession> = sqlx::query_as!(
        DemoSession,
        r#"SELECT a.id AS appointment_id, ac.client_id, a.clinician_id, u.role::text AS "role!",
                u.display_name AS clinician_name, sp.supervisor_id AS "supervisor_id?",
                (a.starts_at AT TIME ZONE p.time_zone)::date AS "service_date!", a.ends_at,
                (hashtext(a.id::text) & 2147483647) % 100 AS "luck!"
           FROM appointments a
           JOIN appointment_clients ac ON ac.appointment_id = a.id
           JOIN users u ON u.id = a.clinician_id
           LEFT JOIN staff_profiles sp ON sp.user_id = a.clinician_id
          CROSS JOIN practice p
          WHERE a.status = 'completed'
            AND u.email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
          ORDER BY a.starts_at"#,
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = chrono::Utc::now();
    let mut written = 0u64;
    let mut plans = std::collections::HashMap::new();
    for s in &sessions {
        let age = now - s.ends_at;
        let recent = age < chrono::Duration::days(3);
        // a few recent sessions stay undocumented, some are drafts; the rest are signed
        if recent && s.luck < 25 {
            continue;
        }
        let draft = recent && s.luck < 60;
        let intern = s.role == "intern";
        let format = match s.role.as_str() {
            "intern" => "dap",
            "supervisor" => "birp",
            _ => "soap",
        };
        let signer = UserId(s.clinician_id);
        let signed_at = s.ends_at + chrono::Duration::hours(2);
        // each client's first documented session comes with a signed treatment plan
        if !draft && !intern && !plans.contains_key(&s.client_id) {
            let plan = demo_plan(s);
            let plan_id = NoteId(uuid::Uuid::new_v4());
            let sealed = keys.seal(
                &serde_json::to_vec(&plan)?,
                &row_tag("clinical_notes", plan_id.0),
            );
            sqlx::query!(
                "INSERT INTO clinical_notes (id, client_id, author_id, kind, service_date, status, content, key_id,
                                             content_sha256, signed_by, signed_at, created_at, updated_at)
                 VALUES ($1, $2, $3, 'treatment_plan', $4, 'signed', $5, $6, $7, $3, $8, $8, $8)",
                plan_id as _,
                s.client_id,
                s.clinician_id,
                s.service_date,
                &sealed.bytes as _,
                &sealed.key_id as _,
                signature_digest(plan_id, signer, &plan) as _,
                signed_at - chrono::Duration::minutes(5),
            )
            .execute(&mut *tx)
            .await?;
            written += 1;
            plans.insert(s.client_id, plan_id);
        }
        let mut content = demo_progress(format, s.luck);
        if let Some(plan) = plans.get(&s.client_id) {
            let objective = if s.luck % 2 == 0 { "o1" } else { "o2" };
            content.insert(
                app::documents::plan::OBJECTIVES_KEY.to_owned(),
                app::documents::plan::objective_key(*plan, objective),
            );
        }
        let id = NoteId(uuid::Uuid::new_v4());
        let sealed = keys.seal(
            &serde_json::to_vec(&content)?,
            &row_tag("clinical_notes", id.0),
        );
        let (status, cosigner, cosigned_at) = match (draft, intern) {
            (true, _) => ("draft", None, None),
            (false, true) if age < chrono::Duration::days(7) => {
                ("awaiting_cosign", s.supervisor_id, None)
            }
            (false, true) => (
                "signed",
                s.supervisor_id,
                Some(signed_at + chrono::Duration::hours(20)),
            ),
            (false, false) => ("signed", None, None),
        };
        sqlx::query!(
            "INSERT INTO clinical_notes (id, client_id, appointment_id, author_id, kind, format, service_date, status,
                                         content, key_id, content_sha256, signed_by, signed_at, cosigner_id, cosigned_at,
                                         created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'progress', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
            id as _,
            s.client_id,
            s.appointment_id,
            s.clinician_id,
            format,
            s.service_date,
            status,
            &sealed.bytes as _,
            &sealed.key_id as _,
            (!draft).then(|| signature_digest(id, signer, &content)) as _,
            (!draft).then_some(s.clinician_id),
            (!draft).then_some(signed_at),
            cosigner,
            cosigned_at,
            s.ends_at,
        )
        .execute(&mut *tx)
        .await?;
        written += 1;
    }
    demo_measures(&mut tx).await?;
    tx.commit().await?;
    Ok(written)
}

/// A structured treatment plan: two problems, each with a goal, a measurable objective ("o1", "o2")
/// and the interventions toward it, reviewed after 90 days.
fn demo_plan(s: &DemoSession) -> app::documents::types::NoteContent {
    use app::documents::plan::*;
    let target = (s.service_date + chrono::Duration::days(90))
        .format("%m/%d/%Y")
        .to_string();
    let objective = |id: &str, statement: &str, intervention: &str| Objective {
        id: id.into(),
        statement: statement.into(),
        target_date: target.clone(),
        status: "in_progress".into(),
        interventions: vec![Intervention {
            description: intervention.into(),
            frequency: "Weekly".into(),
            responsible: s.clinician_name.clone(),
        }],
    };
    let plan = TreatmentPlan {
        problems: vec![
            Problem {
                statement: "Persistent worry that disrupts sleep and work.".into(),
                goals: vec![Goal {
                    statement: "Sleep through most nights.".into(),
                    objectives: vec![objective(
                        "o1",
                        "Use the wind-down routine on 5 of 7 nights",
                        "CBT for worry and sleep (53 min)",
                    )],
                }],
            },
            Problem {
                statement: "Low mood on weekends.".into(),
                goals: vec![Goal {
                    statement: "Plan one valued activity each weekend.".into(),
                    objectives: vec![objective(
                        "o2",
                        "Log a planned weekend activity every week",
                        "Behavioral activation with a weekly activity log",
                    )],
                }],
            },
        ],
    };
    [
        (PLAN_KEY.to_owned(), plan.to_content()),
        ("review_date".to_owned(), target.clone()),
        ("client_agreement".to_owned(), "agreed".to_owned()),
    ]
    .into_iter()
    .collect()
}

/// A progress note's sections in `format`, varied a little by `luck`.
fn demo_progress(format: &str, luck: i32) -> app::documents::types::NoteContent {
    const REPORTS: [&str; 4] = [
        "Client reports sleeping better since starting the wind-down routine; worry is lower at work.",
        "Client describes a difficult week with family conflict; used breathing skills twice.",
        "Client reports steady mood, completed the activity log, and went for two walks.",
        "Client reports more worry before a deadline; sleep was broken on three nights.",
    ];
    let report = REPORTS[(luck % 4) as usize];
    let observed = "Alert, oriented, good eye contact; affect congruent, speech normal.";
    let assessment = "Symptoms are improving with practice; engaged and motivated.";
    let plan = "Continue weekly sessions; practise the wind-down routine nightly and log worry.";
    let sections: Vec<(&str, &str)> = match format {
        "dap" => vec![("data", report), ("assessment", assessment), ("plan", plan)],
        "birp" => vec![
            ("behavior", report),
            (
                "intervention",
                "Reviewed the thought record; practised paced breathing.",
            ),
            (
                "response",
                "Client engaged well and identified two alternative thoughts.",
            ),
            ("plan", plan),
        ],
        _ => vec![
            ("subjective", report),
            ("objective", observed),
            ("assessment", assessment),
            ("plan", plan),
        ],
    };
    sections
        .into_iter()
        .chain([
            (
                "interventions",
                if luck % 2 == 0 {
                    "cbt,mindfulness"
                } else {
                    "cbt,psychoeducation"
                },
            ),
            ("risk_level", "none"),
        ])
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// PHQ-9 and GAD-7 every two weeks for the demo clinicians' clients: most improve, some hold steady.
async fn demo_measures(tx: &mut sqlx::PgConnection) -> Result<(), crate::AnyError> {
    use app::documents::measures::Instrument;
    let clients: Vec<(uuid::Uuid, uuid::Uuid, i32)> = sqlx::query!(
        r#"SELECT c.id, c.primary_clinician_id AS "clinician!", (hashtext(c.id::text) & 2147483647) % 100 AS "bucket!"
           FROM clients c JOIN users u ON u.id = c.primary_clinician_id
          WHERE c.status = 'active' AND u.email IN ('clinician@demo.test', 'intern@demo.test', 'supervisor@demo.test')
            AND EXISTS (SELECT 1 FROM appointment_clients ac JOIN appointments a ON a.id = ac.appointment_id
                         WHERE ac.client_id = c.id AND a.status = 'completed')"#,
    )
    .map(|r| (r.id, r.clinician, r.bucket))
    .fetch_all(&mut *tx)
    .await?;
    let today: chrono::NaiveDate = sqlx::query_scalar!(
        r#"SELECT (now() AT TIME ZONE time_zone)::date AS "today!" FROM practice"#
    )
    .fetch_one(&mut *tx)
    .await?;
    for (client, clinician, luck) in clients {
        let improving = luck < 70;
        for (instrument, start) in [
            (Instrument::Phq9, 16 + luck % 6),
            (Instrument::Gad7, 13 + luck % 5),
        ] {
            for step in 0..4 {
                let total = if improving {
                    start - 3 * step
                } else {
                    start - step % 2
                };
                let items = instrument.items().len();
                // spread the total over the items (item 9 of the PHQ-9 stays at zero)
                let scored = if instrument == Instrument::Phq9 {
                    items - 1
                } else {
                    items
                };
                let answers: Vec<i16> = (0..items)
                    .map(|i| {
                        if i >= scored {
                            return 0;
                        }
                        let share =
                            total / scored as i32 + i32::from((i as i32) < total % scored as i32);
                        share.clamp(0, 3) as i16
                    })
                    .collect();
                let score = instrument.score(&answers)?;
                let on = today - chrono::Duration::days(i64::from(56 - 14 * step));
                sqlx::query!(
                    "INSERT INTO measure_results (client_id, instrument, answers, total, severity, administered_on, entered_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    client,
                    instrument.as_str(),
                    &answers,
                    score.total,
                    score.severity,
                    on,
                    clinician,
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    Ok(())
}
