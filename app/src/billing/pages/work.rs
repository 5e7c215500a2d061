//! The biller's queue: completed sessions ready to charge (the code suggested from the session's
//! length, with a warning when the chosen code does not fit it), and the blocked ones with the
//! reason and who must act.

use super::BillingTabs;
use crate::billing::api::{load_work_queue, CreateCharge, SetSelfPay};
use crate::billing::coding::time_warning;
use crate::billing::types::*;
use crate::ui::feedback::{ActionError, EmptyState, Loading};
use crate::ui::form::{action_error, field_errors, successes};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BillingWorkPage() -> impl IntoView {
    // bumped by every charge made (or client marked self-pay): the queue is loaded again
    let changed = RwSignal::new(0usize);
    let queue = Resource::new(move || changed.get(), |_| load_work_queue());
    view! {
        <Title text="Ready to bill · MentalSpace EHR"/>
        <h1>"Billing"</h1>
        <BillingTabs current="/billing"/>
        <Transition fallback=|| view! { <Loading label="Loading the sessions to bill…"/> }>
            {move || Suspend::new(async move {
                queue.await.map(|q| view! { <Queue queue=q changed/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Queue(queue: WorkQueue, changed: RwSignal<usize>) -> impl IntoView {
    let WorkQueue {
        ready,
        blocked,
        codes,
    } = queue;
    let codes = StoredValue::new(codes);
    let ready_count = ready.len();
    let blocked_count = blocked.len();
    view! {
        <section class="card" aria-labelledby="ready-title">
            <h2 id="ready-title">{format!("Ready to bill ({ready_count})")}</h2>
            <p class="muted">"Completed sessions with a signed note. The code is suggested from the session's length; a warning shows when the code you choose does not fit it."</p>
            {if ready.is_empty() {
                view! { <EmptyState>"Nothing is waiting to be charged."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table billing-ready">
                        <thead>
                            <tr>
                                <th scope="col">"Session"</th>
                                <th scope="col">"Billed to"</th>
                                <th scope="col">"Charge"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {ready.into_iter().map(|s| view! { <ReadyRow session=s codes changed/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="blocked-title">
            <h2 id="blocked-title">{format!("Blocked ({blocked_count})")}</h2>
            {if blocked.is_empty() {
                view! { <EmptyState>"No session is blocked."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table billing-blocked">
                        <thead>
                            <tr>
                                <th scope="col">"Session"</th>
                                <th scope="col">"Why it cannot be billed"</th>
                                <th scope="col">"Who must act"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {blocked.into_iter().map(|s| view! { <BlockedRow session=s changed/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

fn session_cell(s: &BillableSession) -> impl IntoView {
    view! {
        <td>
            <a href=format!("/clients/{}", s.client_id)>{s.client_name.clone()}</a>
            <div class="muted small">
                {format!("{} · {} · {} min{}", s.service_date.format("%m/%d/%Y"), s.clinician_name, s.minutes,
                    if s.telehealth { " · telehealth" } else { "" })}
            </div>
        </td>
    }
}

#[component]
fn ReadyRow(
    session: BillableSession,
    codes: StoredValue<Vec<ServiceCode>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let create = ServerAction::<CreateCharge>::new();
    let result = create.value();
    let made = successes(result);
    Effect::watch(
        move || made.get(),
        move |n, _, _| {
            if *n > 0 {
                changed.update(|c| *c += 1);
            }
        },
        false,
    );
    let minutes = session.minutes;
    let chosen = RwSignal::new(session.suggested_code.clone().unwrap_or_default());
    let warning = Signal::derive(move || {
        codes.with_value(|codes| {
            codes
                .iter()
                .find(|c| c.code == chosen.get())
                .and_then(|c| time_warning(c, minutes, codes))
        })
    });
    let key = format!("{}-{}", session.appointment_id, session.client_id);
    let code_id = format!("code-{key}");
    let mod_id = format!("mod-{key}");
    let units_id = format!("units-{key}");
    let warn_id = format!("warn-{key}");
    let billed_to = match (&session.payer_name, session.self_pay) {
        (Some(p), _) => p.clone(),
        (None, _) => "Self-pay".to_owned(),
    };
    let options = codes.with_value(|codes| {
        codes
            .iter()
            .filter(|c| c.active)
            .map(|c| (c.code.clone(), format!("{} — {}", c.code, c.description)))
            .collect::<Vec<_>>()
    });
    let suggested = session.suggested_code.clone().unwrap_or_default();
    let err = move |f: &'static str| field_errors(result, f);
    view! {
        <tr data-client=session.client_name.clone() data-session=key>
            {session_cell(&session)}
            <td>{billed_to}</td>
            <td>
                <ActionForm action=create attr:class="charge-form" attr:novalidate="true">
                    <input type="hidden" name="charge[appointment_id]" value=session.appointment_id.to_string()/>
                    <input type="hidden" name="charge[client_id]" value=session.client_id.to_string()/>
                    <div class="form-row">
                        <div class="field">
                            <label for=code_id.clone()>"Code"</label>
                            <select id=code_id name="charge[service_code]" aria-describedby=warn_id.clone()
                                on:change=move |ev| chosen.set(event_target_value(&ev))>
                                // no code fits a session this short: the biller chooses one knowingly
                                {suggested.is_empty().then(|| view! { <option value="" selected=true>"Choose a code"</option> })}
                                {options.into_iter().map(|(value, text)| {
                                    let selected = value == suggested;
                                    view! { <option value=value selected=selected>{text}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field field-narrow">
                            <label for=mod_id.clone()>"Modifiers"</label>
                            <input id=mod_id name="charge[modifiers]" value=if session.telehealth { "95" } else { "" }
                                aria-invalid=move || (!err("modifiers").get().is_empty()).to_string()/>
                        </div>
                        <div class="field field-narrow">
                            <label for=units_id.clone()>"Units"</label>
                            <input id=units_id name="charge[units]" value="1" inputmode="numeric"
                                aria-invalid=move || (!err("units").get().is_empty()).to_string()/>
                        </div>
                        <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                            {move || if create.pending().get() { "Charging…" } else { "Create charge" }}
                        </button>
                    </div>
                    <p id=warn_id class="time-warning" role="status" aria-live="polite">
                        {move || warning.get().map(|w| view! { <span class="notice notice-warning">{w}</span> })}
                    </p>
                    <ActionError error=action_error(result)/>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn BlockedRow(session: BillableSession, changed: RwSignal<usize>) -> impl IntoView {
    let reason = session.blocked.unwrap_or(BlockReason::NoteMissing);
    let mark = ServerAction::<SetSelfPay>::new();
    let marked = successes(mark.value());
    Effect::watch(
        move || marked.get(),
        move |n, _, _| {
            if *n > 0 {
                changed.update(|c| *c += 1);
            }
        },
        false,
    );
    let client = session.client_id;
    let link = match (reason, session.note_id) {
        (BlockReason::NoteUnsigned | BlockReason::AwaitingCosign, Some(note)) => {
            Some((format!("/notes/{note}"), "Open the note"))
        }
        (BlockReason::NoActivePolicy | BlockReason::AuthorizationUsedUp, _) => Some((
            format!("/clients/{client}?tab=insurance"),
            "Open the insurance tab",
        )),
        (BlockReason::NoDiagnosis, _) => Some((
            format!("/clients/{client}?tab=diagnoses"),
            "Open the diagnoses",
        )),
        _ => None,
    };
    view! {
        <tr data-client=session.client_name.clone()>
            {session_cell(&session)}
            <td>
                {reason.label()}
                {link.map(|(href, text)| view! { <div><a href=href>{text}</a></div> })}
            </td>
            <td>
                {reason.who_acts()}
                {(reason == BlockReason::NoActivePolicy).then(|| view! {
                    <div>
                        <button type="button" class="btn btn-small" disabled=move || mark.pending().get()
                            on:click=move |_| { mark.dispatch(SetSelfPay { client, self_pay: true }); }>
                            "Mark self-pay"
                        </button>
                        <ActionError error=action_error(mark.value())/>
                    </div>
                })}
            </td>
        </tr>
    }
    .into_any()
}
