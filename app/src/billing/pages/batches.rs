//! Batches: the payers with claims ready to go (one 837P each), and the files that went.

use super::{dollars, BillingTabs, X12Upload};
use crate::billing::api::{load_batches, CreateBatch};
use crate::billing::types::BatchesOverview;
use crate::ui::feedback::{ActionError, EmptyState, Loading};
use crate::ui::form::{action_error, successes};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BatchesPage() -> impl IntoView {
    let create = ServerAction::<CreateBatch>::new();
    let created = successes(create.value());
    let overview = Resource::new(move || created.get(), |_| load_batches());
    let query = use_query_map();
    let imported = move || {
        query.with(|q| {
            if q.get("acknowledged").is_some() {
                Some("The acknowledgement is imported: each batch it answers shows its status below.")
            } else if q.get("duplicate").is_some() {
                Some("Every batch in that acknowledgement already had its answer: nothing changed.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Batches · MentalSpace EHR"/>
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/batches"/>
        {move || imported().map(|m| view! { <p class="notice notice-success" role="status">{m}</p> })}
        <ActionError error=action_error(create.value())/>
        {move || create.value().get().and_then(Result::ok).map(|_| view! {
            <p class="notice notice-success" role="status">"The batch is made and its claims are submitted. Download the 837P below."</p>
        })}
        <Transition fallback=|| view! { <Loading label="Loading batches…"/> }>
            {move || Suspend::new(async move {
                overview.await.map(|o| view! { <Overview overview=o create/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Overview(overview: BatchesOverview, create: ServerAction<CreateBatch>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="ready-batches-title">
            <h2 id="ready-batches-title">"Ready to send"</h2>
            {if overview.ready.is_empty() {
                view! { <EmptyState>"No claims are ready. Mark claims ready on their pages first."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Payer"</th><th scope="col" class="num">"Claims"</th><th scope="col" class="num">"Total"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                        <tbody>
                            {overview.ready.into_iter().map(|r| {
                                let payer_id = r.payer_id;
                                view! {
                                    <tr data-payer=r.payer_name.clone()>
                                        <td>{r.payer_name.clone()}</td>
                                        <td class="num">{r.claims}</td>
                                        <td class="num">{dollars(r.total_cents)}</td>
                                        <td>
                                            <button type="button" class="btn btn-primary btn-small" disabled=move || create.pending().get()
                                                aria-label=format!("Create the batch for {}", r.payer_name)
                                                on:click=move |_| { create.dispatch(CreateBatch { payer_id }); }>
                                                "Create batch"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="ack-title">
            <h2 id="ack-title">"Import an acknowledgement (999)"</h2>
            <p class="muted">"The clearinghouse's 999 accepts or rejects each batch. Accepted claims go on to the payer; rejected ones say what was wrong: put them back to draft, fix them and send them again."</p>
            <X12Upload action="/billing/acks" id="ack-file" label="999 file" button="Import"/>
        </section>
        <section class="card" aria-labelledby="sent-title">
            <h2 id="sent-title">"Sent"</h2>
            {if overview.batches.is_empty() {
                view! { <EmptyState>"No batch has been sent yet."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Control #"</th><th scope="col">"Payer"</th><th scope="col" class="num">"Claims"</th><th scope="col" class="num">"Total"</th><th scope="col">"Status"</th><th scope="col">"Made"</th><th scope="col"><span class="sr-only">"Download"</span></th></tr></thead>
                        <tbody>
                            {overview.batches.into_iter().map(|b| view! {
                                <tr>
                                    <td>{format!("{:09}", b.control_number)}</td>
                                    <td>{b.payer_name.clone()}</td>
                                    <td class="num">{b.claim_count}</td>
                                    <td class="num">{dollars(b.total_cents)}</td>
                                    <td>
                                        {b.status.label()}
                                        {(!b.ack_errors.is_empty()).then(|| view! {
                                            <ul class="problems small">{b.ack_errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                                        })}
                                    </td>
                                    <td>{format!("{} · {}", b.created_at.format("%m/%d/%Y"), b.created_by)}</td>
                                    <td><a href=format!("/billing/batches/{}/837p", b.id) rel="external">"837P"</a></td>
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
