//! The practice settings page (admin): practice details, locations and rooms, payers.

use crate::clients::types::Payer;
use crate::codes::{
    parse_optional_npi, parse_tax_id, parse_taxonomy, PLACES_OF_SERVICE, US_TIME_ZONES,
};
use crate::documents::types::NoteFormat;
use crate::field_check;
use crate::fields::{format_phone, parse_phone, parse_zip, US_STATES};
use crate::settings::api::*;
use crate::settings::types::*;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    choices, field_errors, form_error, reset_on_success, successes, Field, SelectField,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<UpdatePractice>::new();
    let add_location = ServerAction::<AddLocation>::new();
    let add_room = ServerAction::<AddRoom>::new();
    let add_payer = ServerAction::<AddPayer>::new();
    let payer_active = ServerAction::<SetPayerActive>::new();
    let save_saved = successes(save.value());
    let add_location_saved = successes(add_location.value());
    let add_room_saved = successes(add_room.value());
    let add_payer_saved = successes(add_payer.value());
    let payer_active_saved = successes(payer_active.value());
    let overview = Resource::new(
        move || {
            (
                save_saved.get(),
                add_location_saved.get(),
                add_room_saved.get(),
                add_payer_saved.get(),
                payer_active_saved.get(),
            )
        },
        |_| load_settings(),
    );
    view! {
        <Title text="Practice settings · MentalSpace EHR"/>
        <h1>"Practice settings"</h1>
        <Transition fallback=|| view! { <Loading label="Loading settings…"/> }>
            {move || Suspend::new(async move {
                overview.await.map(|o| view! {
                    <PracticeForm practice=o.practice save/>
                    <BillingIdentityForm billing=o.billing/>
                    <Locations locations=o.locations add_location add_room/>
                    <Payers payers=o.payers add_payer payer_active/>
                })
            })}
        </Transition>
    }
}

