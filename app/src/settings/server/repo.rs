//! SQL for the practice row, locations, rooms and payers.

use crate::clients::types::Payer;
use crate::documents::types::NoteFormat;
use crate::error::AppError;
use crate::ids::{LocationId, PayerId, RoomId};
use crate::settings::types::*;
use sqlx::{PgConnection, PgPool};

pub async fn practice(conn: &mut PgConnection) -> Result<PracticeSettings, AppError> {
    Ok(sqlx::query_as!(
        PracticeSettings,
        r#"SELECT name, time_zone, billing_npi AS "billing_npi?", tax_id AS "tax_id?", idle_timeout_minutes,
              default_note_format AS "default_note_format: NoteFormat", note_due_hours,
              emergency_access_minutes
         FROM practice"#,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn billing_identity(conn: &mut PgConnection) -> Result<BillingIdentity, AppError> {
    Ok(sqlx::query_as!(
        BillingIdentity,
        r#"SELECT billing_taxonomy AS taxonomy, billing_address AS address, billing_city AS city,
                  billing_state::text AS state, billing_zip AS zip, billing_phone AS phone, submitter_id
             FROM practice"#,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn update_billing_identity(
    conn: &mut PgConnection,
    b: &BillingIdentity,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE practice SET billing_taxonomy = $1, billing_address = $2, billing_city = $3,
                billing_state = $4, billing_zip = $5, billing_phone = $6, submitter_id = $7,
                updated_at = now()",
        b.taxonomy,
        b.address,
        b.city,
        b.state,
        b.zip,
        b.phone,
        b.submitter_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_practice(conn: &mut PgConnection, p: &NewPractice) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE practice SET name = $1, time_zone = $2, billing_npi = $3, tax_id = $4,
                idle_timeout_minutes = $5, default_note_format = $6, note_due_hours = $7,
                emergency_access_minutes = $8, updated_at = now()",
        &p.name,
        &p.time_zone,
        &p.billing_npi as _,
        &p.tax_id as _,
        p.idle_timeout_minutes,
        p.default_note_format as _,
        p.note_due_hours,
        p.emergency_access_minutes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Every location with its active rooms (two queries).
pub async fn locations(conn: &mut PgConnection) -> Result<Vec<Location>, AppError> {
    let mut locations: Vec<Location> = sqlx::query!(
        r#"SELECT id, name, address_line1, address_line2, city, state::text AS "state!", zip, phone,
                place_of_service, active
           FROM locations ORDER BY active DESC, name"#,
    )
    .map(|l| Location {
        id: l.id.into(),
        name: l.name,
        address_line1: l.address_line1,
        address_line2: l.address_line2,
        city: l.city,
        state: l.state,
        zip: l.zip,
        phone: l.phone,
        place_of_service: l.place_of_service,
        active: l.active,
        rooms: Vec::new(),
    })
    .fetch_all(&mut *conn)
    .await?;
    let rooms: Vec<Room> = sqlx::query_as!(
        Room,
        "SELECT id, location_id, name FROM rooms WHERE active ORDER BY name",
    )
    .fetch_all(conn)
    .await?;
    for room in rooms {
        if let Some(l) = locations.iter_mut().find(|l| l.id == room.location_id) {
            l.rooms.push(room);
        }
    }
    Ok(locations)
}

pub async fn location_options(pool: &PgPool) -> Result<Vec<LocationOption>, AppError> {
    Ok(sqlx::query_as!(
        LocationOption,
        "SELECT id, name FROM locations WHERE active ORDER BY name",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn insert_location(
    conn: &mut PgConnection,
    l: &NewLocation,
) -> Result<LocationId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO locations (name, address_line1, address_line2, city, state, zip, phone, place_of_service)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id AS "id: LocationId""#,
        &l.name,
        &l.address_line1,
        &l.address_line2 as _,
        &l.city,
        &l.state,
        &l.zip,
        &l.phone as _,
        &l.place_of_service,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn insert_room(
    conn: &mut PgConnection,
    location: LocationId,
    name: &str,
) -> Result<RoomId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO rooms (location_id, name)
         SELECT id, $2 FROM locations WHERE id = $1 AND active RETURNING id AS "id: RoomId""#,
        location as _,
        name,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn set_payer_active(
    conn: &mut PgConnection,
    id: PayerId,
    active: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE payers SET active = $2 WHERE id = $1 RETURNING id",
        id as _,
        active,
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

// ---- payers ----

pub async fn payers(pool: &PgPool, include_inactive: bool) -> Result<Vec<Payer>, AppError> {
    Ok(sqlx::query_as!(
        Payer,
        "SELECT id, name, payer_code, active FROM payers WHERE active OR $1 ORDER BY name",
        include_inactive,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn payer_is_active(conn: &mut PgConnection, id: PayerId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM payers WHERE id = $1 AND active) AS "exists!""#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn insert_payer(
    conn: &mut PgConnection,
    name: &str,
    payer_code: &str,
) -> Result<PayerId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO payers (name, payer_code) VALUES ($1, $2) RETURNING id AS "id: PayerId""#,
        name,
        payer_code,
    )
    .fetch_one(conn)
    .await?)
}

/// Validated practice settings.
#[derive(Debug, Clone)]
pub struct NewPractice {
    pub name: String,
    pub time_zone: String,
    pub billing_npi: Option<String>,
    pub tax_id: Option<String>,
    pub idle_timeout_minutes: i32,
    pub default_note_format: NoteFormat,
    pub note_due_hours: i32,
    pub emergency_access_minutes: i32,
}

/// A validated location.
#[derive(Debug, Clone)]
pub struct NewLocation {
    pub name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: Option<String>,
    pub place_of_service: String,
}
