//! Administrators review every emergency access: who opened which chart, why, for how long, how
//! many reads it covered, and what the reviewer concluded.

use crate::clients::api::{list_emergency_access, ReviewEmergencyAccess};
use crate::clients::emergency::EmergencyAccessItem;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes, TextAreaField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn EmergencyReviewPage() -> impl IntoView {
    // each card has its own action (its errors stay on it); a recorded review reloads the list
    let reviewed = RwSignal::new(0usize);
    let grants = Resource::new(move || reviewed.get(), |_| list_emergency_access());
    view! {
        <Title text="Emergency access review · MentalSpace EHR"/>
        <h1>"Emergency access review"</h1>
        <p class="lead">"Each time a clinician broke the glass to read a chart outside their caseload. \
            Review each one: was it appropriate?"</p>
        <Suspense fallback=|| view! { <Loading label="Loading emergency access…"/> }>
            {move || Suspend::new(async move {
                match grants.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState>"Nobody has used emergency access."</EmptyState>
                    }.into_any(),
                    Ok(list) => list.into_iter()
                        .map(|item| view! { <GrantCard item reviewed/> })
                        .collect_view()
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GrantCard(item: EmergencyAccessItem, reviewed: RwSignal<usize>) -> impl IntoView {
    let review = ServerAction::<ReviewEmergencyAccess>::new();
    let result = review.value();
    let saved = successes(result);
    Effect::new(move || {
        if saved.get() > 0 {
            reviewed.update(|n| *n += 1);
        }
    });
    let title_id = format!("grant-{}", item.id);
    let comment_id = format!("review-{}", item.id);
    let id = item.id;
    let status = match (&item.reviewed, item.open) {
        (Some(_), _) => ("Reviewed", "tag"),
        (None, true) => ("Open now", "tag tag-warning"),
        (None, false) => ("Awaiting review", "tag tag-warning"),
    };
    view! {
        <section class="card grant" aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>
                {format!("{} read ", item.holder_name)}
                <A href=format!("/clients/{}", item.client_id)>{format!("{} ({})", item.client_name, item.chart_number)}</A>
                " " <span class=status.1>{status.0}</span>
            </h2>
            <dl class="facts">
                <dt>"When"</dt><dd>{item.period.clone()}</dd>
                <dt>"Reason"</dt><dd>{item.reason.label()}</dd>
                <dt>"In their words"</dt><dd class="note-text">{item.explanation.clone()}</dd>
                <dt>"Reads recorded"</dt><dd>
                    {item.reads.to_string()} " · "
                    <A href=format!("/clients/{}/access-report", item.client_id)>"the client's access report"</A>
                </dd>
            </dl>
            {match item.reviewed.clone() {
                Some(by) => view! {
                    <p class="muted">{by}</p>
                    <p class="note-text">{item.review_comment.clone().unwrap_or_default()}</p>
                }.into_any(),
                None if item.open => view! {
                    <p class="muted">"Still open: review it once it has ended, so every read it covers is in view."</p>
                }.into_any(),
                None => view! {
                    <ActionForm action=review attr:novalidate="true">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <TextAreaField label="Your review" name="comment" id=comment_id errors=field_errors(result, "comment")/>
                        {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                        <button type="submit" class="btn btn-primary" disabled=move || review.pending().get()>"Record the review"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

/// The administrators' alert on the home page while emergency accesses wait for review.
#[component]
pub fn EmergencyReviewAlert() -> impl IntoView {
    let count = Resource::new(
        || (),
        |_| crate::clients::api::count_unreviewed_emergency_access(),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match count.await {
                    Ok(0) => None,
                    Ok(n) => Some(view! {
                        <div class="notice notice-warning" role="status">
                            <strong>{if n == 1 { "1 emergency access".to_owned() } else { format!("{n} emergency accesses") }}</strong>
                            " to a chart outside a clinician's caseload "
                            {if n == 1 { "waits" } else { "wait" }}
                            " for your review. "
                            <A href="/admin/emergency-access">"Review them"</A>
                        </div>
                    }.into_any()),
                    Err(error) => Some(view! { <ErrorNotice error/> }.into_any()),
                }
            })}
        </Suspense>
    }
}
