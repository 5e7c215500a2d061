//! One staff member's profile: identifiers, supervisor, scheduling defaults, licenses and weekly
//! hours. Admins change it here; the person sees their own.

use crate::codes::{parse_optional_npi, parse_taxonomy};
use crate::error::AppError;
use crate::field_check;
use crate::fields::US_STATES;
use crate::settings::api::location_options;
use crate::staff::api::*;
use crate::staff::types::*;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    choices, field_errors, form_error, reset_on_success, successes, CheckField, Field, SelectField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StaffProfilePage() -> impl IntoView {
    let params = use_params_map();
    let update = ServerAction::<UpdateStaffProfile>::new();
    let add_license = ServerAction::<AddLicense>::new();
    let add_hours = ServerAction::<AddHours>::new();
    let remove_hours = ServerAction::<RemoveHours>::new();
    let update_saved = successes(update.value());
    let add_license_saved = successes(add_license.value());
    let add_hours_saved = successes(add_hours.value());
    let remove_hours_saved = successes(remove_hours.value());
    let profile = Resource::new(
        move || {
            (
                params.with(|p| p.get("id")),
                update_saved.get(),
                add_license_saved.get(),
                add_hours_saved.get(),
                remove_hours_saved.get(),
            )
        },
        |(id, ..)| async move {
            let id = id.and_then(|i| i.parse().ok()).ok_or(AppError::NotFound)?;
            load_staff_profile(id).await
        },
    );
    view! {
        <Transition fallback=|| view! { <Loading label="Loading the profile…"/> }>
            {move || Suspend::new(async move {
                profile.await.map(|p| view! { <Profile p update add_license add_hours remove_hours/> })
            })}
        </Transition>
    }
}

