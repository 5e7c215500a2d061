//! The waitlist page (front desk and admin): who is waiting, for what, and for how long; add a client
//! with their preferences or take them off. Offering a freed time happens from the appointment's
//! panel on the calendar, where the matches for that time are ranked.

use crate::clients::api::clinician_options;
use crate::scheduling::api::{load_waitlist, AddToWaitlist, WithdrawFromWaitlist};
use crate::scheduling::pages::typeahead::ClientTypeahead;
use crate::scheduling::waitlist::{WaitlistEntry, MODALITIES, URGENCIES};
use crate::staff::types::WEEKDAYS;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    choices, field_errors, form_error, reset_on_success, successes, Field, SelectField,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WaitlistPage() -> impl IntoView {
    let add = ServerAction::<AddToWaitlist>::new();
    let withdraw = ServerAction::<WithdrawFromWaitlist>::new();
    let added = successes(add.value());
    let withdrawn = successes(withdraw.value());
    let entries = Resource::new(move || (added.get(), withdrawn.get()), |_| load_waitlist());
    view! {
        <Title text="Waitlist · MentalSpace EHR"/>
        <h1>"Waitlist"</h1>
        <p class="muted">"When an appointment is cancelled, open it on the calendar: the clients who fit that time are listed there, best first, and can be offered it in one step."</p>
        <div class="grid-2 grid-wide-left">
            <section class="card" aria-labelledby="waiting-title">
                <h2 id="waiting-title">"Waiting"</h2>
                {move || withdraw.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                <Transition fallback=|| view! { <Loading label="Loading the waitlist…"/> }>
                    {move || Suspend::new(async move {
                        entries.await.map(|list| {
                            if list.is_empty() {
                                return view! { <EmptyState>"No one is waiting. Add a client with the form."</EmptyState> }.into_any();
                            }
                            view! { <WaitlistTable list withdraw/> }.into_any()
                        })
                    })}
                </Transition>
            </section>
            <AddForm add added/>
        </div>
    }
    .into_any()
}

#[component]
fn WaitlistTable(
    list: Vec<WaitlistEntry>,
    withdraw: ServerAction<WithdrawFromWaitlist>,
) -> impl IntoView {
    let count = list.len();
    view! {
        <p class="muted" role="status">{format!("{count} waiting, most urgent first, then longest waiting.")}</p>
        <table class="table waitlist-table">
            <thead>
                <tr>
                    <th scope="col">"Client"</th>
                    <th scope="col">"Urgency"</th>
                    <th scope="col">"Clinician"</th>
                    <th scope="col">"When"</th>
                    <th scope="col">"Waiting"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|entry| view! { <WaitlistRow entry withdraw/> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn WaitlistRow(
    entry: WaitlistEntry,
    withdraw: ServerAction<WithdrawFromWaitlist>,
) -> impl IntoView {
    let id = entry.id;
    let modality = MODALITIES
        .iter()
        .find(|(v, _)| *v == entry.modality)
        .map_or("", |(_, l)| l);
    let waited = match entry.days_waiting {
        0 => "Added today".to_owned(),
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    };
    let urgency_class = format!("urgency urgency-{}", entry.urgency);
    view! {
        <tr data-client=entry.client_name.clone()>
            <td>
                <a href=format!("/clients/{}", entry.client_id)>{entry.client_name.clone()}</a>
                {entry.note.clone().map(|n| view! { <div class="muted small">{n}</div> })}
                {entry.offered_until.clone().map(|t| view! { <div class="badge">{format!("Offered a time, held until {t}")}</div> })}
            </td>
            <td><span class=urgency_class>{entry.urgency_label()}</span></td>
            <td>{entry.clinician_name.clone().unwrap_or_else(|| "Any clinician".into())}</td>
            <td>{entry.days_label()}<div class="muted small">{entry.hours.clone()}" · "{modality}</div></td>
            <td>{waited}</td>
            <td>
                <button type="button" class="btn btn-small" aria-label=format!("Take {} off the waitlist", entry.client_name)
                    disabled=move || withdraw.pending().get()
                    on:click=move |_| { withdraw.dispatch(WithdrawFromWaitlist { entry: id }); }>
                    "Take off"
                </button>
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn AddForm(add: ServerAction<AddToWaitlist>, added: Signal<usize>) -> impl IntoView {
    let result = add.value();
    let err = move |f: &'static str| field_errors(result, f);
    let form_ref = reset_on_success(result);
    let clinicians = Resource::new(|| (), |_| clinician_options());
    // the chosen weekdays travel as one "1,3,5" field
    let days = RwSignal::new(Vec::<String>::new());
    Effect::watch(
        move || added.get(),
        move |_, _, _| days.set(Vec::new()),
        false,
    );
    view! {
        <section class="card" aria-labelledby="add-title">
            <h2 id="add-title">"Add to the waitlist"</h2>
            {move || result.get().and_then(Result::ok).map(|_| view! { <p class="notice notice-success" role="status">"Added to the waitlist."</p> })}
            <ActionForm action=add node_ref=form_ref attr:novalidate="true">
                <ClientTypeahead name="entry[client_id]" id="waitlist-client" errors=err("client_id") reset=added/>
                <Transition fallback=|| view! { <Loading label="Loading clinicians…"/> }>
                    {move || Suspend::new(async move {
                        clinicians.await.map(|list| {
                            let options = list.into_iter().map(|c| (c.id.to_string(), c.display_name)).collect::<Vec<_>>();
                            view! {
                                <SelectField label="Clinician" name="clinician_id" prefix="entry" options
                                    empty_label="Any clinician" errors=err("clinician_id")/>
                            }
                        })
                    })}
                </Transition>
                <fieldset class="weekdays" aria-describedby="weekdays-hint">
                    <legend>"Days"</legend>
                    <p class="field-hint" id="weekdays-hint">"None ticked: any day."</p>
                    <input type="hidden" name="entry[weekdays]" prop:value=move || days.get().join(",")/>
                    {WEEKDAYS.iter().map(|(value, label)| {
                        let value = value.to_string();
                        let id = format!("waitlist-day-{value}");
                        let ticked = value.clone();
                        view! {
                            <span class="day-choice">
                                <input type="checkbox" id=id.clone() prop:checked=move || days.with(|d| d.contains(&ticked))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        days.update(|d| {
                                            d.retain(|x| *x != value);
                                            if on { d.push(value.clone()); }
                                        });
                                    }/>
                                <label for=id>{&label[..3]}</label>
                            </span>
                        }
                    }).collect_view()}
                    {move || err("weekdays").get().first().cloned().map(|m| view! { <p class="field-errors">{m}</p> })}
                </fieldset>
                <div class="form-row">
                    <Field label="Earliest" name="earliest" kind="time" prefix="entry" value="08:00" errors=err("earliest")/>
                    <Field label="Latest" name="latest" kind="time" prefix="entry" value="20:00" errors=err("latest")/>
                </div>
                <SelectField label="In person or telehealth" name="modality" prefix="entry" options=choices(MODALITIES) errors=err("modality")/>
                <SelectField label="Urgency" name="urgency" prefix="entry" options=choices(URGENCIES) errors=err("urgency")/>
                <Field label="Note" name="note" prefix="entry" hint="Seen by the front desk; no clinical details." errors=err("note")/>
                {move || form_error(result).get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="btn btn-primary" disabled=move || add.pending().get()>
                    {move || if add.pending().get() { "Adding…" } else { "Add to the waitlist" }}
                </button>
            </ActionForm>
        </section>
    }
    .into_any()
}
