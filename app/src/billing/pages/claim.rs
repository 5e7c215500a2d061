//! One claim: its lines and diagnoses, what stops it from going out (with where to fix it), its
//! history, the next step, and its downloads.

use super::{dollars, BillingTabs};
use crate::billing::api::{load_claim, ChangeClaimStatus, CorrectClaim};
use crate::billing::types::{ClaimDetail, ClaimStatus};
use crate::ids::ClaimId;
use crate::ui::feedback::{ActionError, Loading};
use crate::ui::form::{
    action_error, field_errors, form_error, successes, SelectField, TextAreaField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let change = ServerAction::<ChangeClaimStatus>::new();
    let changed = successes(change.value());
    let correct = ServerAction::<CorrectClaim>::new();
    let corrected = successes(correct.value());
    let claim = Resource::new(
        move || (params.with(|p| p.get("id")), changed.get(), corrected.get()),
        |(id, _, _)| async move {
            let id = id
                .and_then(|i| i.parse().ok())
                .ok_or(crate::error::AppError::NotFound)?;
            load_claim(id).await
        },
    );
    view! {
        <h1>"Billing"</h1>
        <BillingTabs current="/billing/claims"/>
        {move || correct.value().get().and_then(Result::ok).map(|made| view! {
            <p class="notice notice-success" role="status">
                "The new claim is a draft. " <a href=format!("/billing/claims/{made}")>"Open it"</a> " to mark it ready."
            </p>
        })}
        <Transition fallback=|| view! { <Loading label="Opening the claim…"/> }>
            {move || Suspend::new(async move {
                claim.await.map(|c| view! { <Claim claim=c change correct/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Claim(
    claim: ClaimDetail,
    change: ServerAction<ChangeClaimStatus>,
    correct: ServerAction<CorrectClaim>,
) -> impl IntoView {
    let s = claim.summary.clone();
    let id = s.id;
    let next: Vec<(ClaimStatus, &'static str)> = match s.status {
        ClaimStatus::Draft => vec![(ClaimStatus::Ready, "Mark ready to send")],
        ClaimStatus::Ready => vec![(ClaimStatus::Draft, "Back to draft")],
        ClaimStatus::Rejected => vec![(ClaimStatus::Draft, "Back to draft to correct")],
        ClaimStatus::Denied => vec![
            (ClaimStatus::Appealed, "Mark appealed"),
            (ClaimStatus::Closed, "Close"),
        ],
        _ => Vec::new(),
    };
    let total = dollars(s.total_cents);
    view! {
        <Title text=format!("Claim {} · MentalSpace EHR", s.claim_number)/>
        <section class="card" aria-labelledby="claim-title">
            <div class="card-head">
                <h2 id="claim-title">{format!("Claim {}", s.claim_number)}</h2>
                <span class=format!("badge claim-status-{}", s.status.as_str())>{s.status.label()}</span>
            </div>
            <dl class="facts">
                <dt>"Client"</dt><dd><a href=format!("/clients/{}", s.client_id)>{s.client_name.clone()}</a></dd>
                <dt>"Payer"</dt><dd>{s.payer_name.clone()}</dd>
                <dt>"Subscriber id"</dt><dd>{claim.member_id.clone()}</dd>
                <dt>"Rendering provider"</dt><dd>{claim.rendering_provider.clone()}</dd>
                <dt>"Frequency"</dt><dd>{match claim.frequency.as_str() { "7" => "Replacement (7)", "8" => "Void (8)", _ => "Original (1)" }}</dd>
                {claim.replaces.clone().map(|(original, number)| view! {
                    <dt>"In place of"</dt><dd><a href=format!("/billing/claims/{original}")>{number}</a></dd>
                })}
                {claim.replaced_by.clone().map(|(newer, number)| view! {
                    <dt>"Corrected by"</dt><dd><a href=format!("/billing/claims/{newer}")>{number}</a></dd>
                })}
                {claim.payer_claim_number.clone().map(|n| view! { <dt>"Payer's claim #"</dt><dd>{n}</dd> })}
                <dt>"Total"</dt><dd>{total.clone()}</dd>
            </dl>
            <div class="actions">
                {next.into_iter().map(|(to, label)| view! {
                    <button type="button" class="btn" class:btn-primary=to == ClaimStatus::Ready
                        disabled=move || change.pending().get()
                        on:click=move |_| { change.dispatch(ChangeClaimStatus { id, status: to.as_str().into(), reason: String::new() }); }>
                        {label}
                    </button>
                }).collect_view()}
                {claim.batch_id.map(|b| view! { <a class="btn" href=format!("/billing/batches/{b}/837p") rel="external">"Download the 837P"</a> })}
                {claim.problems.is_empty().then(|| view! { <a class="btn" href=format!("/billing/claims/{id}/cms1500.pdf") rel="external">"Download the CMS-1500"</a> })}
            </div>
            <ActionError error=action_error(change.value())/>
        </section>
        {correctable(&claim).then(|| view! { <CorrectionForm id correct/> })}
        {(!claim.problems.is_empty()).then(|| view! {
            <section class="card notice-warning" aria-labelledby="problems-title">
                <h2 id="problems-title">{format!("What stops this claim ({})", claim.problems.len())}</h2>
                <ul class="problems">
                    {claim.problems.iter().map(|p| view! {
                        <li>{p.message.clone()}{p.fix_at.clone().map(|href| view! { " " <a href=href>"Fix it"</a> })}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" aria-labelledby="lines-title">
            <h2 id="lines-title">"Lines"</h2>
            <p class="muted">{format!("Diagnoses: {}", claim.diagnoses.iter().enumerate().map(|(i, d)| format!("{} {d}", i + 1)).collect::<Vec<_>>().join(" · "))}</p>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Modifiers"</th>
                        <th scope="col">"Place"</th>
                        <th scope="col">"Pointers"</th>
                        <th scope="col" class="num">"Units"</th>
                        <th scope="col" class="num">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {claim.lines.iter().map(|l| view! {
                        <tr>
                            <td>{l.line_number}</td>
                            <td>{l.service_date.format("%m/%d/%Y").to_string()}</td>
                            <td>{l.service_code.clone()}</td>
                            <td>{l.modifiers.join(" ")}</td>
                            <td>{l.place_of_service.clone()}</td>
                            <td>{l.pointers.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")}</td>
                            <td class="num">{l.units}</td>
                            <td class="num">{l.amount.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="7">"Total"</th><td class="num">{total}</td></tr>
                </tfoot>
            </table>
        </section>
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <ol class="history">
                {claim.history.iter().map(|h| view! {
                    <li>
                        {format!("{} → {}", h.from_status.map_or("New", ClaimStatus::label), h.to_status.label())}
                        <span class="muted">{format!(" · {} · {}", h.changed_by.clone().unwrap_or_else(|| "System".into()), h.changed_at.format("%m/%d/%Y %H:%M UTC"))}</span>
                        {h.reason.clone().map(|r| view! { <div class="muted small">{r}</div> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// A claim the payer has decided, with no live correction yet, can be corrected or voided.
fn correctable(claim: &ClaimDetail) -> bool {
    use ClaimStatus::*;
    matches!(
        claim.summary.status,
        Paid | PartiallyPaid | Denied | Appealed | Closed
    ) && claim.replaced_by.is_none()
}

/// Sends a corrected claim (frequency 7) or a void (8) in place of this one: a new draft that
/// goes out in the next batch.
#[component]
fn CorrectionForm(id: ClaimId, correct: ServerAction<CorrectClaim>) -> impl IntoView {
    let value = correct.value();
    let kinds = vec![
        (
            "replace".to_owned(),
            "Corrected claim (replaces this one)".to_owned(),
        ),
        (
            "void".to_owned(),
            "Void (cancels this one at the payer)".to_owned(),
        ),
    ];
    view! {
        <section class="card" aria-labelledby="correct-title">
            <h2 id="correct-title">"Correct or void at the payer"</h2>
            <p class="muted">"Put the client's details or insurance right first (a wrong member id: end that policy and add the right one with the same payer). The new claim repeats these lines with what is on file then, and quotes the payer's number for this one."</p>
            <ActionForm action=correct>
                <input type="hidden" name="id" value=id.to_string()/>
                <SelectField label="What to send" name="kind" options=kinds errors=field_errors(value, "kind")/>
                <TextAreaField label="What changed, or why it is void" name="reason" id="correct-reason" rows=2 errors=field_errors(value, "reason")/>
                <ActionError error=form_error(value)/>
                <button type="submit" class="btn btn-primary" disabled=move || correct.pending().get()>"Make the claim"</button>
            </ActionForm>
        </section>
    }
}
