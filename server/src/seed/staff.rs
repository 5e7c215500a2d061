//! The demo staff: profiles, licenses, supervision and working hours.

use sqlx::PgPool;

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
