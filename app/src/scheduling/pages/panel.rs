//! An appointment's side panel: what it is, its history, and (for the front desk and admins) the
//! lifecycle steps, moving it (the keyboard's way to do what dragging does) and cancelling it, with
//! the waitlisted clients who fit the freed time.

use crate::auth::types::{Role, SessionInfo};
use crate::ids::AppointmentId;
use crate::scheduling::api::{
    load_appointment, waitlist_matches, ChangeAppointmentStatus, OfferSlot, RescheduleAppointment,
};
use crate::scheduling::types::{AppointmentDetails, AppointmentStatus, CANCEL_KINDS};
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{
    choices, field_errors, form_error, successes, CheckField, Field, SelectField,
};
use leptos::prelude::*;

const SCOPES: &[(&str, &str)] = &[
    ("this", "This appointment"),
    ("following", "This and following"),
    ("all", "All in the series"),
];

#[component]
pub fn AppointmentPanel(
    id: AppointmentId,
    /// Bumped after every change, so that the calendar redraws.
    changed: RwSignal<usize>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let status = ServerAction::<ChangeAppointmentStatus>::new();
    let moved = ServerAction::<RescheduleAppointment>::new();
    let (status_ok, moved_ok) = (successes(status.value()), successes(moved.value()));
    Effect::new(move || {
        let n = status_ok.get() + moved_ok.get();
        if n > 0 {
            changed.update(|c| *c += 1);
        }
    });
    let details = Resource::new(
        move || (status_ok.get(), moved_ok.get()),
        move |_| load_appointment(id),
    );
    view! {
        <aside class="side-panel card" role="dialog" aria-labelledby="appointment-title">
            <div class="side-panel-head">
                <h2 id="appointment-title">"Appointment"</h2>
                <button type="button" class="btn" aria-label="Close the appointment panel" on:click=move |_| on_close.run(())>"✕"</button>
            </div>
            <Transition fallback=|| view! { <Loading label="Loading the appointment…"/> }>
                {move || Suspend::new(async move {
                    details.await.map(|d| view! { <Details d status moved/> })
                })}
            </Transition>
        </aside>
    }
    .into_any()
}

