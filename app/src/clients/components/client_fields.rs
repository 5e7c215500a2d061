//! The fields of a client record, shared by the new-client and edit forms. Each field checks itself
//! in the browser with the server's parser and shows the server's messages beside it.

use crate::clients::api::clinician_options;
use crate::clients::types::*;
use crate::error::AppError;
use crate::field_check;
use crate::fields::parse_email;
use crate::fields::{
    format_phone, parse_date_of_birth, parse_name, parse_phone, parse_zip, US_STATES,
};
use crate::ui::feedback::Loading;
use crate::ui::form::{choices, CheckField, Field, SelectField};
use leptos::prelude::*;

fn check_email(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        parse_email(v).map(drop)
    }
}
/// The form's values: empty for a new client, the record's for an edit.
#[derive(Debug, Clone, Default)]
struct Values {
    first: String,
    last: String,
    preferred: String,
    dob: String,
    pronouns: String,
    sex: String,
    gender: String,
    mobile: String,
    home: String,
    work: String,
    sms: bool,
    voicemail: bool,
    email: String,
    email_ok: bool,
    line1: String,
    line2: String,
    city: String,
    state: String,
    zip: String,
    contact: String,
    language: String,
    clinician: String,
    referral: String,
}

impl Values {
    fn of(c: &ClientRecord) -> Values {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let phone = |v: &Option<String>| v.as_deref().map(format_phone).unwrap_or_default();
        Values {
            first: c.legal_first_name.clone(),
            last: c.legal_last_name.clone(),
            preferred: text(&c.preferred_name),
            dob: c.date_of_birth.format("%m/%d/%Y").to_string(),
            pronouns: text(&c.pronouns),
            sex: text(&c.sex_assigned_at_birth),
            gender: text(&c.gender_identity),
            mobile: phone(&c.phone_mobile),
            home: phone(&c.phone_home),
            work: phone(&c.phone_work),
            sms: c.sms_consent,
            voicemail: c.voicemail_consent,
            email: text(&c.email),
            email_ok: c.email_consent,
            line1: text(&c.address_line1),
            line2: text(&c.address_line2),
            city: text(&c.city),
            state: text(&c.state),
            zip: text(&c.zip),
            contact: c.preferred_contact.clone(),
            language: c.preferred_language.clone(),
            clinician: c
                .primary_clinician_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            referral: text(&c.referral_source),
        }
    }
}

/// Every field of the record, named `client[...]`. `with_status` adds the initial status (new
/// clients only: later changes go through the status form, which keeps the history).
#[component]
pub fn ClientFields(
    #[prop(optional)] initial: Option<ClientRecord>,
    #[prop(default = false)] with_status: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = initial.as_ref().map(Values::of).unwrap_or_else(|| Values {
        language: "English".into(),
        ..Default::default()
    });
    let clinicians = Resource::new(|| (), |_| clinician_options());
    let e = move |field: &'static str| {
        Signal::derive(move || {
            error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.field_messages(field))
                    .map(<[String]>::to_vec)
                    .unwrap_or_default()
            })
        })
    };
    let p = "client";
    let clinician = v.clinician.clone();
    view! {
        <fieldset class="card">
            <legend>"Identity"</legend>
            <div class="grid-3">
                <Field label="Legal first name" name="legal_first_name" prefix=p required=true validate=field_check!(|v| parse_name(v, "legal first name")) value=v.first errors=e("legal_first_name")/>
                <Field label="Legal last name" name="legal_last_name" prefix=p required=true validate=field_check!(|v| parse_name(v, "legal last name")) value=v.last errors=e("legal_last_name")/>
                <Field label="Preferred name" name="preferred_name" prefix=p value=v.preferred errors=e("preferred_name")/>
                <Field label="Date of birth" name="date_of_birth" prefix=p required=true hint="MM/DD/YYYY" validate=field_check!(|v| parse_date_of_birth(v, crate::ui::clock::rough_today())) value=v.dob errors=e("date_of_birth")/>
                <Field label="Pronouns" name="pronouns" prefix=p value=v.pronouns errors=e("pronouns")/>
                <SelectField label="Sex assigned at birth" name="sex_assigned_at_birth" prefix=p options=choices(SEX_AT_BIRTH) selected=v.sex empty_label="Not recorded" errors=e("sex_assigned_at_birth")/>
                <Field label="Gender identity" name="gender_identity" prefix=p value=v.gender errors=e("gender_identity")/>
            </div>
        </fieldset>
        <fieldset class="card">
            <legend>"Contact"</legend>
            <div class="grid-3">
                <Field label="Mobile phone" name="phone_mobile" kind="tel" prefix=p validate=field_check!(parse_phone) value=v.mobile errors=e("phone_mobile")/>
                <Field label="Home phone" name="phone_home" kind="tel" prefix=p validate=field_check!(parse_phone) value=v.home errors=e("phone_home")/>
                <Field label="Work phone" name="phone_work" kind="tel" prefix=p validate=field_check!(parse_phone) value=v.work errors=e("phone_work")/>
            </div>
            <div class="checks">
                <CheckField label="May receive text messages" name="sms_consent" prefix=p checked=v.sms errors=e("sms_consent")/>
                <CheckField label="May receive voicemail" name="voicemail_consent" prefix=p checked=v.voicemail errors=e("voicemail_consent")/>
            </div>
            <div class="grid-3">
                <Field label="Email" name="email" kind="email" prefix=p validate=check_email value=v.email errors=e("email")/>
            </div>
            <CheckField label="May receive email" name="email_consent" prefix=p checked=v.email_ok errors=e("email_consent")/>
            <div class="grid-3">
                <Field label="Address" name="address_line1" prefix=p value=v.line1 errors=e("address_line1")/>
                <Field label="Address line 2" name="address_line2" prefix=p value=v.line2 errors=e("address_line2")/>
                <Field label="City" name="city" prefix=p value=v.city errors=e("city")/>
                <SelectField label="State" name="state" prefix=p options=choices(US_STATES) selected=v.state empty_label="Choose a state" errors=e("state")/>
                <Field label="ZIP" name="zip" prefix=p validate=field_check!(parse_zip) value=v.zip errors=e("zip")/>
                <SelectField label="Preferred contact" name="preferred_contact" prefix=p options=choices(CONTACT_METHODS) selected=v.contact errors=e("preferred_contact")/>
                <Field label="Preferred language" name="preferred_language" prefix=p value=v.language errors=e("preferred_language")/>
            </div>
        </fieldset>
        <fieldset class="card">
            <legend>"Care"</legend>
            <div class="grid-3">
                {with_status.then(|| view! {
                    <SelectField label="Status" name="status" prefix=p
                        options=ClientStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect()
                        selected="inquiry" errors=e("status")/>
                })}
                <Suspense fallback=|| view! { <Loading label="Loading clinicians…"/> }>
                    {move || {
                        let selected = clinician.clone();
                        Suspend::new(async move {
                            clinicians.await.map(|list| view! {
                                <SelectField label="Primary clinician" name="primary_clinician_id" prefix=p
                                    options=list.into_iter().map(|c| (c.id.to_string(), c.display_name)).collect()
                                    selected empty_label="Not assigned yet" errors=e("primary_clinician_id")/>
                            })
                        })
                    }}
                </Suspense>
                <Field label="Referral source" name="referral_source" prefix=p value=v.referral errors=e("referral_source")/>
            </div>
        </fieldset>
    }
}
