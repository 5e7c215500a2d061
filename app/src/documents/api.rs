//! Server functions of clinical documentation: thin — the caller, the input, the service.

use crate::documents::types::*;
use crate::error::AppError;
use crate::ids::{AddendumId, AlertId, ClientId, NoteId, ProcessNoteId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, request_meta},
    documents::server::{alerts, lists, measures, notes, process},
    state::app_state,
};

/// Starts a note, or opens the caller's unsigned one for the same appointment and kind.
#[server(endpoint = "documents/note_start")]
pub async fn start_note(
    client_id: String,
    kind: String,
    #[server(default)] appointment_id: String,
    #[server(default)] format: String,
) -> Result<NoteId, AppError> {
    let state = app_state()?;
    notes::start(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        notes::NewNote {
            client_id: &client_id,
            kind: &kind,
            appointment_id: &appointment_id,
            format: &format,
        },
    )
    .await
}

#[server(endpoint = "documents/note")]
pub async fn load_note(id: NoteId) -> Result<NoteView, AppError> {
    let state = app_state()?;
    notes::view(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        id,
    )
    .await
}

/// Autosave: the whole content from the revision the editor last saw.
#[server(endpoint = "documents/note_history")]
pub async fn note_history(id: NoteId) -> Result<Vec<NoteVersion>, AppError> {
    let state = app_state()?;
    notes::history(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        id,
    )
    .await
}

#[server(endpoint = "documents/note_save")]
pub async fn save_note(
    id: NoteId,
    revision: i32,
    #[server(default)] content: NoteContent,
) -> Result<Saved, AppError> {
    let state = app_state()?;
    notes::save(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        id,
        revision,
        &content,
    )
    .await
}

#[server(endpoint = "documents/note_sign")]
pub async fn sign_note(
    id: NoteId,
    #[server(default)] password: String,
) -> Result<NoteStatus, AppError> {
    let state = app_state()?;
    notes::sign(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        id,
        &password,
    )
    .await
}

/// `decision` is `approve` or `return`.
#[server(endpoint = "documents/note_review")]
pub async fn review_note(
    id: NoteId,
    decision: String,
    #[server(default)] comment: String,
    #[server(default)] password: String,
) -> Result<NoteStatus, AppError> {
    let state = app_state()?;
    let decision = match decision.as_str() {
        "approve" => notes::Decision::Approve {
            password: &password,
        },
        "return" => notes::Decision::Return { comment: &comment },
        _ => return Err(AppError::field("decision", "Approve or return the note.")),
    };
    notes::review(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        id,
        decision,
    )
    .await
}

#[server(endpoint = "documents/addendum_add")]
pub async fn add_addendum(
    id: NoteId,
    #[server(default)] text: String,
    #[server(default)] password: String,
) -> Result<AddendumId, AppError> {
    let state = app_state()?;
    notes::add_addendum(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        id,
        &text,
        &password,
    )
    .await
}

#[server(endpoint = "documents/note_discard")]
pub async fn discard_note(id: NoteId) -> Result<(), AppError> {
    let state = app_state()?;
    notes::discard(&state.pool, &current_user()?, &request_meta(), id).await
}

#[server(endpoint = "documents/client_notes")]
pub async fn client_notes(client_id: ClientId) -> Result<Vec<NoteSummary>, AppError> {
    let state = app_state()?;
    lists::for_client(&state.pool, &current_user()?, &request_meta(), client_id).await
}

#[server(endpoint = "documents/cosign_queue")]
pub async fn cosign_queue() -> Result<Vec<NoteSummary>, AppError> {
    let state = app_state()?;
    lists::cosign_queue(&state.pool, &current_user()?, &request_meta()).await
}

#[server(endpoint = "documents/undocumented")]
pub async fn undocumented_sessions() -> Result<Vec<UndocumentedSession>, AppError> {
    let state = app_state()?;
    lists::undocumented(&state.pool, &current_user()?, &request_meta()).await
}

#[server(endpoint = "documents/alerts")]
pub async fn clinical_alerts() -> Result<Vec<ClinicalAlert>, AppError> {
    let state = app_state()?;
    alerts::open(&state.pool, &current_user()?, &request_meta()).await
}

#[server(endpoint = "documents/alert_acknowledge")]
pub async fn acknowledge_alert(id: AlertId) -> Result<(), AppError> {
    let state = app_state()?;
    alerts::acknowledge(&state.pool, &current_user()?, &request_meta(), id).await
}

#[server(endpoint = "documents/measure_record")]
pub async fn record_measure(measure: MeasureInput) -> Result<MeasureResult, AppError> {
    let state = app_state()?;
    measures::record_measure(&state.pool, &current_user()?, &request_meta(), &measure).await
}

#[server(endpoint = "documents/measures")]
pub async fn client_measures(client_id: ClientId) -> Result<Vec<MeasureResult>, AppError> {
    let state = app_state()?;
    measures::for_client(&state.pool, &current_user()?, &request_meta(), client_id).await
}

#[server(endpoint = "documents/process_note_write")]
pub async fn write_process_note(
    client_id: ClientId,
    #[server(default)] text: String,
) -> Result<ProcessNoteId, AppError> {
    let state = app_state()?;
    process::write(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        client_id,
        &text,
    )
    .await
}

#[server(endpoint = "documents/process_notes")]
pub async fn my_process_notes(client_id: ClientId) -> Result<Vec<ProcessNote>, AppError> {
    let state = app_state()?;
    process::mine(
        &state.pool,
        &state.keys,
        &current_user()?,
        &request_meta(),
        client_id,
    )
    .await
}
