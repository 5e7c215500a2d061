//! The fee schedule: the practice's service codes and default fees, the code each appointment type
//! is billed with, and payers' contracted amounts by date.

use super::payer_rules::PayerRulesCard;
use super::BillingTabs;
use crate::billing::api::{
    load_fee_schedule, AddPayerFee, AddServiceCode, SetCodeFee, SetTypeCode,
};
use crate::billing::types::{FeeSchedule, ServiceCode};
use crate::field_check;
use crate::money::Money;
use crate::ui::feedback::{ActionError, EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    action_error, field_errors, form_error, reset_on_success, successes, CheckField, Field,
    SelectField,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn FeeSchedulePage() -> impl IntoView {
    let add_code = ServerAction::<AddServiceCode>::new();
    let set_fee = ServerAction::<SetCodeFee>::new();
    let set_type = ServerAction::<SetTypeCode>::new();
    let add_fee = ServerAction::<AddPayerFee>::new();
    let (a, b, c, d) = (
        successes(add_code.value()),
        successes(set_fee.value()),
        successes(set_type.value()),
        successes(add_fee.value()),
    );
    let schedule = Resource::new(
        move || (a.get(), b.get(), c.get(), d.get()),
        |_| load_fee_schedule(),
    );
    view! {
        <Title text="Fee schedule · MentalSpace EHR"/>
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/fees"/>
        <Transition fallback=|| view! { <Loading label="Loading the fee schedule…"/> }>
            {move || Suspend::new(async move {
                schedule.await.map(|s| view! { <Schedule schedule=s add_code set_fee set_type add_fee/> })
            })}
        </Transition>
    }
    .into_any()
}

fn minutes(code: &ServiceCode) -> String {
    match (code.min_minutes, code.max_minutes) {
        (Some(min), Some(max)) => format!("{min}–{max} min"),
        (Some(min), None) => format!("{min}+ min"),
        _ => String::new(),
    }
}

#[component]
fn Schedule(
    schedule: FeeSchedule,
    add_code: ServerAction<AddServiceCode>,
    set_fee: ServerAction<SetCodeFee>,
    set_type: ServerAction<SetTypeCode>,
    add_fee: ServerAction<AddPayerFee>,
) -> impl IntoView {
    let code_options: Vec<(String, String)> = schedule
        .codes
        .iter()
        .filter(|c| c.active)
        .map(|c| (c.code.clone(), format!("{} — {}", c.code, c.description)))
        .collect();
    let payers: Vec<(String, String)> = schedule
        .payer_rules
        .iter()
        .map(|p| (p.payer_id.to_string(), p.name.clone()))
        .collect();
    view! {
        <section class="card" aria-labelledby="codes-title">
            <h2 id="codes-title">"Service codes and the practice's fees"</h2>
            <p class="muted">"New charges take the code's fee. Timed codes follow the documented minutes."</p>
            <ActionError error=action_error(set_fee.value())/>
            <table class="table fee-codes">
                <thead><tr><th scope="col">"Code"</th><th scope="col">"Description"</th><th scope="col">"Time"</th><th scope="col">"Fee"</th></tr></thead>
                <tbody>
                    {schedule.codes.iter().map(|c| {
                        let code = c.code.clone();
                        let input_id = format!("fee-{code}");
                        let label = format!("Fee for {code}");
                        let (row_code, cell_code) = (code.clone(), code.clone());
                        let fee = Money(c.default_fee.cents()).to_string();
                        view! {
                            <tr data-code=row_code>
                                <td>{cell_code}{c.add_on.then(|| view! { <span class="badge">"add-on"</span> })}</td>
                                <td>{c.description.clone()}</td>
                                <td>{minutes(c)}</td>
                                <td>
                                    <ActionForm action=set_fee attr:class="inline-form">
                                        <input type="hidden" name="code" value=code/>
                                        <label for=input_id.clone() class="sr-only">{label}</label>
                                        <input id=input_id name="fee" value=fee.trim_start_matches('$').to_owned() inputmode="decimal" size="8"/>
                                        <button type="submit" class="btn btn-small" disabled=move || set_fee.pending().get()>"Save"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <AddCode add_code/>
        </section>
        <section class="card" aria-labelledby="types-title">
            <h2 id="types-title">"Appointment types"</h2>
            <p class="muted">"The code a session of each type is suggested with (timed codes move with the session's length)."</p>
            <ActionError error=action_error(set_type.value())/>
            {if schedule.types.is_empty() {
                view! { <EmptyState>"No appointment types yet."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Type"</th><th scope="col">"Length"</th><th scope="col">"Default code"</th></tr></thead>
                        <tbody>
                            {schedule.types.iter().map(|t| {
                                let id = t.id;
                                let select_id = format!("type-code-{id}");
                                let current = t.service_code.clone().unwrap_or_default();
                                let options = code_options.clone();
                                view! {
                                    <tr>
                                        <td><label for=select_id.clone()>{t.name.clone()}</label></td>
                                        <td>{format!("{} min", t.default_minutes)}</td>
                                        <td>
                                            <select id=select_id on:change=move |ev| {
                                                set_type.dispatch(SetTypeCode { id, code: event_target_value(&ev) });
                                            }>
                                                <option value="" selected=current.is_empty()>"None"</option>
                                                {options.into_iter().map(|(value, text)| {
                                                    let selected = value == current;
                                                    view! { <option value=value selected=selected>{text}</option> }
                                                }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="contracted-title">
            <h2 id="contracted-title">"Payers' contracted amounts"</h2>
            {if schedule.payer_fees.is_empty() {
                view! { <EmptyState>"No contracted amounts yet."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Payer"</th><th scope="col">"Code"</th><th scope="col" class="num">"Amount"</th><th scope="col">"From"</th><th scope="col">"Until"</th></tr></thead>
                        <tbody>
                            {schedule.payer_fees.iter().map(|f| view! {
                                <tr>
                                    <td>{f.payer_name.clone()}</td>
                                    <td>{f.code.clone()}</td>
                                    <td class="num">{f.amount.to_string()}</td>
                                    <td>{f.effective_from.format("%m/%d/%Y").to_string()}</td>
                                    <td>{f.effective_to.map_or_else(|| "—".to_owned(), |d| d.format("%m/%d/%Y").to_string())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <AddPayerFeeForm add_fee payers codes=code_options/>
        </section>
        <PayerRulesCard rules=schedule.payer_rules/>
    }
    .into_any()
}

#[component]
fn AddCode(add_code: ServerAction<AddServiceCode>) -> impl IntoView {
    let result = add_code.value();
    let e = move |f: &'static str| field_errors(result, f);
    let form_ref = reset_on_success(result);
    view! {
        <h3>"Add a code"</h3>
        <ActionForm action=add_code node_ref=form_ref attr:novalidate="true">
            <div class="grid-3">
                <Field label="Code" name="code" prefix="code" validate=field_check!(crate::billing::types::parse_service_code) errors=e("code")/>
                <Field label="Description" name="description" prefix="code" hint="In your own words" errors=e("description")/>
                <Field label="Fee" name="default_fee" prefix="code" validate=field_check!(Money::parse) errors=e("default_fee")/>
            </div>
            <CheckField label="Add-on code (billed with a primary code)" name="add_on" prefix="code" errors=e("add_on")/>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            <button type="submit" class="btn btn-primary" disabled=move || add_code.pending().get()>"Add the code"</button>
        </ActionForm>
    }
}

#[component]
fn AddPayerFeeForm(
    add_fee: ServerAction<AddPayerFee>,
    payers: Vec<(String, String)>,
    codes: Vec<(String, String)>,
) -> impl IntoView {
    let result = add_fee.value();
    let e = move |f: &'static str| field_errors(result, f);
    let form_ref = reset_on_success(result);
    view! {
        <h3>"Add a contracted amount"</h3>
        <ActionForm action=add_fee node_ref=form_ref attr:novalidate="true">
            <div class="grid-3">
                <SelectField label="Payer" name="payer_id" prefix="fee" options=payers empty_label="Choose a payer" errors=e("payer_id")/>
                <SelectField label="Code" name="code" prefix="fee" options=codes empty_label="Choose a code" errors=e("code")/>
                <Field label="Amount" name="amount" prefix="fee" validate=field_check!(Money::parse) errors=e("amount")/>
                <Field label="From" name="effective_from" prefix="fee" kind="date" errors=e("effective_from")/>
                <Field label="Until (optional)" name="effective_to" prefix="fee" kind="date" errors=e("effective_to")/>
            </div>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            <button type="submit" class="btn btn-primary" disabled=move || add_fee.pending().get()>"Add the amount"</button>
        </ActionForm>
    }
}
