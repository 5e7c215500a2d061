//! The draft editor: one field per section of the note's kind and format, saved to the server a
//! moment after the last change (from the revision last saved, so two windows cannot overwrite each
//! other), with the save state always on screen; then signing with the password.

use super::plan::PlanField;
use crate::documents::api::{save_note, DiscardNote, SignNote};
use crate::documents::types::*;
use crate::error::AppError;
use crate::ui::feedback::ErrorNotice;
use crate::ui::form::{field_errors, form_error, successes, Field};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// How long after the last keystroke a draft is saved.
const AUTOSAVE_AFTER: Duration = Duration::from_millis(700);

/// The draft and what the server has of it.
#[derive(Clone, Copy)]
struct Draft {
    content: RwSignal<NoteContent>,
    revision: RwSignal<i32>,
    /// changes made, and how many of them the server has
    edits: RwSignal<u64>,
    saved: RwSignal<u64>,
    saving: RwSignal<bool>,
    problem: RwSignal<Option<AppError>>,
}

impl Draft {
    fn set(self, key: &'static str, value: String) {
        self.content.update(|c| {
            c.insert(key.to_owned(), value);
        });
        self.edits.update(|e| *e += 1);
    }

    fn dirty(self) -> bool {
        self.edits.get() != self.saved.get()
    }
}

#[component]
pub fn NoteEditor(note: NoteView, changed: RwSignal<usize>) -> impl IntoView {
    let id = note.summary.id;
    let draft = Draft {
        content: RwSignal::new(note.content.clone()),
        revision: RwSignal::new(note.revision),
        edits: RwSignal::new(0),
        saved: RwSignal::new(0),
        saving: RwSignal::new(false),
        problem: RwSignal::new(None),
    };
    // saving again when more was typed during a save
    let again = RwSignal::new(0u32);
    let flush = Callback::new(move |()| {
        if draft.saving.get_untracked() || !draft.dirty_untracked() {
            return;
        }
        draft.saving.set(true);
        let upto = draft.edits.get_untracked();
        let (body, revision) = (
            draft.content.get_untracked(),
            draft.revision.get_untracked(),
        );
        spawn_local(async move {
            match save_note(id, revision, body).await {
                Ok(saved) => {
                    draft.revision.set(saved.revision);
                    draft.saved.set(upto);
                    draft.problem.set(None);
                }
                Err(e) => draft.problem.set(Some(e)),
            }
            draft.saving.set(false);
            if draft.problem.get_untracked().is_none() && draft.dirty_untracked() {
                again.update(|a| *a += 1);
            }
        });
    });
    // leaving with typing not yet saved (closing the tab, reloading): save at once, and have the
    // browser ask before the page goes, so the save can finish
    let leaving = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if draft.dirty_untracked() || draft.saving.get_untracked() {
            flush.run(());
            ev.prevent_default();
        }
    });
    let hidden = window_event_listener(leptos::ev::pagehide, move |_| flush.run(()));
    on_cleanup(move || {
        leaving.remove();
        hidden.remove();
    });
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::watch(
        move || (draft.edits.get(), again.get()),
        move |_, _, _| {
            if let Some(Some(handle)) = timer.try_get_value() {
                handle.clear();
            }
            timer.set_value(set_timeout_with_handle(move || flush.run(()), AUTOSAVE_AFTER).ok());
        },
        false,
    );

    let sign = ServerAction::<SignNote>::new();
    let signed = successes(sign.value());
    Effect::watch(
        move || signed.get(),
        move |_, _, _| changed.update(|c| *c += 1),
        false,
    );
    let sections = sections(note.summary.kind, note.summary.format);
    let result = sign.value();
    view! {
        <SaveState draft/>
        <form class="card note-form" on:submit=|ev| ev.prevent_default() aria-label="Note">
            {sections.into_iter().map(|section| {
                let initial = note.content.get(section.key).cloned().unwrap_or_default();
                let context = Context { objectives: note.objectives.clone(), author: note.summary.author_name.clone() };
                view! { <SectionField section initial draft context errors=field_errors(result, section.key)/> }
            }).collect_view()}
        </form>
        <section class="card" aria-labelledby="sign-title">
            <h2 id="sign-title">"Sign"</h2>
            <p class="muted">"Signing locks the note: later changes are addenda. Enter your password to sign."</p>
            <ActionForm action=sign attr:novalidate="true" attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <Field label="Your password" name="password" kind="password" autocomplete="current-password" errors=field_errors(result, "password")/>
                <button type="submit" class="btn btn-primary" disabled=move || draft.dirty() || sign.pending().get()>
                    {move || if draft.dirty() { "Saving first…" } else if sign.pending().get() { "Signing…" } else { "Sign the note" }}
                </button>
            </ActionForm>
            {move || match result.get() {
                Some(Err(AppError::Validation { fields })) if fields.keys().any(|k| k != "password") => Some(view! {
                    <p class="notice notice-error" role="alert">"The note was not signed: see the highlighted sections."</p>
                }.into_any()),
                Some(Err(AppError::Validation { .. })) => None,
                _ => form_error(result).get().map(|e| view! { <ErrorNotice error=e/> }.into_any()),
            }}
        </section>
        {(note.summary.status == NoteStatus::Draft).then(|| view! { <DiscardDraft id client=note.summary.client_id/> })}
    }
    .into_any()
}

