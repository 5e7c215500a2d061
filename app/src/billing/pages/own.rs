//! A clinician's own sessions in billing: what still waits on them (a note to write or sign, a
//! diagnosis to add, a co-signature), and what became of the rest. No amounts: clinicians see
//! where a session stands, never what anyone owes.

use crate::billing::api::load_own_sessions;
use crate::billing::types::{BillingStage, SessionBilling};
use crate::ui::feedback::{EmptyState, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OwnSessionsPage() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| load_own_sessions());
    view! {
        <Title text="My sessions in billing · MentalSpace EHR"/>
        <h1>"My sessions in billing"</h1>
        <p class="muted">"Your completed sessions: those that wait on you first, then where the others stand. Charged sessions of the last 90 days are shown."</p>
        <Transition fallback=|| view! { <Loading label="Loading your sessions…"/> }>
            {move || Suspend::new(async move {
                sessions.await.map(|list| view! { <Sessions list/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Sessions(list: Vec<SessionBilling>) -> impl IntoView {
    let (yours, rest): (Vec<_>, Vec<_>) =
        list.into_iter().partition(|s| s.stage.waits_on_clinician());
    view! {
        <section class="card" aria-labelledby="yours-title">
            <h2 id="yours-title">{format!("Waiting on you ({})", yours.len())}</h2>
            {if yours.is_empty() {
                view! { <EmptyState>"Nothing waits on you: every session's note is signed."</EmptyState> }.into_any()
            } else {
                view! { <SessionTable sessions=yours label="Sessions waiting on you"/> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="rest-title">
            <h2 id="rest-title">"Billed and on their way"</h2>
            {if rest.is_empty() {
                view! { <EmptyState>"No session has gone to billing yet."</EmptyState> }.into_any()
            } else {
                view! { <SessionTable sessions=rest label="Sessions in billing"/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn SessionTable(sessions: Vec<SessionBilling>, label: &'static str) -> impl IntoView {
    view! {
        <table class="table" aria-label=label>
            <thead><tr>
                <th scope="col">"Date"</th><th scope="col">"Client"</th>
                <th scope="col">"Codes"</th><th scope="col">"Where it stands"</th>
            </tr></thead>
            <tbody>
                {sessions.into_iter().map(|s| {
                    let denied = matches!(s.stage, BillingStage::Claim(crate::billing::types::ClaimStatus::Denied));
                    view! {
                        <tr data-stage=stage_key(s.stage)>
                            <td>{s.service_date.format("%m/%d/%Y").to_string()}</td>
                            <td><a href=format!("/clients/{}", s.client_id)>{s.client_name.clone()}</a></td>
                            <td>{if s.codes.is_empty() { "—".to_owned() } else { s.codes.join(", ") }}</td>
                            <td class:text-warning=denied>
                                {s.stage.words()}
                                {s.note_id.map(|n| view! { " " <a href=format!("/notes/{n}")>"Open the note"</a> })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A stable name of the stage, for styling and the browser tests.
fn stage_key(stage: BillingStage) -> &'static str {
    match stage {
        BillingStage::Blocked(_) => "blocked",
        BillingStage::Ready => "ready",
        BillingStage::SelfPay => "self_pay",
        BillingStage::Charged => "charged",
        BillingStage::Claim(_) => "claim",
    }
}
