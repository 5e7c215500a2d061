//! The chart's notes tab: the client's notes (content for clinical staff of the caseload, dates and
//! status only for billers and administrators), starting a note, the PHQ-9/GAD-7 trend, and the
//! clinician's own psychotherapy notes, kept apart.

use super::measures::MeasuresSection;
use crate::auth::types::{Permission, SessionInfo};
use crate::documents::api::{client_notes, my_process_notes, StartNote, WriteProcessNote};
use crate::documents::types::{NoteKind, NoteSummary};
use crate::ids::ClientId;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, reset_on_success, successes, TextAreaField};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// `read_only`: the chart is open under emergency access (no new notes, no psychotherapy notes).
#[component]
pub fn NotesSection(client_id: ClientId, #[prop(optional)] read_only: bool) -> impl IntoView {
    let clinical = expect_context::<SessionInfo>()
        .user
        .role
        .can(Permission::EditClinical);
    let writes = clinical && !read_only;
    let notes = Resource::new(move || client_id, client_notes);
    view! {
        {writes.then(|| view! { <StartNoteForm client_id/> })}
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">"Notes"</h2>
            <Transition fallback=|| view! { <Loading label="Loading notes…"/> }>
                {move || Suspend::new(async move {
                    notes.await.map(|list| {
                        if list.is_empty() {
                            return view! { <EmptyState>"No notes yet."</EmptyState> }.into_any();
                        }
                        view! { <NotesTable list clinical/> }.into_any()
                    })
                })}
            </Transition>
        </section>
        {clinical.then(|| view! { <MeasuresSection client_id read_only/> })}
        {writes.then(|| view! { <ProcessNotes client_id/> })}
    }
    .into_any()
}

#[component]
fn NotesTable(list: Vec<NoteSummary>, clinical: bool) -> impl IntoView {
    view! {
        <table class="table notes-table">
            <thead>
                <tr>
                    <th scope="col">"Date"</th>
                    <th scope="col">"Note"</th>
                    <th scope="col">"Service"</th>
                    <th scope="col">"Author"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|n| {
                    let title = n.title();
                    let status_class = format!("note-status note-status-{:?}", n.status).to_lowercase();
                    view! {
                        <tr>
                            <td>{n.service_date.format("%m/%d/%Y").to_string()}</td>
                            <td>{if clinical {
                                view! { <A href=format!("/notes/{}", n.id)>{title}</A> }.into_any()
                            } else {
                                view! { <span>{title}</span> }.into_any()
                            }}</td>
                            <td>{n.service.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>{n.author_name.clone()}</td>
                            <td><span class=status_class>{n.status.label()}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Notes not tied to one appointment start here (progress notes start from their appointment).
#[component]
fn StartNoteForm(client_id: ClientId) -> impl IntoView {
    let start = ServerAction::<StartNote>::new();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = start.value().get() {
            navigate(&format!("/notes/{id}"), Default::default());
        }
    });
    let kinds = NoteKind::ALL
        .into_iter()
        .filter(|k| !k.needs_appointment())
        .collect::<Vec<_>>();
    view! {
        <section class="card" aria-labelledby="start-note-title">
            <h2 id="start-note-title">"Write a note"</h2>
            <p class="muted">"Progress and cancellation notes start from their appointment on the calendar."</p>
            <ActionForm action=start attr:class="inline-form" attr:novalidate="true">
                <input type="hidden" name="client_id" value=client_id.to_string()/>
                <div class="field field-inline">
                    <label for="start-note-kind">"Kind of note"</label>
                    <select id="start-note-kind" name="kind">
                        {kinds.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || start.pending().get()>"Start the note"</button>
            </ActionForm>
            {move || form_error(start.value()).get().map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
    .into_any()
}

/// The caller's own psychotherapy notes about this client: never part of the record.
#[component]
fn ProcessNotes(client_id: ClientId) -> impl IntoView {
    let write = ServerAction::<WriteProcessNote>::new();
    let result = write.value();
    let written = successes(result);
    let form = reset_on_success(result);
    let open = RwSignal::new(false);
    let notes = Resource::new(
        move || (open.get(), written.get()),
        move |(open, _)| async move {
            if open {
                my_process_notes(client_id).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <section class="card process-notes" aria-labelledby="process-title">
            <h2 id="process-title">"Psychotherapy notes (yours alone)"</h2>
            <button type="button" class="btn" aria-expanded=move || open.get().to_string() aria-controls="process-notes-body"
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Hide" } else { "Show" }}
            </button>
            <Show when=move || open.get()>
            <div id="process-notes-body">
            <p class="muted">"Kept apart from the record: only you can read them; they are never exported or billed."</p>
            <ActionForm action=write node_ref=form attr:novalidate="true">
                <input type="hidden" name="client_id" value=client_id.to_string()/>
                <TextAreaField label="New psychotherapy note" name="text" id="process-note-text" errors=field_errors(result, "text")/>
                <button type="submit" class="btn">"Save the note"</button>
            </ActionForm>
            <Transition fallback=|| view! { <Loading label="Loading your notes…"/> }>
                {move || Suspend::new(async move {
                    notes.await.map(|list| list.map(|list| view! {
                        <ul class="plain-list">
                            {list.into_iter().map(|n| view! {
                                <li><p class="note-text">{n.text}</p><p class="muted">{n.written}</p></li>
                            }).collect_view()}
                        </ul>
                    }))
                })}
            </Transition>
            </div>
            </Show>
        </section>
    }
    .into_any()
}
