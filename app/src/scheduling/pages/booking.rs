//! The booking side panel: a form prefilled from the calendar (clinician, day, time), with a client
//! type-ahead and the repeat options of a series. Field errors and clashes show in place.

use crate::auth::types::{Role, SessionInfo};
use crate::clients::api::clinician_options;
use crate::scheduling::api::{appointment_types, BookAppointment};
use crate::scheduling::pages::typeahead::ClientTypeahead;
use crate::scheduling::recurrence::REPEAT_CHOICES;
use crate::settings::api::location_options;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{choices, field_errors, form_error, CheckField, Field, SelectField};
use leptos::prelude::*;

/// Where a new appointment starts, as the calendar was clicked.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub clinician_id: String,
    /// `YYYY-MM-DD`
    pub date: String,
    /// `HH:MM`
    pub start_time: String,
}

#[component]
pub fn BookingPanel(
    draft: Draft,
    book: ServerAction<BookAppointment>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let info = expect_context::<SessionInfo>();
    let is_admin = info.user.role == Role::Admin;
    let result = book.value();
    let err = move |f: &'static str| field_errors(result, f);
    // three lists loaded side by side
    let types = Resource::new(|| (), |_| appointment_types());
    let clinicians = Resource::new(|| (), |_| clinician_options());
    let locations = Resource::new(|| (), |_| location_options());
    let repeat = RwSignal::new(String::new());
    view! {
        <aside class="side-panel card" role="dialog" aria-labelledby="booking-title">
            <div class="side-panel-head">
                <h2 id="booking-title">"New appointment"</h2>
                <button type="button" class="btn" aria-label="Close the booking panel" on:click=move |_| on_close.run(())>"✕"</button>
            </div>
            <Suspense fallback=|| view! { <Loading label="Loading the form…"/> }>
                {move || {
                    let draft = draft.clone();
                    Suspend::new(async move {
                        let lists = async { Ok::<_, crate::error::AppError>((types.await?, clinicians.await?, locations.await?)) };
                        lists.await.map(|(types, clinicians, locations)| {
                            let type_options = types.iter().map(|t| (t.id.to_string(), format!("{} ({} min)", t.name, t.default_minutes))).collect::<Vec<_>>();
                            let clinician_choices = clinicians.into_iter().map(|c| (c.id.to_string(), c.display_name)).collect::<Vec<_>>();
                            let location_choices = locations.into_iter().map(|l| (l.id.to_string(), l.name)).collect::<Vec<_>>();
                            let first_location = location_choices.first().map(|l| l.0.clone());
                            view! {
                                <ActionForm action=book attr:novalidate="true" attr:class="booking-form">
                                    <SelectField label="Appointment type" name="appointment_type_id" prefix="booking" options=type_options
                                        empty_label="Choose a type" errors=err("appointment_type_id")/>
                                    <SelectField label="Clinician" name="clinician_id" prefix="booking" options=clinician_choices
                                        selected=draft.clinician_id.clone() empty_label="Choose a clinician" errors=err("clinician_id")/>
                                    <ClientTypeahead name="booking[client_ids]" id="booking-client" errors=err("client_ids")/>
                                    <div class="form-row">
                                        <Field label="Date" name="date" kind="date" prefix="booking" value=draft.date.clone() required=true errors=err("date")/>
                                        <Field label="Start" name="start_time" kind="time" prefix="booking" value=draft.start_time.clone() required=true errors=err("start_time")/>
                                        <Field label="Minutes" name="minutes" prefix="booking" hint="Empty: the type's length" errors=err("minutes")/>
                                    </div>
                                    <SelectField label="Location" name="location_id" prefix="booking" options=location_choices
                                        selected=first_location.unwrap_or_default() empty_label="None (telehealth)" errors=err("location_id")/>
                                    <CheckField label="Telehealth" name="telehealth" prefix="booking" errors=err("telehealth")/>
                                    <Field label="Meeting link" name="meeting_url" kind="url" prefix="booking" errors=err("meeting_url")/>
                                    <Field label="Note for the front desk" name="front_desk_note" prefix="booking" errors=err("front_desk_note")/>
                                    <fieldset class="repeat">
                                        <legend>"Repeat"</legend>
                                        <div class="field">
                                            <label for="field-repeat">"Repeats"</label>
                                            <select id="field-repeat" name="booking[repeat]" on:change=move |ev| repeat.set(event_target_value(&ev))>
                                                {choices(REPEAT_CHOICES).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                                            </select>
                                            {move || err("repeat").get().first().cloned().map(|m| view! { <p class="field-errors">{m}</p> })}
                                        </div>
                                        <Show when=move || !repeat.get().is_empty()>
                                            <div class="form-row">
                                                <Show when=move || repeat.get() == "weekly">
                                                    <Field label="Every (weeks)" name="every" prefix="booking" value="1" errors=err("every")/>
                                                </Show>
                                                <SelectField label="Ends" name="ends" prefix="booking"
                                                    options=choices(&[("count", "After a number of appointments"), ("until", "On a date")]) errors=err("ends")/>
                                                <Field label="Appointments" name="count" prefix="booking" value="10" errors=err("count")/>
                                                <Field label="Last date" name="until" kind="date" prefix="booking" errors=err("until")/>
                                            </div>
                                        </Show>
                                    </fieldset>
                                    {is_admin.then(|| view! {
                                        <CheckField label="Book outside working hours" name="override_hours" prefix="booking" errors=err("override_hours")/>
                                    })}
                                    {move || form_error(result).get().map(|e| view! { <ErrorNotice error=e/> })}
                                    <button type="submit" class="btn btn-primary" disabled=move || book.pending().get()>
                                        {move || if book.pending().get() { "Booking…" } else { "Book" }}
                                    </button>
                                </ActionForm>
                            }
                        })
                    })
                }}
            </Suspense>
        </aside>
    }
    .into_any()
}