#[component]
fn Profile(
    p: StaffProfile,
    update: ServerAction<UpdateStaffProfile>,
    add_license: ServerAction<AddLicense>,
    add_hours: ServerAction<AddHours>,
    remove_hours: ServerAction<RemoveHours>,
) -> impl IntoView {
    let today = crate::ui::clock::practice_clock()();
    let user_id = p.user_id;
    let can_edit = p.can_edit;
    view! {
        <Title text=format!("{} · Staff", p.display_name)/>
        <h1><span class="swatch" style=format!("background:{}", p.calendar_color) aria-hidden="true"></span>{p.display_name.clone()}</h1>
        <p class="lead">{format!("{} · {}", p.role.label(), p.email)}</p>
        <div class="grid-2">
            <section class="card" aria-labelledby="ids-title">
                <h2 id="ids-title">"Profile"</h2>
                <dl class="facts">
                    <dt>"NPI"</dt><dd>{p.npi.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Taxonomy"</dt><dd>{p.taxonomy_code.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Supervisor"</dt><dd>{p.supervisor_name.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Default session"</dt><dd>{format!("{} minutes", p.default_session_minutes)}</dd>
                    <dt>"Notes need co-signature"</dt><dd>{if p.requires_cosign { "Yes" } else { "No" }}</dd>
                </dl>
                {can_edit.then(|| view! { <ProfileForm p=p.clone() update/> })}
            </section>
            <section class="card" aria-labelledby="licenses-title">
                <h2 id="licenses-title">"Licenses"</h2>
                {if p.licenses.is_empty() {
                    view! { <EmptyState>"No license recorded."</EmptyState> }.into_any()
                } else {
                    view! {
                        <table class="table table-dense">
                            <thead><tr><th scope="col">"License"</th><th scope="col">"Number"</th><th scope="col">"Expires"</th></tr></thead>
                            <tbody>
                                {p.licenses.iter().map(|l| {
                                    let alert = l.alert(today);
                                    view! {
                                        <tr>
                                            <td>{format!("{} ({})", l.license_type, l.state)}</td>
                                            <td>{l.license_number.clone()}</td>
                                            <td>
                                                {l.expires_on.format("%m/%d/%Y").to_string()}
                                                {alert.map(|a| view! { <div class="auth-warning" role="note">"⚠ "{a}</div> })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
                {can_edit.then(|| view! { <LicenseForm user_id add=add_license/> })}
            </section>
        </div>
        <section class="card" aria-labelledby="hours-title">
            <h2 id="hours-title">"Weekly working hours"</h2>
            <crate::ui::feedback::ActionError error=crate::ui::form::action_error(remove_hours.value())/>
            {if p.hours.is_empty() {
                view! { <EmptyState>"No working hours set: bookings will warn that they fall outside them."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table table-dense">
                        <thead><tr>
                            <th scope="col">"Day"</th><th scope="col">"Hours"</th><th scope="col">"Location"</th>
                            {can_edit.then(|| view! { <th scope="col"><span class="sr-only">"Action"</span></th> })}
                        </tr></thead>
                        <tbody>
                            {p.hours.into_iter().map(|h| {
                                let id = h.id;
                                view! {
                                    <tr>
                                        <td>{weekday_name(h.weekday)}</td>
                                        <td>{format!("{} – {}", h.starts_at.format("%H:%M"), h.ends_at.format("%H:%M"))}</td>
                                        <td>{h.location_name.clone()}</td>
                                        {can_edit.then(|| view! {
                                            <td><button type="button" class="btn btn-quiet"
                                                on:click=move |_| { remove_hours.dispatch(RemoveHours { id }); }>"Remove"</button></td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {can_edit.then(|| view! { <HoursForm user_id add=add_hours/> })}
        </section>
    }
}

#[component]
fn ProfileForm(p: StaffProfile, update: ServerAction<UpdateStaffProfile>) -> impl IntoView {
    let result = update.value();
    let supervisors = Resource::new(|| (), |_| supervisor_options());
    let e = move |field: &'static str| field_errors(result, field);
    let prefix = "profile";
    let current_supervisor = p.supervisor_id.map(|s| s.to_string()).unwrap_or_default();
    let me = p.user_id;
    view! {
        <details class="add-contact">
            <summary>"Edit profile"</summary>
            <ActionForm action=update attr:novalidate="true">
                <input type="hidden" name="user_id" value=p.user_id.to_string()/>
                <div class="grid-2">
                    <Field label="NPI" name="npi" prefix=prefix validate=field_check!(parse_optional_npi) value=p.npi.clone().unwrap_or_default() errors=e("npi")/>
                    <Field label="Taxonomy code" name="taxonomy_code" prefix=prefix hint="e.g. 1041C0700X" validate=field_check!(parse_taxonomy)
                        value=p.taxonomy_code.clone().unwrap_or_default() errors=e("taxonomy_code")/>
                    <Suspense fallback=|| view! { <Loading label="Loading supervisors…"/> }>
                        {move || {
                            let current = current_supervisor.clone();
                            Suspend::new(async move {
                                supervisors.await.map(|list| {
                                    let options = list.into_iter().filter(|o| o.id != me)
                                        .map(|o| (o.id.to_string(), o.display_name)).collect::<Vec<_>>();
                                    view! { <SelectField label="Supervisor" name="supervisor_id" prefix=prefix options selected=current empty_label="No supervisor" errors=e("supervisor_id")/> }
                                })
                            })
                        }}
                    </Suspense>
                    <Field label="Default session minutes" name="default_session_minutes" prefix=prefix kind="number" validate=field_check!(parse_session_minutes)
                        value=p.default_session_minutes.to_string() errors=e("default_session_minutes")/>
                    <Field label="Calendar colour" name="calendar_color" prefix=prefix kind="color" value=p.calendar_color.clone() errors=e("calendar_color")/>
                </div>
                <CheckField label="Notes need a supervisor's co-signature" name="requires_cosign" prefix=prefix checked=p.requires_cosign errors=e("requires_cosign")/>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>"Save profile"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn LicenseForm(user_id: crate::ids::UserId, add: ServerAction<AddLicense>) -> impl IntoView {
    let result = add.value();
    let form_ref = reset_on_success(result);
    let e = move |field: &'static str| field_errors(result, field);
    let p = "license";
    view! {
        <details class="add-contact">
            <summary>"Add a license"</summary>
            <ActionForm action=add node_ref=form_ref attr:novalidate="true">
                <input type="hidden" name="user_id" value=user_id.to_string()/>
                <div class="grid-2">
                    <Field label="License type" name="license_type" prefix=p hint="e.g. LCSW, LPC, LMFT, PsyD" validate=field_check!(parse_license_type) errors=e("license_type")/>
                    <Field label="License number" name="license_number" prefix=p validate=field_check!(parse_license_number) errors=e("license_number")/>
                    <SelectField label="Issuing state" name="state" prefix=p options=choices(US_STATES) empty_label="Choose a state" errors=e("state")/>
                    <Field label="Expires on" name="expires_on" prefix=p hint="MM/DD/YYYY" errors=e("expires_on")/>
                </div>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn" disabled=move || add.pending().get()>"Add license"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn HoursForm(user_id: crate::ids::UserId, add: ServerAction<AddHours>) -> impl IntoView {
    let result = add.value();
    let locations = Resource::new(|| (), |_| location_options());
    let e = move |field: &'static str| field_errors(result, field);
    let p = "hours";
    view! {
        <ActionForm action=add attr:class="inline-form" attr:novalidate="true">
            <input type="hidden" name="user_id" value=user_id.to_string()/>
            <Suspense fallback=|| view! { <Loading label="Loading locations…"/> }>
                {move || Suspend::new(async move {
                    locations.await.map(|list| {
                        let options = list.into_iter().map(|l| (l.id.to_string(), l.name)).collect::<Vec<_>>();
                        view! { <SelectField label="Location" name="location_id" prefix=p options empty_label="Choose a location" errors=e("location_id")/> }
                    })
                })}
            </Suspense>
            <SelectField label="Day" name="weekday" prefix=p options=choices(WEEKDAYS) errors=e("weekday")/>
            <Field label="From" name="starts_at" prefix=p kind="time" value="09:00" errors=e("starts_at")/>
            <Field label="Until" name="ends_at" prefix=p kind="time" value="17:00" errors=e("ends_at")/>
            <button type="submit" class="btn" disabled=move || add.pending().get()>"Add hours"</button>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
        </ActionForm>
    }
}
