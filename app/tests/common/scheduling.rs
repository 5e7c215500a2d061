//! A practice that can book: a location with a room, an appointment type, Chicago time.

use super::{meta, staff};
use app::auth::types::Role;
use app::ids::{AppointmentTypeId, LocationId, RoomId};
use app::scheduling::recurrence::Scope;
use app::scheduling::server::{repo, service as scheduling};
use app::scheduling::types::BookingInput;
use app::settings::server::service as settings;
use app::settings::types::LocationInput;
use sqlx::PgPool;

pub struct Practice {
    pub individual: AppointmentTypeId,
    pub office: LocationId,
    pub room: RoomId,
}

pub async fn practice(pool: &PgPool) -> Practice {
    let admin = staff(pool, "admin@example.com", Role::Admin).await;
    let office = settings::add_location(
        pool,
        &admin,
        &meta(),
        &LocationInput {
            name: "North".into(),
            address_line1: "1 Main St".into(),
            city: "Chicago".into(),
            state: "IL".into(),
            zip: "60614".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    settings::add_room(pool, &admin, &meta(), office, "Room 1")
        .await
        .unwrap();
    let room = sqlx::query_scalar("SELECT id FROM rooms")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let individual = repo::insert_type(&mut conn, "Individual therapy", 50, "#2f5d8a", 1)
        .await
        .unwrap();
    sqlx::query("UPDATE practice SET time_zone = 'America/Chicago'")
        .execute(pool)
        .await
        .unwrap();
    Practice {
        individual,
        office,
        room,
    }
}

pub fn booking(
    p: &Practice,
    clinician: &str,
    client: &str,
    date: &str,
    time: &str,
) -> BookingInput {
    BookingInput {
        appointment_type_id: p.individual.to_string(),
        clinician_id: clinician.into(),
        client_ids: client.into(),
        date: date.into(),
        start_time: time.into(),
        location_id: p.office.to_string(),
        ..Default::default()
    }
}

pub fn mv<'a>(date: &'a str, start_time: &'a str, minutes: &'a str) -> scheduling::Move<'a> {
    scheduling::Move {
        date,
        start_time,
        minutes,
        scope: Scope::This,
        override_hours: false,
    }
}
