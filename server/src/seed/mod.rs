//! The demo practice. Idempotent: running it again changes nothing.

mod billing;
mod clients;
mod notes;
mod people;
mod scheduling;
mod staff;

pub use billing::demo_billing;
pub use clients::{demo_chart_details, demo_clients};
pub use notes::demo_notes;
pub use scheduling::{bench_appointments, demo_appointments, demo_waitlist};
pub use staff::demo_staff;

use app::auth::server::service::upsert_account;
use app::auth::types::Role;
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
