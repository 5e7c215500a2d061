//! One note: the editor while it is the author's draft (autosaved a moment after each change, with the
//! save state always visible), signing with the password; once signed, the read-only note with its
//! signature, addenda, and the co-signer's approve / return panel.

use super::editor::NoteEditor;
use super::plan::PlanView;
use crate::documents::api::{load_note, note_history, AddAddendum, ReviewNote};
use crate::documents::types::*;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes, TextAreaField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NotePage() -> impl IntoView {
    let params = use_params_map();
    // bumped when the note changes state (signed, reviewed, amended): it is loaded again
    let changed = RwSignal::new(0usize);
    let note = Resource::new(
        move || (params.with(|p| p.get("id")), changed.get()),
        |(id, _)| async move {
            let id = id
                .and_then(|i| i.parse().ok())
                .ok_or(crate::error::AppError::NotFound)?;
            load_note(id).await
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading label="Opening the note…"/> }>
            {move || Suspend::new(async move {
                note.await.map(|n| view! { <Note note=n changed/> })
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Note(note: NoteView, changed: RwSignal<usize>) -> impl IntoView {
    let s = note.summary.clone();
    let title = s.title();
    let head = view! {
        <Title text=format!("{title} · MentalSpace EHR")/>
        <p class="breadcrumbs"><A href=format!("/clients/{}?tab=notes", s.client_id)>{format!("← {}", s.client_name)}</A></p>
        <header class="note-head">
            <h1>{title}</h1>
            <p class="muted">
                {format!("{} · {} · ", s.client_name, s.service_date.format("%m/%d/%Y"))}
                <span class=format!("note-status note-status-{:?}", s.status).to_lowercase()>{s.status.label()}</span>
            </p>
            {note.session.clone().map(|line| view! { <p class="muted">{line}</p> })}
            {(!note.diagnoses.is_empty()).then(|| view! {
                <p class="muted">{format!("Diagnoses: {}", note.diagnoses.join("; "))}</p>
            })}
        </header>
        {(!note.reviews.is_empty()).then(|| view! {
            <section class="card notice-warning" aria-labelledby="reviews-title">
                <h2 id="reviews-title">"Supervisor's review"</h2>
                <ul>{note.reviews.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
            </section>
        })}
    }
    .into_any();
    let body = if note.can_edit {
        view! { <NoteEditor note=note.clone() changed/> }.into_any()
    } else {
        view! { <SignedNote note=note.clone() changed/> }.into_any()
    };
    let id = note.summary.id;
    let (kind, format) = (note.summary.kind, note.summary.format);
    let emergency = note.emergency.then(|| view! {
        <div class="notice notice-warning emergency-banner" role="note">
            <strong>"Emergency access. "</strong>
            "You are reading this note outside your caseload: it is recorded and reviewed, and it cannot be released from here."
        </div>
    });
    view! { {emergency}{head}{body}<History id kind format objectives=note.objectives.clone()/> }
        .into_any()
}

/// The note as signed: read-only sections, the signature block, addenda, and the actions left.
#[component]
fn SignedNote(note: NoteView, changed: RwSignal<usize>) -> impl IntoView {
    let sections = sections(note.summary.kind, note.summary.format);
    let id = note.summary.id;
    let integrity = match note.hash_verified {
        Some(true) => Some(view! { <p class="badge" title="The signed content hashes to the digest stored at signing">"✓ Content verified against its signature"</p> }.into_any()),
        Some(false) => Some(view! { <p class="notice notice-error" role="alert">"This note's content does not match what was signed. Report it to your administrator."</p> }.into_any()),
        None => None,
    };
    // a plain link: the server streams the file with the session cookie, and audits the release
    let release = (note.summary.status == NoteStatus::Signed && !note.emergency).then(|| {
        view! {
            <p class="note-release">
                <a class="btn" href=format!("/notes/{id}/pdf") rel="external">
                    "Download PDF for release of records"
                </a>
            </p>
        }
    });
    view! {
        <article class="card note-read" aria-label="Note">
            {sections.into_iter().filter_map(|section| {
                let value = note.content.get(section.key).filter(|v| !v.trim().is_empty())?;
                let body = match section.input {
                    Input::Plan => view! {
                        <PlanView plan=TreatmentPlan::from_content(Some(value)).unwrap_or_default()/>
                    }.into_any(),
                    _ => view! { <p class="note-text">{section.shown(value, &note.objectives)}</p> }.into_any(),
                };
                Some(view! {
                    <section class="note-section">
                        <h2>{section.label}</h2>
                        {body}
                    </section>
                })
            }).collect_view()}
            <footer class="signature-block">
                {note.signature.clone().map(|s| view! { <p><strong>{s}</strong></p> })}
                {note.cosignature.clone().map(|s| view! { <p><strong>{s}</strong></p> })}
                {integrity}
                {note.digest.clone().map(|d| view! { <p class="muted digest">{format!("SHA-256 {d}")}</p> })}
            </footer>
        </article>
        {release}
        {(!note.addenda.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="addenda-title">
                <h2 id="addenda-title">"Addenda"</h2>
                {note.addenda.iter().map(|a| view! {
                    <div class="addendum">
                        <p class="note-text">{a.text.clone()}</p>
                        <p class="muted">{format!("Signed: {}", a.signed)}</p>
                    </div>
                }).collect_view()}
            </section>
        })}
        {note.can_cosign.then(|| view! { <ReviewPanel id changed/> })}
        {note.can_add_addendum.then(|| view! { <AddendumForm id changed/> })}
    }
    .into_any()
}

/// The saved versions, loaded when the panel is first opened; each opens to its text.
#[component]
fn History(
    id: crate::ids::NoteId,
    kind: NoteKind,
    format: Option<NoteFormat>,
    objectives: Vec<ObjectiveRef>,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let versions = Resource::new(
        move || opened.get(),
        move |open| async move {
            if open {
                note_history(id).await
            } else {
                Ok(Vec::new())
            }
        },
    );
    let objectives = StoredValue::new(objectives);
    view! {
        <details class="card note-history" on:toggle=move |_| opened.set(true)>
            <summary>"Version history"</summary>
            <Transition fallback=|| view! { <Loading label="Loading versions…"/> }>
                {move || Suspend::new(async move {
                    // a failure stays inside the panel: the note above is still readable
                    let list = match versions.await {
                        Ok(list) => list,
                        Err(error) => return view! { <ErrorNotice error/> }.into_any(),
                    };
                    if list.is_empty() {
                        return view! { <p class="muted">"No saved versions yet."</p> }.into_any();
                    }
                    view! {
                        <ul class="plain-list">
                            {list.into_iter().map(|v| view! {
                                <li>
                                    <details>
                                        <summary>{format!("Revision {} · {}", v.revision, v.saved)}</summary>
                                        {sections(kind, format).into_iter().filter_map(|section| {
                                            let value = v.content.get(section.key).filter(|t| !t.trim().is_empty())?;
                                            let text = objectives.with_value(|o| section.shown(value, o));
                                            Some(view! {
                                                <section class="note-section">
                                                    <h3>{section.label}</h3>
                                                    <p class="note-text">{text}</p>
                                                </section>
                                            }.into_any())
                                        }).collect_view()}
                                    </details>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </details>
    }
    .into_any()
}

/// Loads the note again once `result` succeeds (it changed state).
fn reload_on_success<T, R>(result: R, changed: RwSignal<usize>)
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, crate::error::AppError>>> + Send + Sync + 'static,
{
    let done = successes(result);
    Effect::watch(
        move || done.get(),
        move |_, _, _| changed.update(|c| *c += 1),
        false,
    );
}

/// The awaited supervisor approves (co-signs with their password) or returns the note with a comment.
#[component]
fn ReviewPanel(id: crate::ids::NoteId, changed: RwSignal<usize>) -> impl IntoView {
    let review = ServerAction::<ReviewNote>::new();
    let result = review.value();
    reload_on_success(result, changed);
    let err = move |f: &'static str| field_errors(result, f);
    view! {
        <section class="card" aria-labelledby="review-title">
            <h2 id="review-title">"Co-signature"</h2>
            <p class="muted">"Approve to co-sign and lock the note, or return it to its author with what should change."</p>
            <div class="grid-2">
                <ActionForm action=review attr:novalidate="true">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="decision" value="approve"/>
                    <crate::ui::form::Field label="Your password" name="password" kind="password" autocomplete="current-password" errors=err("password")/>
                    <button type="submit" class="btn btn-primary">"Approve and co-sign"</button>
                </ActionForm>
                <ActionForm action=review attr:novalidate="true">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="decision" value="return"/>
                    <TextAreaField label="Comment for the author" name="comment" id="review-comment" errors=err("comment")/>
                    <button type="submit" class="btn">"Return to the author"</button>
                </ActionForm>
            </div>
            {move || form_error(result).get().map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
    .into_any()
}

/// A signed addendum: the only change a signed note takes.
#[component]
fn AddendumForm(id: crate::ids::NoteId, changed: RwSignal<usize>) -> impl IntoView {
    let add = ServerAction::<AddAddendum>::new();
    let result = add.value();
    reload_on_success(result, changed);
    let err = move |f: &'static str| field_errors(result, f);
    view! {
        <details class="card">
            <summary>"Add an addendum"</summary>
            <ActionForm action=add attr:novalidate="true">
                <input type="hidden" name="id" value=id.to_string()/>
                <TextAreaField label="Addendum" name="text" id="addendum-text" rows=4 errors=err("text")/>
                <crate::ui::form::Field label="Your password" name="password" kind="password" autocomplete="current-password" errors=err("password")/>
                {move || form_error(result).get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="btn btn-primary">"Sign the addendum"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
