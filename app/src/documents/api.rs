//! Server functions of clinical documentation: thin — the caller, the input, the service.

use crate::documents::types::*;
use crate::error::AppError;
use crate::ids::{AddendumId, AlertId, ClientId, NoteId, ProcessNoteId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    ctx::Ctx,
    documents::server::{alerts, lists, measures, notes, process},
};

/// Starts a note, or opens the caller's unsigned one for the same appointment and kind.
#[server(endpoint = "documents/note_start")]
pub async fn start_note(
    client_id: String,
    kind: String,
    #[server(default)] appointment_id: String,
    #[server(default)] format: String,
) -> Result<NoteId, AppError> {
    let ctx = Ctx::current()?;
    notes::start(
        &ctx.pool,
        &ctx.keys,
        &ctx.user,
        &ctx.meta,
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
    let ctx = Ctx::current()?;
    notes::view(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, id).await
}

/// Autosave: the whole content from the revision the editor last saw.
#[server(endpoint = "documents/note_history")]
pub async fn note_history(id: NoteId) -> Result<Vec<NoteVersion>, AppError> {
    let ctx = Ctx::current()?;
    notes::history(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "documents/note_save")]
pub async fn save_note(
    id: NoteId,
    revision: i32,
    #[server(default)] content: NoteContent,
) -> Result<Saved, AppError> {
    let ctx = Ctx::current()?;
    notes::save(
        &ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, id, revision, &content,
    )
    .await
}

#[server(endpoint = "documents/note_sign")]
pub async fn sign_note(
    id: NoteId,
    #[server(default)] password: String,
) -> Result<NoteStatus, AppError> {
    let ctx = Ctx::current()?;
    notes::sign(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, id, &password).await
}

/// `decision` is `approve` or `return`.
#[server(endpoint = "documents/note_review")]
pub async fn review_note(
    id: NoteId,
    decision: String,
    #[server(default)] comment: String,
    #[server(default)] password: String,
) -> Result<NoteStatus, AppError> {
    let ctx = Ctx::current()?;
    let decision = match decision.as_str() {
        "approve" => notes::Decision::Approve {
            password: &password,
        },
        "return" => notes::Decision::Return { comment: &comment },
        _ => return Err(AppError::field("decision", "Approve or return the note.")),
    };
    notes::review(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, id, decision).await
}

#[server(endpoint = "documents/addendum_add")]
pub async fn add_addendum(
    id: NoteId,
    #[server(default)] text: String,
    #[server(default)] password: String,
) -> Result<AddendumId, AppError> {
    let ctx = Ctx::current()?;
    notes::add_addendum(
        &ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, id, &text, &password,
    )
    .await
}

#[server(endpoint = "documents/note_discard")]
pub async fn discard_note(id: NoteId) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    notes::discard(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "documents/client_notes")]
pub async fn client_notes(client_id: ClientId) -> Result<Vec<NoteSummary>, AppError> {
    let ctx = Ctx::current()?;
    lists::for_client(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "documents/cosign_queue")]
pub async fn cosign_queue() -> Result<Vec<NoteSummary>, AppError> {
    let ctx = Ctx::current()?;
    lists::cosign_queue(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "documents/undocumented")]
pub async fn undocumented_sessions() -> Result<Vec<UndocumentedSession>, AppError> {
    let ctx = Ctx::current()?;
    lists::undocumented(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "documents/alerts")]
pub async fn clinical_alerts() -> Result<Vec<ClinicalAlert>, AppError> {
    let ctx = Ctx::current()?;
    alerts::open(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "documents/alert_acknowledge")]
pub async fn acknowledge_alert(id: AlertId) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    alerts::acknowledge(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "documents/measure_record")]
pub async fn record_measure(measure: MeasureInput) -> Result<MeasureResult, AppError> {
    let ctx = Ctx::current()?;
    measures::record_measure(&ctx.pool, &ctx.user, &ctx.meta, &measure).await
}

#[server(endpoint = "documents/measures")]
pub async fn client_measures(client_id: ClientId) -> Result<Vec<MeasureResult>, AppError> {
    let ctx = Ctx::current()?;
    measures::for_client(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "documents/process_note_write")]
pub async fn write_process_note(
    client_id: ClientId,
    #[server(default)] text: String,
) -> Result<ProcessNoteId, AppError> {
    let ctx = Ctx::current()?;
    process::write(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, client_id, &text).await
}

#[server(endpoint = "documents/process_notes")]
pub async fn my_process_notes(client_id: ClientId) -> Result<Vec<ProcessNote>, AppError> {
    let ctx = Ctx::current()?;
    process::mine(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, client_id).await
}
