//! A clinician with a client and an appointment to document, and data keys.

use super::scheduling::{booking, practice};
use super::{create, input, meta, staff};
use app::auth::server::CurrentUser;
use app::auth::types::Role;
use app::crypto::Keyring;
use app::documents::server::notes::{self, NewNote};
use app::documents::types::NoteContent;
use app::ids::{AppointmentId, ClientId, NoteId, UserId};
use app::scheduling::server::service as scheduling;
use sqlx::PgPool;

pub struct Desk {
    pub desk: CurrentUser,
    pub casey: CurrentUser,
    pub ann: ClientId,
    pub appointment: AppointmentId,
    pub keys: Keyring,
}

pub fn keys() -> Keyring {
    Keyring::new(&Keyring::generate_key(), &[]).unwrap()
}

/// Casey (clinician) sees Ann (her client) on 12/01/2026 at 10:00.
pub async fn desk(pool: &PgPool) -> Desk {
    let p = practice(pool).await;
    let desk = staff(pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(pool, "casey@example.com", Role::Clinician).await;
    let ann = create(pool, &desk, input("Ann", "Carter"), Some(&casey)).await;
    let appointment = book(pool, &p, &desk, &casey, ann, "10:00").await;
    Desk {
        desk,
        casey,
        ann,
        appointment,
        keys: keys(),
    }
}

pub async fn book(
    pool: &PgPool,
    p: &super::scheduling::Practice,
    desk: &CurrentUser,
    clinician: &CurrentUser,
    client: ClientId,
    time: &str,
) -> AppointmentId {
    let form = booking(
        p,
        &clinician.id.to_string(),
        &client.to_string(),
        "12/01/2026",
        time,
    );
    scheduling::book(pool, desk, &meta(), &form).await.unwrap()
}

pub fn content(pairs: &[(&str, &str)]) -> NoteContent {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A SOAP progress note with every section written.
pub fn full_soap() -> NoteContent {
    content(&[
        (
            "subjective",
            "Client reports sleeping six hours most nights.",
        ),
        ("objective", "Calm, good eye contact."),
        ("assessment", "Anxiety improving with practice."),
        ("plan", "Continue weekly; breathing log as homework."),
        ("interventions", "cbt,mindfulness"),
        ("risk_level", "none"),
    ])
}

pub async fn start_progress(
    pool: &PgPool,
    keys: &Keyring,
    author: &CurrentUser,
    client: ClientId,
    appointment: AppointmentId,
) -> NoteId {
    notes::start(
        pool,
        keys,
        author,
        &meta(),
        NewNote {
            client_id: &client.to_string(),
            kind: "progress",
            appointment_id: &appointment.to_string(),
            format: "",
        },
    )
    .await
    .unwrap()
}

/// Writes the whole note and signs it with the author's password.
pub async fn write_and_sign(
    pool: &PgPool,
    keys: &Keyring,
    author: &CurrentUser,
    note: NoteId,
    body: &NoteContent,
) -> app::documents::types::NoteStatus {
    let revision: i32 = sqlx::query_scalar("SELECT revision FROM clinical_notes WHERE id = $1")
        .bind(note)
        .fetch_one(pool)
        .await
        .unwrap();
    notes::save(pool, keys, author, &meta(), note, revision, body)
        .await
        .unwrap();
    notes::sign(pool, keys, author, &meta(), note, super::PASSWORD)
        .await
        .unwrap()
}

pub async fn set_supervisor(pool: &PgPool, user: UserId, supervisor: UserId) {
    sqlx::query(
        "INSERT INTO staff_profiles (user_id, supervisor_id) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET supervisor_id = EXCLUDED.supervisor_id",
    )
    .bind(user)
    .bind(supervisor)
    .execute(pool)
    .await
    .unwrap();
}
