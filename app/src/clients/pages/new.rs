use crate::auth::types::parse_email;
use crate::clients::api::{clinician_options, CreateClient};
use crate::clients::types::*;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{choices as pairs, field_errors, form_error, CheckField, Field, SelectField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

// Browser-side checks: the same parsers the server runs.
fn check_first(v: &str) -> Result<(), String> {
    parse_name(v, "legal first name").map(drop)
}
fn check_last(v: &str) -> Result<(), String> {
    parse_name(v, "legal last name").map(drop)
}
fn check_dob(v: &str) -> Result<(), String> {
    parse_date_of_birth(v, today_in_browser()).map(drop)
}
fn check_phone(v: &str) -> Result<(), String> {
    parse_phone(v).map(drop)
}
fn check_email(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        parse_email(v).map(drop)
    }
}
fn check_zip(v: &str) -> Result<(), String> {
    parse_zip(v).map(drop)
}

/// The person's own calendar date (the browser's time zone).
fn today_in_browser() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[component]
pub fn NewClientPage() -> impl IntoView {
    let create = ServerAction::<CreateClient>::new();
    let result = create.value();
    let clinicians = Resource::new(|| (), |_| clinician_options());
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = result.get() {
            navigate(&format!("/clients/{id}"), Default::default());
        }
    });
    let e = move |field: &'static str| field_errors(result, field);
    let p = "client";

    view! {
        <Title text="New client · MentalSpace EHR"/>
        <h1>"New client"</h1>
        <ActionForm action=create attr:novalidate="true" attr:class="client-form">
            <fieldset class="card">
                <legend>"Identity"</legend>
                <div class="grid-3">
                    <Field label="Legal first name" name="legal_first_name" prefix=p required=true validate=check_first errors=e("legal_first_name")/>
                    <Field label="Legal last name" name="legal_last_name" prefix=p required=true validate=check_last errors=e("legal_last_name")/>
                    <Field label="Preferred name" name="preferred_name" prefix=p errors=e("preferred_name")/>
                    <Field label="Date of birth" name="date_of_birth" prefix=p required=true hint="MM/DD/YYYY" validate=check_dob errors=e("date_of_birth")/>
                    <Field label="Pronouns" name="pronouns" prefix=p errors=e("pronouns")/>
                    <SelectField label="Sex assigned at birth" name="sex_assigned_at_birth" prefix=p options=pairs(SEX_AT_BIRTH) empty_label="Not recorded" errors=e("sex_assigned_at_birth")/>
                    <Field label="Gender identity" name="gender_identity" prefix=p errors=e("gender_identity")/>
                </div>
            </fieldset>
            <fieldset class="card">
                <legend>"Contact"</legend>
                <div class="grid-3">
                    <Field label="Mobile phone" name="phone_mobile" kind="tel" prefix=p validate=check_phone errors=e("phone_mobile")/>
                    <Field label="Home phone" name="phone_home" kind="tel" prefix=p validate=check_phone errors=e("phone_home")/>
                    <Field label="Work phone" name="phone_work" kind="tel" prefix=p validate=check_phone errors=e("phone_work")/>
                </div>
                <div class="checks">
                    <CheckField label="May receive text messages" name="sms_consent" prefix=p errors=e("sms_consent")/>
                    <CheckField label="May receive voicemail" name="voicemail_consent" prefix=p errors=e("voicemail_consent")/>
                </div>
                <div class="grid-3">
                    <Field label="Email" name="email" kind="email" prefix=p validate=check_email errors=e("email")/>
                </div>
                <CheckField label="May receive email" name="email_consent" prefix=p errors=e("email_consent")/>
                <div class="grid-3">
                    <Field label="Address" name="address_line1" prefix=p errors=e("address_line1")/>
                    <Field label="Address line 2" name="address_line2" prefix=p errors=e("address_line2")/>
                    <Field label="City" name="city" prefix=p errors=e("city")/>
                    <SelectField label="State" name="state" prefix=p options=pairs(US_STATES) empty_label="Choose a state" errors=e("state")/>
                    <Field label="ZIP" name="zip" prefix=p validate=check_zip errors=e("zip")/>
                    <SelectField label="Preferred contact" name="preferred_contact" prefix=p options=pairs(CONTACT_METHODS) errors=e("preferred_contact")/>
                    <Field label="Preferred language" name="preferred_language" prefix=p value="English" errors=e("preferred_language")/>
                </div>
            </fieldset>
            <fieldset class="card">
                <legend>"Care"</legend>
                <div class="grid-3">
                    <SelectField label="Status" name="status" prefix=p
                        options=ClientStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect()
                        selected="inquiry" errors=e("status")/>
                    <Suspense fallback=|| view! { <Loading label="Loading clinicians…"/> }>
                        {move || Suspend::new(async move {
                            clinicians.await.map(|list| view! {
                                <SelectField label="Primary clinician" name="primary_clinician_id" prefix="client"
                                    options=list.into_iter().map(|c| (c.id.to_string(), c.display_name)).collect()
                                    empty_label="Not assigned yet" errors=field_errors(result, "primary_clinician_id")/>
                            })
                        })}
                    </Suspense>
                    <Field label="Referral source" name="referral_source" prefix=p errors=e("referral_source")/>
                </div>
            </fieldset>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            {move || matches!(result.get(), Some(Err(crate::error::AppError::Validation { .. }))).then(|| view! {
                <div class="notice notice-error" role="alert">"Please correct the highlighted fields."</div>
            })}
            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Create client"</button>
        </ActionForm>
    }
}
