//! A practice ready to bill: Casey's completed session with Ann, Ann's diagnoses and policy, NPIs
//! and the practice's billing identity.
#![allow(dead_code)] // each test binary uses its own part

use super::documents::*;
use super::staff;
use app::auth::server::CurrentUser;
use app::auth::types::Role;
use app::billing::types::ChargeInput;
use app::ids::{AppointmentId, ClientId, PayerId};
use sqlx::PgPool;

pub struct Billing {
    pub d: Desk,
    pub biller: CurrentUser,
    pub payer: PayerId,
}

pub async fn complete(pool: &PgPool, appointment: AppointmentId) {
    sqlx::query("UPDATE appointments SET status = 'completed' WHERE id = $1")
        .bind(appointment)
        .execute(pool)
        .await
        .unwrap();
}

pub async fn diagnose(pool: &PgPool, client: ClientId, by: &CurrentUser, code: &str, kind: &str) {
    sqlx::query(
        "INSERT INTO client_diagnoses (client_id, code, kind, recorded_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(client)
    .bind(code)
    .bind(kind)
    .bind(by.id)
    .execute(pool)
    .await
    .unwrap();
}

pub async fn insure(pool: &PgPool, client: ClientId, payer: PayerId, copay_cents: i64) {
    sqlx::query(
        "INSERT INTO insurance_policies (client_id, payer_id, priority, member_id, subscriber_relationship,
                                         coverage_start, copay_cents)
         VALUES ($1, $2, 'primary', 'W123456789', 'self', '2026-01-01', $3)",
    )
    .bind(client)
    .bind(payer)
    .bind(copay_cents)
    .execute(pool)
    .await
    .unwrap();
}

pub async fn set_npi(pool: &PgPool, user: &CurrentUser, npi: &str) {
    sqlx::query(
        "INSERT INTO staff_profiles (user_id, npi) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET npi = EXCLUDED.npi",
    )
    .bind(user.id)
    .bind(npi)
    .execute(pool)
    .await
    .unwrap();
}

/// The whole billing identity of the practice, as Settings would hold it.
pub async fn complete_practice(pool: &PgPool) {
    sqlx::query(
        "UPDATE practice SET name = 'Riverbend Counseling', billing_npi = '1245319599', tax_id = '12-3456789',
                billing_taxonomy = '101YM0800X', billing_address = '100 Main St', billing_city = 'Springfield',
                billing_state = 'IL', billing_zip = '62701-1234', billing_phone = '+12175550100',
                submitter_id = 'RIVERBEND01'",
    )
    .execute(pool)
    .await
    .unwrap();
}

/// Casey's completed 50-minute session with Ann (primary F41.1), Ann insured by Acme with a $25 copay.
pub async fn billing(pool: &PgPool) -> Billing {
    let d = desk(pool).await;
    let biller = staff(pool, "biller@example.com", Role::Biller).await;
    complete(pool, d.appointment).await;
    diagnose(pool, d.ann, &d.casey, "F41.1", "primary").await;
    diagnose(pool, d.ann, &d.casey, "F32.0", "secondary").await;
    let payer: PayerId = sqlx::query_scalar(
        "INSERT INTO payers (name, payer_code) VALUES ('Acme Health', 'ACME1') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    insure(pool, d.ann, payer, 2500).await;
    set_npi(pool, &d.casey, "1234567893").await;
    sqlx::query(
        "UPDATE clients SET address_line1 = '12 Oak Ave', city = 'Springfield', state = 'IL', zip = '62704',
                sex_assigned_at_birth = 'female' WHERE id = $1",
    )
    .bind(d.ann)
    .execute(pool)
    .await
    .unwrap();
    Billing { d, biller, payer }
}

/// The practice `desk` set up (its office, room and appointment type), to book more sessions.
pub async fn booked_practice(pool: &PgPool) -> super::scheduling::Practice {
    let one = |sql: &'static str| async move {
        sqlx::query_scalar::<_, uuid::Uuid>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    super::scheduling::Practice {
        individual: one("SELECT id FROM appointment_types").await.into(),
        office: one("SELECT id FROM locations").await.into(),
        room: one("SELECT id FROM rooms").await.into(),
    }
}

pub fn charge_input(appointment: AppointmentId, client: ClientId, code: &str) -> ChargeInput {
    ChargeInput {
        appointment_id: appointment.to_string(),
        client_id: client.to_string(),
        service_code: code.into(),
        modifiers: String::new(),
        units: String::new(),
    }
}