impl Draft {
    fn dirty_untracked(self) -> bool {
        self.edits.get_untracked() != self.saved.get_untracked()
    }
}

/// "Saving…", "All changes saved" or what went wrong, announced politely.
#[component]
fn SaveState(draft: Draft) -> impl IntoView {
    view! {
        <p class="save-state" role="status" aria-live="polite" data-testid="save-state">
            {move || match draft.problem.get() {
                Some(AppError::Conflict(m)) => m,
                Some(e) => format!("Not saved: {e} Your text is still here; it is tried again with your next change."),
                None if draft.saving.get() || draft.dirty() => "Saving…".to_owned(),
                None => "All changes saved".to_owned(),
            }}
        </p>
    }
    .into_any()
}

/// What some sections offer besides their own value: the plan's objectives, the author's name.
struct Context {
    objectives: Vec<ObjectiveRef>,
    author: String,
}

/// One section of the note as a field.
#[component]
fn SectionField(
    section: &'static Section,
    initial: String,
    draft: Draft,
    context: Context,
    errors: Signal<Vec<String>>,
) -> impl IntoView {
    let id = format!("note-{}", section.key);
    let key = section.key;
    let input = match section.input {
        Input::Plan => view! {
            <PlanField initial author=context.author on_change=Callback::new(move |json| draft.set(key, json))/>
        }
        .into_any(),
        Input::Objectives if context.objectives.is_empty() => view! {
            <p class="muted" id=id.clone()>"This client has no signed treatment plan yet."</p>
        }
        .into_any(),
        Input::Objectives => {
            let options = context
                .objectives
                .into_iter()
                .map(|o| (o.key, o.label))
                .collect();
            view! { <CheckList id=id.clone() options initial draft key stacked=true/> }.into_any()
        }
        Input::Text => view! {
            <textarea id=id.clone() rows="4" prop:value=initial.clone()
                on:input=move |ev| draft.set(key, event_target_value(&ev))></textarea>
        }
        .into_any(),
        Input::Date => view! {
            <input type="text" id=id.clone() class="input-date" inputmode="numeric" autocomplete="off" prop:value=initial.clone()
                on:input=move |ev| draft.set(key, event_target_value(&ev))/>
        }
        .into_any(),
        Input::Choice(list) => view! {
            <select id=id.clone() on:change=move |ev| draft.set(key, event_target_value(&ev))>
                <option value="">"Choose"</option>
                {list.iter().map(|(value, label)| view! {
                    <option value=*value selected=initial == *value>{*label}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        Input::Many(list) => {
            let options = list
                .iter()
                .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
                .collect();
            view! { <CheckList id=id.clone() options initial draft key stacked=false/> }.into_any()
        }
    };
    let label = match section.input {
        Input::Many(_) | Input::Objectives | Input::Plan => {
            view! { <span class="label" id=format!("{id}-label")>{section.label}</span> }.into_any()
        }
        _ => view! { <label for=id.clone()>{section.label}</label> }.into_any(),
    };
    view! {
        <div class="field" class:field-required=section.required class:field-invalid=move || !errors.get().is_empty()>
            {label}
            {(!section.hint.is_empty()).then(|| view! { <p class="field-hint">{section.hint}</p> })}
            {input}
            <Show when=move || !errors.get().is_empty()>
                <ul class="field-errors">
                    {move || errors.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </Show>
        </div>
    }
    .into_any()
}

/// Check boxes for any of `options` (value, label), kept in the draft comma-separated.
#[component]
fn CheckList(
    id: String,
    options: Vec<(String, String)>,
    initial: String,
    draft: Draft,
    key: &'static str,
    stacked: bool,
) -> impl IntoView {
    let chosen = RwSignal::new(
        initial
            .split(',')
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    );
    view! {
        <div class="choices" class:choices-stacked=stacked role="group" aria-labelledby=format!("{id}-label")>
            {options.into_iter().enumerate().map(|(i, (value, label))| {
                let box_id = format!("{id}-{i}");
                let checked = chosen.with_untracked(|c| c.contains(&value));
                view! {
                    <span class="day-choice">
                        <input type="checkbox" id=box_id.clone() checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|v| *v != value);
                                    if on { c.push(value.clone()); }
                                });
                                draft.set(key, chosen.get_untracked().join(","));
                            }/>
                        <label for=box_id>{label}</label>
                    </span>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// Throws away a draft that was never signed, then goes back to the chart.
#[component]
fn DiscardDraft(id: crate::ids::NoteId, client: crate::ids::ClientId) -> impl IntoView {
    let discard = ServerAction::<DiscardNote>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move || {
        if let Some(Ok(())) = discard.value().get() {
            navigate(&format!("/clients/{client}?tab=notes"), Default::default());
        }
    });
    view! {
        <details class="card">
            <summary>"Discard this draft"</summary>
            <p class="muted">"The draft and its history are deleted. This cannot be undone."</p>
            <button type="button" class="btn btn-danger" on:click=move |_| { discard.dispatch(DiscardNote { id }); }>
                "Discard the draft"
            </button>
            {move || form_error(discard.value()).get().map(|e| view! { <ErrorNotice error=e/> })}
        </details>
    }
    .into_any()
}
