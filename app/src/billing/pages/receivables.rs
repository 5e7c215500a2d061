//! Receivables: what payers and clients owe by age (a stacked bar per payer, and the tables behind
//! it), unbilled sessions, open denials by reason, this month's money, and each remittance reconciled.

use super::BillingTabs;
use crate::billing::api::load_receivables;
use crate::billing::types::{AgingRow, Receivables, AGING_BUCKETS};
use crate::money::Money;
use crate::ui::feedback::{EmptyState, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_receivables());
    view! {
        <Title text="Receivables · MentalSpace EHR"/>
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/receivables"/>
        <Transition fallback=|| view! { <Loading label="Adding up what is owed…"/> }>
            {move || Suspend::new(async move { data.await.map(|r| view! { <Overview r/> }) })}
        </Transition>
    }
    .into_any()
}

fn total(buckets: &[Money; 5]) -> Money {
    Money(buckets.iter().map(|m| m.cents()).sum())
}

#[component]
fn Overview(r: Receivables) -> impl IntoView {
    let insurance = total(&r.payer_totals);
    let clients = total(&r.client_totals);
    let unbilled: i64 = r.unbilled.counts.iter().sum();
    view! {
        <section class="card" aria-labelledby="money-title">
            <h2 id="money-title">{format!("As of {}", r.as_of.format("%B %-d, %Y"))}</h2>
            <dl class="facts totals">
                <dt>"Insurers owe"</dt><dd><a href="#by-payer-title">{insurance.to_string()}</a></dd>
                <dt>"Clients owe"</dt><dd><a href="#by-client-title">{format!("{} ({} clients)", clients, r.clients_owing)}</a></dd>
                <dt>"Credit on accounts"</dt><dd>{r.credit_on_accounts.to_string()}</dd>
                <dt>"Paid this month"</dt><dd>{format!("{} by insurers, {} by clients", r.insurance_paid_this_month, r.client_paid_this_month)}</dd>
                <dt>"Unbilled sessions"</dt><dd><a href="/billing">{unbilled}</a></dd>
            </dl>
            <AgingBar buckets=r.payer_totals label="Insurance balance by age"/>
            <AgingBar buckets=r.client_totals label="Client balance by age"/>
        </section>
        <section class="card" aria-labelledby="by-payer-title">
            <h2 id="by-payer-title">"Insurance aging by payer"</h2>
            <AgingTable rows=r.by_payer.clone() totals=r.payer_totals link=|id| format!("/billing/claims?payer_id={id}") empty="No insurer owes anything."/>
        </section>
        <section class="card" aria-labelledby="by-client-title">
            <h2 id="by-client-title">"Client aging"</h2>
            {(r.clients_owing > r.by_client.len() as i64).then(|| view! {
                <p class="muted">{format!("The {} clients who owe most; the totals count all {}.", r.by_client.len(), r.clients_owing)}</p>
            })}
            <AgingTable rows=r.by_client.clone() totals=r.client_totals link=|id| format!("/billing/clients/{id}") empty="No client owes anything."/>
        </section>
        <section class="card" aria-labelledby="unbilled-title">
            <h2 id="unbilled-title">"Unbilled sessions by age"</h2>
            <p class="muted">"Completed sessions of the last 180 days with no charge yet."</p>
            <table class="table">
                <thead><tr>{AGING_BUCKETS.iter().map(|b| view! { <th scope="col" class="num">{*b}</th> }).collect_view()}</tr></thead>
                <tbody><tr>{r.unbilled.counts.iter().map(|c| view! { <td class="num"><a href="/billing">{*c}</a></td> }).collect_view()}</tr></tbody>
            </table>
        </section>
        <section class="card" aria-labelledby="denials-title">
            <h2 id="denials-title">"Open denials by reason"</h2>
            {if r.denials.is_empty() {
                view! { <EmptyState>"No claim is denied."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Reason"</th><th scope="col" class="num">"Claims"</th><th scope="col" class="num">"Charged"</th></tr></thead>
                        <tbody>
                            {r.denials.iter().map(|d| view! {
                                <tr><td>{d.words.clone()}</td><td class="num"><a href="/billing/claims?status=denied">{d.claims}</a></td><td class="num">{d.amount.to_string()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="recon-title">
            <h2 id="recon-title">"Deposits this month against what they posted"</h2>
            {if r.reconciliation.is_empty() {
                view! { <EmptyState>"No remittance was paid this month."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr>
                            <th scope="col">"Paid on"</th><th scope="col">"Payer"</th><th scope="col">"Trace"</th>
                            <th scope="col" class="num">"Deposit"</th><th scope="col" class="num">"Posted"</th>
                            <th scope="col" class="num">"Not posted"</th><th scope="col" class="num">"Withheld (PLB)"</th>
                            <th scope="col" class="num">"Difference"</th>
                        </tr></thead>
                        <tbody>
                            {r.reconciliation.iter().map(|x| view! {
                                <tr>
                                    <td>{x.payment_date.format("%m/%d/%Y").to_string()}</td>
                                    <td>{x.payer_name.clone()}</td>
                                    <td><a href=format!("/billing/eras/{}", x.era_id)>{x.trace_number.clone()}</a></td>
                                    <td class="num">{x.deposit.to_string()}</td>
                                    <td class="num">{x.posted.to_string()}</td>
                                    <td class="num">{x.unposted.to_string()}</td>
                                    <td class="num">{x.withheld.to_string()}</td>
                                    <td class="num" class:text-warning={x.difference().cents() != 0}>{x.difference().to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// One stacked bar of the five buckets, drawn on the server (SVG), with a summary for readers.
#[component]
fn AgingBar(buckets: [Money; 5], label: &'static str) -> impl IntoView {
    let sum = total(&buckets).cents();
    let summary = AGING_BUCKETS
        .iter()
        .zip(buckets)
        .map(|(b, m)| format!("{b}: {m}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut x = 0.0;
    let parts: Vec<(f64, f64, usize)> = buckets
        .iter()
        .enumerate()
        .filter(|(_, m)| m.cents() > 0 && sum > 0)
        .map(|(i, m)| {
            let w = m.cents() as f64 / sum as f64 * 100.0;
            let part = (x, w, i);
            x += w;
            part
        })
        .collect();
    view! {
        <figure class="aging-bar">
            <figcaption>{label}</figcaption>
            <svg viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label=format!("{label}: {summary}")>
                <rect x="0" y="0" width="100" height="6" class="aging-empty"/>
                {parts.into_iter().map(|(x, w, i)| view! {
                    <rect x=format!("{x:.3}") y="0" width=format!("{w:.3}") height="6" class=format!("aging-{i}")/>
                }).collect_view()}
            </svg>
            <ul class="aging-legend">
                {AGING_BUCKETS.iter().zip(buckets).enumerate().map(|(i, (b, m))| view! {
                    <li><span class=format!("swatch aging-{i}") aria-hidden="true"></span>{format!("{b}: {m}")}</li>
                }).collect_view()}
            </ul>
        </figure>
    }
}

#[component]
fn AgingTable(
    rows: Vec<AgingRow>,
    totals: [Money; 5],
    link: fn(uuid::Uuid) -> String,
    empty: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <EmptyState>{empty}</EmptyState> }.into_any();
    }
    view! {
        <div class="table-scroll">
        <table class="table aging">
            <thead><tr>
                <th scope="col">"Name"</th>
                {AGING_BUCKETS.iter().map(|b| view! { <th scope="col" class="num">{*b}</th> }).collect_view()}
                <th scope="col" class="num">"Total"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row"><a href=link(r.id)>{r.name.clone()}</a></th>
                        {r.buckets.iter().map(|m| view! { <td class="num">{(m.cents() != 0).then(|| m.to_string())}</td> }).collect_view()}
                        <td class="num">{r.total.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">"All"</th>
                {totals.iter().map(|m| view! { <td class="num">{m.to_string()}</td> }).collect_view()}
                <td class="num">{total(&totals).to_string()}</td>
            </tr></tfoot>
        </table>
        </div>
    }
    .into_any()
}
