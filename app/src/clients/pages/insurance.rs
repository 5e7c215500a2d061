//! The chart's insurance: policies with their prior authorizations (warnings when few visits or days
//! remain) and, for admin and front desk, forms to add a policy, record an authorization and end a
//! policy.

use crate::clients::api::{client_insurance, payer_options, AddPolicy, AddPriorAuth, EndPolicy};
use crate::clients::types::*;
use crate::field_check;
use crate::fields::{
    label_of, parse_date_of_birth, parse_identifier, parse_optional_date, parse_required_date,
};
use crate::ids::ClientId;
use crate::money::Money;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    choices, field_errors, form_error, reset_on_success, successes, Field, SelectField,
};
use leptos::prelude::*;

fn date(d: chrono::NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

use crate::ui::clock::practice_clock;

#[component]
pub fn InsuranceSection(client_id: ClientId) -> impl IntoView {
    let add_policy = ServerAction::<AddPolicy>::new();
    let add_auth = ServerAction::<AddPriorAuth>::new();
    let end = ServerAction::<EndPolicy>::new();
    let add_policy_saved = successes(add_policy.value());
    let add_auth_saved = successes(add_auth.value());
    let end_saved = successes(end.value());
    let list = Resource::new(
        move || {
            (
                add_policy_saved.get(),
                add_auth_saved.get(),
                end_saved.get(),
            )
        },
        move |_| client_insurance(client_id),
    );
    view! {
        <section class="card" aria-labelledby="insurance-title">
            <h2 id="insurance-title">"Insurance"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading insurance…"/> }>
                {move || Suspend::new(async move {
                    list.await.map(|list| {
                        let active: Vec<(String, String)> = list.policies.iter().filter(|p| p.active)
                            .map(|p| (p.id.to_string(), format!("{} · {}", p.payer_name, label_of(POLICY_PRIORITIES, &p.priority))))
                            .collect();
                        view! {
                            {if list.policies.is_empty() {
                                view! { <EmptyState>"No insurance on file: the client pays privately."</EmptyState> }.into_any()
                            } else {
                                list.policies.into_iter().map(|p| view! { <PolicyCard policy=p can_edit=list.can_edit end/> }).collect_view().into_any()
                            }}
                            {list.can_edit.then(|| view! {
                                <AddPolicyForm client_id add=add_policy/>
                                {(!active.is_empty()).then(|| view! { <AddPriorAuthForm policies=active add=add_auth/> })}
                            })}
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PolicyCard(
    policy: InsurancePolicy,
    can_edit: bool,
    end: ServerAction<EndPolicy>,
) -> impl IntoView {
    let p = policy;
    let today = practice_clock()();
    let subscriber = match (&p.subscriber_name, p.subscriber_dob) {
        (Some(name), Some(dob)) => format!(
            "{name} (born {}), client is {}",
            date(dob),
            label_of(SUBSCRIBER_RELATIONSHIPS, &p.subscriber_relationship).to_lowercase()
        ),
        _ => "The client".to_owned(),
    };
    let coverage = match p.coverage_end {
        Some(e) => format!("{} – {}", date(p.coverage_start), date(e)),
        None => format!("from {}", date(p.coverage_start)),
    };
    let title_id = format!("policy-{}", p.id);
    view! {
        <article class="policy" class:row-inactive=!p.active aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>
                {p.payer_name.clone()}
                <span class="badge">{label_of(POLICY_PRIORITIES, &p.priority)}</span>
                {(!p.active).then(|| view! { <span class="badge badge-muted">"Ended"</span> })}
            </h3>
            <dl class="facts">
                <dt>"Payer id"</dt><dd><code>{p.payer_code.clone()}</code></dd>
                <dt>"Member id"</dt><dd>{p.member_id.clone()}</dd>
                <dt>"Group"</dt><dd>{p.group_number.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Subscriber"</dt><dd>{subscriber}</dd>
                <dt>"Coverage"</dt><dd>{coverage}</dd>
                <dt>"Copay"</dt><dd>{p.copay.to_string()}</dd>
                <dt>"Deductible"</dt><dd>{p.deductible.to_string()}</dd>
            </dl>
            {(!p.prior_auths.is_empty()).then(|| view! {
                <table class="table table-dense">
                    <caption class="muted">"Prior authorizations"</caption>
                    <thead><tr>
                        <th scope="col">"Number"</th><th scope="col">"Dates"</th>
                        <th scope="col">"Visits used"</th><th scope="col">"Attention"</th>
                    </tr></thead>
                    <tbody>
                        {p.prior_auths.into_iter().map(|a| {
                            let warning = a.warning(today);
                            view! {
                                <tr>
                                    <td>{a.auth_number.clone()}</td>
                                    <td>{format!("{} – {}", date(a.start_on), date(a.end_on))}</td>
                                    <td>{format!("{} of {}", a.visits_used, a.visits_authorized)}</td>
                                    <td>{match warning {
                                        Some(w) => view! { <span class="auth-warning" role="note">"⚠ "{w}</span> }.into_any(),
                                        None => view! { <span class="muted">"—"</span> }.into_any(),
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(can_edit && p.active).then(|| view! { <EndPolicyForm id=p.id end/> })}
        </article>
    }
}

#[component]
fn EndPolicyForm(id: crate::ids::PolicyId, end: ServerAction<EndPolicy>) -> impl IntoView {
    let result = end.value();
    let input_id = format!("end-{id}");
    view! {
        <details class="add-contact">
            <summary>"End this policy"</summary>
            <ActionForm action=end attr:class="inline-form" attr:novalidate="true">
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for=input_id.clone()>"Last day of coverage"</label>
                    <input id=input_id name="end_on" type="text" placeholder="MM/DD/YYYY"/>
                    {move || field_errors(result, "end_on").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="btn">"End policy"</button>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            </ActionForm>
        </details>
    }
}

fn check_group(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        parse_identifier(v, "group number", 1).map(drop)
    }
}
fn check_dob(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        parse_date_of_birth(v, crate::ui::clock::rough_today()).map(drop)
    }
}
#[component]
fn AddPolicyForm(client_id: ClientId, add: ServerAction<AddPolicy>) -> impl IntoView {
    let result = add.value();
    let form_ref = reset_on_success(result);
    let payers = Resource::new(|| (), |_| payer_options());
    let e = move |field: &'static str| field_errors(result, field);
    let p = "policy";
    view! {
        <details class="add-contact">
            <summary>"Add a policy"</summary>
            <ActionForm action=add node_ref=form_ref attr:novalidate="true">
                <input type="hidden" name="client_id" value=client_id.to_string()/>
                <div class="grid-3">
                    <Suspense fallback=|| view! { <Loading label="Loading payers…"/> }>
                        {move || Suspend::new(async move {
                            payers.await.map(|list| {
                                let options = list.into_iter().map(|y| (y.id.to_string(), format!("{} ({})", y.name, y.payer_code))).collect::<Vec<_>>();
                                view! { <SelectField label="Payer" name="payer_id" prefix=p options empty_label="Choose a payer" errors=e("payer_id")/> }
                            })
                        })}
                    </Suspense>
                    <SelectField label="Priority" name="priority" prefix=p options=choices(POLICY_PRIORITIES) errors=e("priority")/>
                    <Field label="Member id" name="member_id" prefix=p required=true validate=field_check!(|v| parse_identifier(v, "member id", 2)) errors=e("member_id")/>
                    <Field label="Group number" name="group_number" prefix=p validate=check_group errors=e("group_number")/>
                    <SelectField label="Client's relationship to subscriber" name="subscriber_relationship" prefix=p options=choices(SUBSCRIBER_RELATIONSHIPS) errors=e("subscriber_relationship")/>
                    <Field label="Subscriber name" name="subscriber_name" prefix=p hint="When the client is not the subscriber" errors=e("subscriber_name")/>
                    <Field label="Subscriber date of birth" name="subscriber_dob" prefix=p hint="MM/DD/YYYY" validate=check_dob errors=e("subscriber_dob")/>
                    <Field label="Coverage starts" name="coverage_start" prefix=p required=true hint="MM/DD/YYYY" validate=field_check!(|v| parse_required_date(v, "date coverage starts")) errors=e("coverage_start")/>
                    <Field label="Coverage ends" name="coverage_end" prefix=p hint="MM/DD/YYYY, if known" validate=field_check!(parse_optional_date) errors=e("coverage_end")/>
                    <Field label="Copay" name="copay" prefix=p hint="Dollars, e.g. 25.00" validate=field_check!(Money::parse_or_zero) errors=e("copay")/>
                    <Field label="Deductible" name="deductible" prefix=p hint="Dollars, e.g. 500.00" validate=field_check!(Money::parse_or_zero) errors=e("deductible")/>
                </div>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn btn-primary" disabled=move || add.pending().get()>"Add policy"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AddPriorAuthForm(
    policies: Vec<(String, String)>,
    add: ServerAction<AddPriorAuth>,
) -> impl IntoView {
    let result = add.value();
    let form_ref = reset_on_success(result);
    let e = move |field: &'static str| field_errors(result, field);
    let p = "auth";
    view! {
        <details class="add-contact">
            <summary>"Record a prior authorization"</summary>
            <ActionForm action=add node_ref=form_ref attr:novalidate="true">
                <div class="grid-3">
                    <SelectField label="Policy" name="policy_id" options=policies errors=e("policy_id")/>
                    <Field label="Authorization number" name="auth_number" prefix=p required=true validate=field_check!(|v| parse_identifier(v, "authorization number", 3)) errors=e("auth_number")/>
                    <Field label="Visits authorized" name="visits_authorized" prefix=p kind="number" required=true validate=field_check!(|v| parse_visits(v, "number of visits")) errors=e("visits_authorized")/>
                    <Field label="Visits already used" name="visits_used" prefix=p kind="number" value="0" errors=e("visits_used")/>
                    <Field label="Authorized from" name="start_on" prefix=p required=true hint="MM/DD/YYYY" validate=field_check!(parse_optional_date) errors=e("start_on")/>
                    <Field label="Authorized until" name="end_on" prefix=p required=true hint="MM/DD/YYYY" validate=field_check!(parse_optional_date) errors=e("end_on")/>
                </div>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn" disabled=move || add.pending().get()>"Record authorization"</button>
            </ActionForm>
        </details>
    }
}
