//! One remittance as a person reads it: who paid what for which session, each adjustment in words,
//! and what was not posted and why.

use super::BillingTabs;
use crate::billing::api::load_era;
use crate::billing::types::{AdjustmentView, EraClaimView, EraDetail};
use crate::ui::feedback::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EraPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let era = Resource::new(
        move || params.with(|p| p.get("id")),
        |id| async move {
            let id = id
                .and_then(|i| i.parse().ok())
                .ok_or(crate::error::AppError::NotFound)?;
            load_era(id).await
        },
    );
    let banner = move || {
        query.with(|q| {
            if q.get("duplicate").is_some() {
                Some((
                    "notice notice-warning",
                    "This remittance was imported before: nothing was posted again.",
                ))
            } else if q.get("imported").is_some() {
                Some((
                    "notice notice-success",
                    "The remittance is imported and posted.",
                ))
            } else {
                None
            }
        })
    };
    view! {
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/payments"/>
        {move || banner().map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
        <Transition fallback=|| view! { <Loading label="Opening the remittance…"/> }>
            {move || Suspend::new(async move {
                era.await.map(|e| view! { <Era era=e/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Era(era: EraDetail) -> impl IntoView {
    let s = era.summary;
    view! {
        <Title text=format!("Remittance {} · MentalSpace EHR", s.trace_number)/>
        <section class="card" aria-labelledby="era-title">
            <h2 id="era-title">{format!("Remittance {} from {}", s.trace_number, s.payer_name)}</h2>
            <dl class="facts">
                <dt>"Payment"</dt><dd>{format!("{} by {} on {}", s.payment, s.payment_method, s.payment_date.format("%m/%d/%Y"))}</dd>
                <dt>"Posted to charges"</dt><dd>{s.posted.to_string()}</dd>
                <dt>"Claims"</dt><dd>{format!("{} ({} not posted)", s.claim_count, s.unmatched_count)}</dd>
            </dl>
            {(!era.provider_adjustments.is_empty()).then(|| view! {
                <h3>"Provider-level adjustments"</h3>
                <ul>
                    {era.provider_adjustments.iter().map(|p| view! {
                        <li>{format!("{} {} — {} {}", p.reason, p.reference, p.amount, if p.amount.cents() > 0 { "withheld" } else { "added" })}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
        {era.claims.into_iter().map(|c| view! { <EraClaim claim=c/> }).collect_view()}
    }
    .into_any()
}

fn adjustment_list(adjustments: &[AdjustmentView]) -> impl IntoView {
    (!adjustments.is_empty()).then(|| {
        view! {
            <ul class="adjustments">
                {adjustments.iter().map(|a| view! {
                    <li>{format!("{} — {} ({})", a.amount, a.words, crate::billing::reasons::group_words(&a.group))}</li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn EraClaim(claim: EraClaimView) -> impl IntoView {
    let heading_id = format!("era-claim-{}", claim.id);
    let who = claim
        .client_name
        .clone()
        .unwrap_or_else(|| "Unknown patient".into());
    view! {
        <section class="card era-claim" class:era-denied=claim.denied aria-labelledby=heading_id.clone() data-claim=claim.patient_control_number.clone()>
            <div class="card-head">
                <h3 id=heading_id.clone()>
                    {match claim.claim_id {
                        Some(id) => view! { <a href=format!("/billing/claims/{id}")>{format!("Claim {}", claim.patient_control_number)}</a> }.into_any(),
                        None => view! { <span>{format!("Claim {}", claim.patient_control_number)}</span> }.into_any(),
                    }}
                    {format!(" · {who}")}
                </h3>
                <span class="badge" class:badge-danger=claim.denied>{claim.status.clone()}</span>
            </div>
            <p>{format!("Charged {}, paid {}, client's share {}.", claim.charge, claim.paid, claim.client_share)}</p>
            {claim.reversed.then(|| view! { <p class="notice notice-warning">"A later remittance reversed this payment."</p> })}
            {claim.unmatched_reason.clone().map(|r| view! { <p class="notice notice-warning">{format!("Not posted: {r}")}</p> })}
            {claim.resolution.clone().map(|r| view! { <p class="muted">{format!("Resolved: {r}")}</p> })}
            {adjustment_list(&claim.adjustments)}
            {claim.remarks.iter().map(|r| view! { <p class="muted small">{r.clone()}</p> }).collect_view()}
            {claim.client_id.map(|id| view! { <p><a href=format!("/billing/clients/{id}")>"The client's ledger"</a></p> })}
            {(!claim.lines.is_empty()).then(|| view! {
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Date"</th><th scope="col">"Code"</th><th scope="col" class="num">"Units"</th>
                        <th scope="col" class="num">"Charged"</th><th scope="col" class="num">"Paid"</th><th scope="col">"Adjustments"</th>
                    </tr></thead>
                    <tbody>
                        {claim.lines.iter().map(|l| view! {
                            <tr>
                                <td>{l.service_date.map(|d| d.format("%m/%d/%Y").to_string()).unwrap_or_default()}</td>
                                <td>{format!("{} {}", l.procedure_code, l.modifiers.join(" "))}</td>
                                <td class="num">{l.units}</td>
                                <td class="num">{l.charge.to_string()}</td>
                                <td class="num">{l.paid.to_string()}</td>
                                <td>
                                    {adjustment_list(&l.adjustments)}
                                    {l.remarks.iter().map(|r| view! { <div class="muted small">{r.clone()}</div> }).collect_view()}
                                    {l.unmatched_reason.clone().filter(|_| !claim.reversed).map(|r| view! { <div class="text-warning small">{r}</div> })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