#[component]
fn Details(
    d: AppointmentDetails,
    status: ServerAction<ChangeAppointmentStatus>,
    moved: ServerAction<RescheduleAppointment>,
) -> impl IntoView {
    let next: Vec<AppointmentStatus> = [
        AppointmentStatus::Confirmed,
        AppointmentStatus::CheckedIn,
        AppointmentStatus::Completed,
        AppointmentStatus::NoShow,
    ]
    .into_iter()
    .filter(|s| d.status.can_become(*s))
    .collect();
    let movable = matches!(
        d.status,
        AppointmentStatus::Scheduled | AppointmentStatus::Confirmed
    );
    let freed = !d.status.holds_time();
    let id = d.id.to_string();
    // the front desk collects the copay at check-in (the ledger page enforces who may)
    let takes_payments = use_context::<SessionInfo>()
        .is_some_and(|i| i.user.role.can(crate::auth::types::Permission::BillClients))
        && !matches!(
            d.status,
            AppointmentStatus::Cancelled | AppointmentStatus::NoShow
        );
    view! {
        <div class="appointment-summary" style=format!("--entry-color:{}", d.color)>
            <p class="appointment-type"><strong>{d.appointment_type.clone()}</strong>" with "{d.clinician_name.clone()}</p>
            <p>{d.when.clone()}</p>
            <p>{d.place.clone()}</p>
            <p>
                <span class=format!("status-badge status-{}", d.status.as_str())>{d.status.label()}</span>
                {d.late_fee.then(|| view! { " " <span class="badge badge-warning">"Late cancellation fee"</span> })}
            </p>
            <ul class="plain-list" aria-label="Clients">
                {d.clients.iter().map(|(cid, name)| view! {
                    <li>
                        <a href=format!("/clients/{cid}")>{name.clone()}</a>
                        {takes_payments.then(|| view! {
                            " · "
                            <a href=format!("/billing/clients/{cid}?appointment={}", d.id) aria-label=format!("Collect the copay of {name}")>"Collect copay"</a>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {d.series.clone().map(|s| view! {
                <p class="muted">{s}{d.exception.then_some(" (changed alone)")}</p>
            })}
            {d.front_desk_note.clone().map(|n| view! { <p class="muted">"Note: "{n}</p> })}
            {d.cancel_reason.clone().map(|r| view! { <p class="muted">"Reason: "{r}</p> })}
        </div>
        <DocumentIt d=d.clone()/>
        {d.can_manage.then(|| {
            let in_series = d.series.is_some();
            view! {
                {(!next.is_empty()).then(|| view! {
                    <div class="status-actions" role="group" aria-label="Change the status">
                        {next.into_iter().map(|s| {
                            let id = id.clone();
                            view! {
                                <ActionForm action=status attr:class="inline-form">
                                    <input type="hidden" name="id" value=id/>
                                    <input type="hidden" name="status" value=s.as_str()/>
                                    <button type="submit" class="btn">{action_label(s)}</button>
                                </ActionForm>
                            }
                        }).collect_view()}
                    </div>
                })}
                {move || form_error(status.value()).get().map(|e| view! { <ErrorNotice error=e/> })}
                {movable.then(|| view! {
                    <MoveForm d=d.clone() moved in_series/>
                    <CancelForm id=id.clone() status in_series/>
                })}
                {freed.then(|| view! { <WaitlistOffers id=d.id/> })}
            }
        })}
        <details class="history">
            <summary>"History"</summary>
            <ul class="plain-list">{d.history.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
        </details>
    }
    .into_any()
}

fn action_label(s: AppointmentStatus) -> &'static str {
    match s {
        AppointmentStatus::Confirmed => "Confirm",
        AppointmentStatus::CheckedIn => "Check in",
        AppointmentStatus::Completed => "Complete",
        AppointmentStatus::NoShow => "No-show",
        _ => s.label(),
    }
}

#[component]
fn MoveForm(
    d: AppointmentDetails,
    moved: ServerAction<RescheduleAppointment>,
    in_series: bool,
) -> impl IntoView {
    let is_admin = expect_context::<SessionInfo>().user.role == Role::Admin;
    let result = moved.value();
    let err = move |f: &'static str| field_errors(result, f);
    view! {
        <details class="panel-section">
            <summary>"Move or change the length"</summary>
            <ActionForm action=moved attr:novalidate="true">
                <input type="hidden" name="id" value=d.id.to_string()/>
                <div class="form-row">
                    <Field label="Date" name="date" kind="date" value=d.date.clone() errors=err("date")/>
                    <Field label="Start" name="start_time" kind="time" value=d.start_time.clone() errors=err("start_time")/>
                    <Field label="Minutes" name="minutes" value=d.minutes.to_string() errors=err("minutes")/>
                </div>
                {in_series.then(|| view! {
                    <SelectField label="Apply to" name="scope" options=choices(SCOPES) errors=err("scope")/>
                })}
                {is_admin.then(|| view! {
                    <CheckField label="Book outside working hours" name="override_hours" errors=err("override_hours")/>
                })}
                {move || form_error(result).get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="btn btn-primary">"Move"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

#[component]
fn CancelForm(
    id: String,
    status: ServerAction<ChangeAppointmentStatus>,
    in_series: bool,
) -> impl IntoView {
    let result = status.value();
    let err = move |f: &'static str| field_errors(result, f);
    view! {
        <details class="panel-section">
            <summary>"Cancel"</summary>
            <ActionForm action=status attr:novalidate="true">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="status" value="cancelled"/>
                <SelectField label="Cancelled by" name="cancel_kind" options=choices(CANCEL_KINDS)
                    empty_label="Choose" errors=err("cancel_kind")/>
                <Field label="Reason" name="reason" errors=err("reason")/>
                // the move form has a scope field too: this one needs its own id
                {in_series.then(|| view! {
                    <div class="field">
                        <label for="cancel-scope">"Cancel which"</label>
                        <select id="cancel-scope" name="scope">
                            {choices(SCOPES).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <button type="submit" class="btn btn-danger">"Cancel the appointment"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// For the appointment's clinician, once it has begun: its progress note (or, when missed, its
/// cancellation note) for each client.
#[component]
fn DocumentIt(d: AppointmentDetails) -> impl IntoView {
    use crate::documents::api::StartNote;
    let me = expect_context::<SessionInfo>().user.id;
    let started = d.date
        <= crate::ui::clock::practice_clock()()
            .format("%Y-%m-%d")
            .to_string();
    let kind = match d.status {
        AppointmentStatus::NoShow | AppointmentStatus::Cancelled => "cancellation",
        _ => "progress",
    };
    if me != d.clinician_id || !(started || d.status == AppointmentStatus::Completed) {
        return ().into_any();
    }
    let start = ServerAction::<StartNote>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move || {
        if let Some(Ok(note)) = start.value().get() {
            navigate(&format!("/notes/{note}"), Default::default());
        }
    });
    let label = if kind == "progress" {
        "Write the progress note"
    } else {
        "Write the cancellation note"
    };
    let several = d.clients.len() > 1;
    let appointment = d.id.to_string();
    view! {
        <div class="panel-section" role="group" aria-label="Documentation">
            {d.clients.into_iter().map(|(client, name)| { let appointment = appointment.clone(); view! {
                <ActionForm action=start attr:class="inline-form">
                    <input type="hidden" name="client_id" value=client.to_string()/>
                    <input type="hidden" name="kind" value=kind/>
                    <input type="hidden" name="appointment_id" value=appointment/>
                    <button type="submit" class="btn btn-primary">
                        {if several { format!("{label} for {name}") } else { label.to_owned() }}
                    </button>
                </ActionForm>
            }}).collect_view()}
            {move || form_error(start.value()).get().map(|e| view! { <ErrorNotice error=e/> })}
        </div>
    }
    .into_any()
}

/// The waitlisted clients who fit the freed time, each with an "Offer" button.
#[component]
fn WaitlistOffers(id: AppointmentId) -> impl IntoView {
    let offer = ServerAction::<OfferSlot>::new();
    let offered = successes(offer.value());
    let matches = Resource::new(move || offered.get(), move |_| waitlist_matches(id));
    view! {
        <section class="panel-section" aria-labelledby="waitlist-title">
            <h3 id="waitlist-title">"Offer this time"</h3>
            {move || offer.value().get().map(|r| match r {
                Ok(sentence) => view! { <p class="notice notice-success" role="status">{sentence}</p> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
            <Transition fallback=|| view! { <Loading label="Finding waitlisted clients…"/> }>
                {move || Suspend::new(async move {
                    matches.await.map(|list| {
                        if list.is_empty() {
                            return view! { <p class="muted">"No one on the waitlist fits this time."</p> }.into_any();
                        }
                        view! {
                            <ol class="plain-list matches">
                                {list.into_iter().map(|m| view! {
                                    <li>
                                        <ActionForm action=offer attr:class="inline-form">
                                            <input type="hidden" name="appointment" value=id.to_string()/>
                                            <input type="hidden" name="entry" value=m.entry.id.to_string()/>
                                            <span><strong>{m.entry.client_name.clone()}</strong>" "<span class="muted">{m.why.clone()}</span></span>
                                            <button type="submit" class="btn">{format!("Offer to {}", m.entry.client_name)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
    .into_any()
}
