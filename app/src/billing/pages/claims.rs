//! Claims: status at a glance, filters, totals; building draft claims from the open charges.

use super::{dollars, BillingTabs};
use crate::billing::api::{load_claims, BuildClaims};
use crate::billing::types::{ClaimStatus, ClaimSummary};
use crate::ui::feedback::{ActionError, EmptyState, Loading};
use crate::ui::form::{action_error, successes};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ClaimsPage() -> impl IntoView {
    let build = ServerAction::<BuildClaims>::new();
    let built = successes(build.value());
    // the receivables page links here with a status or a payer already chosen
    let query = leptos_router::hooks::use_query_map();
    let asked = query
        .with_untracked(|q| q.get("status"))
        .unwrap_or_default();
    let payer = Memo::new(move |_| query.with(|q| q.get("payer_id")).unwrap_or_default());
    let status = RwSignal::new(asked.clone());
    let claims = Resource::new(
        move || (status.get(), payer.get(), built.get()),
        |(status, payer, _)| load_claims(status, payer),
    );
    view! {
        <Title text="Claims · MentalSpace EHR"/>
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/claims"/>
        <section class="card" aria-labelledby="claims-title">
            <div class="card-head">
                <h2 id="claims-title">"Claims"</h2>
                <button type="button" class="btn btn-primary" disabled=move || build.pending().get()
                    on:click=move |_| { build.dispatch(BuildClaims {}); }>
                    {move || if build.pending().get() { "Building…" } else { "Build claims from open charges" }}
                </button>
            </div>
            {move || build.value().get().and_then(Result::ok).map(|b| view! {
                <p class="notice notice-success" role="status">
                    {match b.claims {
                        0 => "Every insurance charge is already on a claim.".to_owned(),
                        1 => format!("1 draft claim made from {} charges.", b.lines),
                        n => format!("{n} draft claims made from {} charges.", b.lines),
                    }}
                </p>
            })}
            <ActionError error=action_error(build.value())/>
            <div class="field field-inline">
                <label for="claims-status">"Status"</label>
                <select id="claims-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {ClaimStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s.as_str() == asked>{s.label()}</option> }).collect_view()}
                </select>
                {move || (!payer.get().is_empty()).then(|| view! { <a href="/billing/claims">"Show every payer"</a> })}
            </div>
            <Transition fallback=|| view! { <Loading label="Loading claims…"/> }>
                {move || Suspend::new(async move {
                    claims.await.map(|list| {
                        if list.is_empty() {
                            return view! { <EmptyState>"No claims here. Charge sessions on Ready to bill, then build claims."</EmptyState> }.into_any();
                        }
                        view! { <ClaimsTable list/> }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn ClaimsTable(list: Vec<ClaimSummary>) -> impl IntoView {
    let total: i64 = list.iter().map(|c| c.total_cents).sum();
    let mut counts: Vec<(ClaimStatus, usize)> = ClaimStatus::ALL
        .into_iter()
        .map(|s| (s, list.iter().filter(|c| c.status == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    counts.sort_by_key(|(s, _)| ClaimStatus::ALL.iter().position(|x| x == s));
    let count = list.len();
    view! {
        <ul class="status-chips" aria-label="Claims by status">
            {counts.into_iter().map(|(s, n)| view! {
                <li class=format!("chip claim-status-{}", s.as_str())>{format!("{} {n}", s.label())}</li>
            }).collect_view()}
        </ul>
        <table class="table claims-table">
            <thead>
                <tr>
                    <th scope="col">"Claim"</th>
                    <th scope="col">"Client"</th>
                    <th scope="col">"Payer"</th>
                    <th scope="col">"Service dates"</th>
                    <th scope="col" class="num">"Lines"</th>
                    <th scope="col" class="num">"Total"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|c| {
                    let dates = if c.first_service_date == c.last_service_date {
                        c.first_service_date.format("%m/%d/%Y").to_string()
                    } else {
                        format!("{} – {}", c.first_service_date.format("%m/%d/%Y"), c.last_service_date.format("%m/%d/%Y"))
                    };
                    view! {
                        <tr data-claim=c.claim_number.clone()>
                            <td><a href=format!("/billing/claims/{}", c.id)>{c.claim_number.clone()}</a></td>
                            <td>{c.client_name.clone()}</td>
                            <td>{c.payer_name.clone()}</td>
                            <td>{dates}</td>
                            <td class="num">{c.line_count}</td>
                            <td class="num">{dollars(c.total_cents)}</td>
                            <td><span class=format!("badge claim-status-{}", c.status.as_str())>{c.status.label()}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="5">{format!("{count} claims")}</th>
                    <td class="num">{dollars(total)}</td>
                    <td></td>
                </tr>
            </tfoot>
        </table>
    }
    .into_any()
}
