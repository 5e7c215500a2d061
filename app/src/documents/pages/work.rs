//! A clinician's documentation on the home page: sessions still to document (overdue first) and notes
//! waiting for their co-signature.

use crate::documents::api::{
    clinical_alerts, cosign_queue, undocumented_sessions, AcknowledgeAlert, StartNote,
};
use crate::documents::types::UndocumentedSession;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::form_error;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NoteWork() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| undocumented_sessions());
    let queue = Resource::new(|| (), |_| cosign_queue());
    let start = ServerAction::<StartNote>::new();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(note)) = start.value().get() {
            navigate(&format!("/notes/{note}"), Default::default());
        }
    });
    view! {
        <Alerts/>
        <div class="grid-2 note-work">
            <section class="card" aria-labelledby="undocumented-title">
                <h2 id="undocumented-title">"Sessions to document"</h2>
                {move || form_error(start.value()).get().map(|e| view! { <ErrorNotice error=e/> })}
                <Suspense fallback=|| view! { <Loading label="Loading sessions…"/> }>
                    {move || Suspend::new(async move {
                        sessions.await.map(|list| {
                            if list.is_empty() {
                                return view! { <p class="muted">"Every completed session has a signed note."</p> }.into_any();
                            }
                            let overdue = list.iter().filter(|s| s.overdue).count();
                            view! {
                                <p class="muted">{format!("{} undocumented, {overdue} overdue.", list.len())}</p>
                                <ul class="plain-list work-list">
                                    {list.into_iter().take(12).map(|s| view! { <SessionRow s start/> }).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    })}
                </Suspense>
            </section>
            <section class="card" aria-labelledby="cosign-title">
                <h2 id="cosign-title">"Waiting for your co-signature"</h2>
                <Suspense fallback=|| view! { <Loading label="Loading the queue…"/> }>
                    {move || Suspend::new(async move {
                        queue.await.map(|list| {
                            if list.is_empty() {
                                return view! { <p class="muted">"Nothing waits for your co-signature."</p> }.into_any();
                            }
                            view! {
                                <ul class="plain-list work-list">
                                    {list.into_iter().map(|n| view! {
                                        <li>
                                            <A href=format!("/notes/{}", n.id)>{format!("{} · {}", n.client_name, n.kind.label())}</A>
                                            <span class="muted">{format!(" {} · by {}", n.service_date.format("%m/%d/%Y"), n.author_name)}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    })}
                </Suspense>
            </section>
        </div>
    }
    .into_any()
}

/// Alerts that need the clinician's eyes (shown only when there are some), each acknowledged in place.
#[component]
fn Alerts() -> impl IntoView {
    let acknowledge = ServerAction::<AcknowledgeAlert>::new();
    let alerts = Resource::new(move || acknowledge.version().get(), |_| clinical_alerts());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = match alerts.await {
                    Ok(list) if list.is_empty() => return None,
                    Ok(list) => list,
                    Err(e) => return Some(view! { <ErrorNotice error=e/> }.into_any()),
                };
                Some(view! {
                    <section class="card alert-card" aria-labelledby="alerts-title">
                        <h2 id="alerts-title">"Needs your attention"</h2>
                        {move || form_error(acknowledge.value()).get().map(|e| view! { <ErrorNotice error=e/> })}
                        <ul class="plain-list work-list">
                            {list.into_iter().map(|a| {
                                let id = a.id;
                                let label = format!("Acknowledge the alert about {}", a.client_name);
                                view! {
                                    <li>
                                        <A href=format!("/clients/{}?tab=notes", a.client_id)>{a.client_name.clone()}</A>
                                        <span>{format!(": {}", a.what)}</span>
                                        <span class="muted">{format!(" · raised {}", a.raised)}</span>
                                        <button type="button" class="btn btn-small" disabled=move || acknowledge.pending().get()
                                            aria-label=label
                                            on:click=move |_| { acknowledge.dispatch(AcknowledgeAlert { id }); }>
                                            "Acknowledge"
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any())
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn SessionRow(s: UndocumentedSession, start: ServerAction<StartNote>) -> impl IntoView {
    let who = if s.mine {
        s.client_name.clone()
    } else {
        format!("{} (with {})", s.client_name, s.clinician_name)
    };
    let action = match (s.drafted, s.mine) {
        (Some(note), _) => {
            view! { <A href=format!("/notes/{note}")>"Continue the draft"</A> }.into_any()
        }
        (None, true) => view! {
            <ActionForm action=start attr:class="inline-form">
                <input type="hidden" name="client_id" value=s.client_id.to_string()/>
                <input type="hidden" name="kind" value="progress"/>
                <input type="hidden" name="appointment_id" value=s.appointment_id.to_string()/>
                <button type="submit" class="btn btn-small">"Write the note"</button>
            </ActionForm>
        }
        .into_any(),
        (None, false) => ().into_any(),
    };
    view! {
        <li class:overdue=s.overdue>
            <span>{who}" "<span class="muted">{s.when.clone()}</span></span>
            {s.overdue.then(|| view! { " " <span class="badge badge-danger">"Overdue"</span> })}
            " "{action}
        </li>
    }
    .into_any()
}
