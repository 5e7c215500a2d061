//! Payments: import an 835 (a plain upload form, so it works before the WASM arrives), the
//! remittances imported, and the claims and lines that posted nothing, with the reason.

use super::{BillingTabs, X12Upload};
use crate::billing::api::{load_payments, ResolveUnmatched};
use crate::billing::types::{EraSummary, PaymentsOverview, UnmatchedItem};
use crate::ui::feedback::{ActionError, EmptyState, Loading};
use crate::ui::form::{action_error, successes};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let resolve = ServerAction::<ResolveUnmatched>::new();
    let resolved = successes(resolve.value());
    let overview = Resource::new(move || resolved.get(), |_| load_payments());
    view! {
        <Title text="Payments · MentalSpace EHR"/>
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/payments"/>
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">"Import a remittance (835)"</h2>
            <p class="muted">"Payments, adjustments and denials post to each claim's lines at once. A file that does not balance posts nothing; the same file twice posts once."</p>
            <X12Upload action="/billing/eras" id="era-file" label="835 file" button="Import and post"/>
        </section>
        <ActionError error=action_error(resolve.value())/>
        <Transition fallback=|| view! { <Loading label="Loading remittances…"/> }>
            {move || Suspend::new(async move {
                overview.await.map(|o| view! { <Overview overview=o resolve/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Overview(overview: PaymentsOverview, resolve: ServerAction<ResolveUnmatched>) -> impl IntoView {
    let PaymentsOverview { eras, unmatched } = overview;
    view! {
        <section class="card" aria-labelledby="unmatched-title">
            <h2 id="unmatched-title">{format!("Not posted ({})", unmatched.len())}</h2>
            {if unmatched.is_empty() {
                view! { <EmptyState>"Every claim and line of every remittance found its charge."</EmptyState> }.into_any()
            } else {
                view! { <UnmatchedTable items=unmatched resolve/> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="eras-title">
            <h2 id="eras-title">"Remittances"</h2>
            {if eras.is_empty() {
                view! { <EmptyState>"No remittance has been imported yet."</EmptyState> }.into_any()
            } else {
                view! { <EraTable eras/> }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn EraTable(eras: Vec<EraSummary>) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">"Paid on"</th><th scope="col">"Payer"</th><th scope="col">"Trace"</th>
                <th scope="col" class="num">"Payment"</th><th scope="col" class="num">"Posted to charges"</th>
                <th scope="col" class="num">"Claims"</th><th scope="col" class="num">"Not posted"</th>
            </tr></thead>
            <tbody>
                {eras.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.payment_date.format("%m/%d/%Y").to_string()}</td>
                        <td>{e.payer_name.clone()}</td>
                        <td><a href=format!("/billing/eras/{}", e.id)>{format!("{} ({})", e.trace_number, e.payment_method)}</a></td>
                        <td class="num">{e.payment.to_string()}</td>
                        <td class="num">{e.posted.to_string()}</td>
                        <td class="num">{e.claim_count}</td>
                        <td class="num" class:text-warning={e.unmatched_count > 0}>{e.unmatched_count}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn UnmatchedTable(
    items: Vec<UnmatchedItem>,
    resolve: ServerAction<ResolveUnmatched>,
) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">"Paid on"</th><th scope="col">"Payer"</th><th scope="col">"Claim #"</th>
                <th scope="col">"Patient"</th><th scope="col" class="num">"Paid"</th><th scope="col">"Why not posted"</th>
                <th scope="col">"Done"</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|u| {
                    let input_id = format!("resolution-{}", u.era_claim_id);
                    view! {
                        <tr>
                            <td>{u.payment_date.format("%m/%d/%Y").to_string()}</td>
                            <td>{u.payer_name.clone()}</td>
                            <td><a href=format!("/billing/eras/{}", u.era_id)>{u.patient_control_number.clone()}</a></td>
                            <td>{u.patient_name.clone().unwrap_or_default()}</td>
                            <td class="num">{u.paid.to_string()}</td>
                            <td>{u.reason.clone()}</td>
                            <td>
                                <ActionForm action=resolve attr:class="inline-form">
                                    <input type="hidden" name="id" value=u.era_claim_id.to_string()/>
                                    <label for=input_id.clone() class="sr-only">"What was done"</label>
                                    <input id=input_id name="resolution" placeholder="What was done" size="18" maxlength="300"/>
                                    <button type="submit" class="btn btn-small" disabled=move || resolve.pending().get()>"Resolve"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