#[component]
fn PracticeForm(practice: PracticeSettings, save: ServerAction<UpdatePractice>) -> impl IntoView {
    let result = save.value();
    let e = move |field: &'static str| field_errors(result, field);
    let p = "practice";
    let formats: Vec<(String, String)> = NoteFormat::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), f.label().to_owned()))
        .collect();
    view! {
        <section class="card" aria-labelledby="practice-title">
            <h2 id="practice-title">"Practice"</h2>
            <ActionForm action=save attr:novalidate="true">
                <div class="grid-3">
                    <Field label="Practice name" name="name" prefix=p required=true value=practice.name errors=e("name")/>
                    <SelectField label="Time zone" name="time_zone" prefix=p options=choices(US_TIME_ZONES) selected=practice.time_zone errors=e("time_zone")/>
                    <Field label="Idle minutes before sign-out" name="idle_timeout_minutes" prefix=p kind="number" validate=field_check!(parse_idle_timeout)
                        value=practice.idle_timeout_minutes.to_string() errors=e("idle_timeout_minutes")/>
                    <Field label="Billing NPI" name="billing_npi" prefix=p hint="10 digits (type 2, organization)" validate=field_check!(parse_optional_npi)
                        value=practice.billing_npi.unwrap_or_default() errors=e("billing_npi")/>
                    <Field label="Tax id (EIN)" name="tax_id" prefix=p hint="12-3456789" validate=field_check!(parse_tax_id)
                        value=practice.tax_id.unwrap_or_default() errors=e("tax_id")/>
                </div>
                <h3>"Documentation"</h3>
                <div class="grid-3">
                    <SelectField label="Progress note format" name="default_note_format" prefix=p
                        options=formats
                        selected=practice.default_note_format.as_str().to_owned() errors=e("default_note_format")/>
                    <Field label="Notes due (hours after the session)" name="note_due_hours" prefix=p kind="number" validate=field_check!(parse_note_due_hours)
                        value=practice.note_due_hours.to_string() errors=e("note_due_hours")/>
                    <Field label="Emergency access lasts (minutes)" name="emergency_access_minutes" prefix=p kind="number"
                        hint="How long a clinician may read a chart outside their caseload after breaking the glass."
                        validate=field_check!(parse_emergency_access_minutes)
                        value=practice.emergency_access_minutes.to_string() errors=e("emergency_access_minutes")/>
                </div>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                {move || matches!(result.get(), Some(Ok(()))).then(|| view! { <p class="notice notice-success" role="status">"Saved."</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>"Save practice settings"</button>
            </ActionForm>
        </section>
    }
}

/// The practice as it appears on claims: each part may wait until the first claim, which names
/// whatever is still missing.
#[component]
fn BillingIdentityForm(billing: BillingIdentity) -> impl IntoView {
    let save = ServerAction::<UpdateBillingIdentity>::new();
    let result = save.value();
    let e = move |field: &'static str| field_errors(result, field);
    let p = "billing";
    view! {
        <section class="card" aria-labelledby="billing-identity-title">
            <h2 id="billing-identity-title">"Billing identity on claims"</h2>
            <ActionForm action=save attr:novalidate="true">
                <div class="grid-3">
                    <Field label="Taxonomy code" name="taxonomy" prefix=p hint="NUCC, like 101YM0800X" validate=field_check!(parse_taxonomy)
                        value=billing.taxonomy.unwrap_or_default() errors=e("taxonomy")/>
                    <Field label="Submitter id" name="submitter_id" prefix=p hint="From your clearinghouse" validate=field_check!(parse_submitter_id)
                        value=billing.submitter_id.unwrap_or_default() errors=e("submitter_id")/>
                    <Field label="Billing phone" name="phone" prefix=p kind="tel" validate=field_check!(parse_phone)
                        value=billing.phone.as_deref().map(format_phone).unwrap_or_default() errors=e("phone")/>
                    <Field label="Billing street address" name="address" prefix=p
                        value=billing.address.unwrap_or_default() errors=e("address")/>
                    <Field label="City" name="city" prefix=p value=billing.city.unwrap_or_default() errors=e("city")/>
                    <SelectField label="State" name="state" prefix=p options=choices(US_STATES) empty_label="—"
                        selected=billing.state.unwrap_or_default() errors=e("state")/>
                    <Field label="ZIP+4" name="zip" prefix=p hint="All nine digits, like 60614-2344" validate=field_check!(parse_zip_plus_four)
                        value=billing.zip.unwrap_or_default() errors=e("zip")/>
                </div>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                {move || matches!(result.get(), Some(Ok(()))).then(|| view! { <p class="notice notice-success" role="status">"Saved."</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>"Save billing identity"</button>
            </ActionForm>
        </section>
    }
}

fn pos_label(code: &str) -> &'static str {
    PLACES_OF_SERVICE
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("—", |(_, l)| l)
}

#[component]
fn Locations(
    locations: Vec<Location>,
    add_location: ServerAction<AddLocation>,
    add_room: ServerAction<AddRoom>,
) -> impl IntoView {
    let room_result = add_room.value();
    let options: Vec<(String, String)> = locations
        .iter()
        .filter(|l| l.active)
        .map(|l| (l.id.to_string(), l.name.clone()))
        .collect();
    view! {
        <section class="card" aria-labelledby="locations-title">
            <h2 id="locations-title">"Locations"</h2>
            {if locations.is_empty() {
                view! { <EmptyState>"No locations yet: add the practice's first office."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr>
                            <th scope="col">"Location"</th><th scope="col">"Address"</th><th scope="col">"Phone"</th>
                            <th scope="col">"Place of service"</th><th scope="col">"Rooms"</th>
                        </tr></thead>
                        <tbody>
                            {locations.into_iter().map(|l| view! {
                                <tr class:row-inactive=!l.active>
                                    <td>{l.name.clone()}</td>
                                    <td>{format!("{}{}, {}, {} {}", l.address_line1, l.address_line2.map(|a| format!(", {a}")).unwrap_or_default(), l.city, l.state, l.zip)}</td>
                                    <td>{l.phone.as_deref().map(format_phone).unwrap_or_else(|| "—".into())}</td>
                                    <td>{pos_label(&l.place_of_service)}</td>
                                    <td>{if l.rooms.is_empty() { "—".to_owned() } else { l.rooms.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join(", ") }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(!options.is_empty()).then(|| view! {
                <ActionForm action=add_room attr:class="inline-form" attr:novalidate="true">
                    <SelectField label="Room at" name="location_id" options=options errors=field_errors(room_result, "location_id")/>
                    <Field label="Room name" name="room_name" errors=field_errors(room_result, "room_name")/>
                    <button type="submit" class="btn">"Add room"</button>
                    {move || form_error(room_result).get().map(|error| view! { <ErrorNotice error/> })}
                </ActionForm>
            })}
            <AddLocationForm add=add_location/>
        </section>
    }
}

#[component]
fn AddLocationForm(add: ServerAction<AddLocation>) -> impl IntoView {
    let result = add.value();
    let form_ref = reset_on_success(result);
    let e = move |field: &'static str| field_errors(result, field);
    let p = "location";
    view! {
        <details class="add-contact">
            <summary>"Add a location"</summary>
            <ActionForm action=add node_ref=form_ref attr:novalidate="true">
                <div class="grid-3">
                    <Field label="Location name" name="name" prefix=p required=true errors=e("name")/>
                    <Field label="Street address" name="address_line1" prefix=p required=true errors=e("address_line1")/>
                    <Field label="Suite or floor" name="address_line2" prefix=p errors=e("address_line2")/>
                    <Field label="City" name="city" prefix=p required=true errors=e("city")/>
                    <SelectField label="State" name="state" prefix=p options=choices(US_STATES) empty_label="Choose a state" errors=e("state")/>
                    <Field label="ZIP" name="zip" prefix=p required=true validate=field_check!(parse_zip) errors=e("zip")/>
                    <Field label="Phone" name="phone" prefix=p kind="tel" validate=field_check!(parse_phone) errors=e("phone")/>
                    <SelectField label="Place of service" name="place_of_service" prefix=p options=choices(PLACES_OF_SERVICE) errors=e("place_of_service")/>
                </div>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn btn-primary" disabled=move || add.pending().get()>"Add location"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn Payers(
    payers: Vec<Payer>,
    add_payer: ServerAction<AddPayer>,
    payer_active: ServerAction<SetPayerActive>,
) -> impl IntoView {
    let result = add_payer.value();
    let form_ref = reset_on_success(result);
    view! {
        <section class="card" aria-labelledby="payers-title">
            <h2 id="payers-title">"Payers"</h2>
            <crate::ui::feedback::ActionError error=crate::ui::form::action_error(payer_active.value())/>
            {if payers.is_empty() {
                view! { <EmptyState>"No payers yet: add the insurers the practice bills."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Payer"</th><th scope="col">"Payer id"</th><th scope="col">"Status"</th><th scope="col"><span class="sr-only">"Action"</span></th></tr></thead>
                        <tbody>
                            {payers.into_iter().map(|y| {
                                let (id, active) = (y.id, y.active);
                                view! {
                                    <tr class:row-inactive=!active>
                                        <td>{y.name.clone()}</td>
                                        <td><code>{y.payer_code.clone()}</code></td>
                                        <td>{if active { "On the list" } else { "Retired" }}</td>
                                        <td>
                                            <button type="button" class="btn btn-quiet"
                                                on:click=move |_| { payer_active.dispatch(SetPayerActive { id, active: !active }); }>
                                                {if active { "Retire" } else { "Restore" }}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <ActionForm action=add_payer node_ref=form_ref attr:class="inline-form" attr:novalidate="true">
                <Field label="Payer name" name="payer_name" errors=field_errors(result, "payer_name")/>
                <Field label="Payer id" name="payer_code" hint="Electronic payer id, e.g. 60054" errors=field_errors(result, "payer_code")/>
                <button type="submit" class="btn">"Add payer"</button>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            </ActionForm>
        </section>
    }
}
