//! Break the glass: a clinician or supervisor asks to read a chart outside their caseload, says why,
//! and is taken to it (read-only, for the practice's set time). Their open grants are listed.

use crate::clients::api::{my_emergency_access, EndEmergencyAccess, StartEmergencyAccess};
use crate::clients::emergency::EmergencyReason;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes, Field, SelectField, TextAreaField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn EmergencyAccessPage() -> impl IntoView {
    let role = expect_context::<crate::auth::types::SessionInfo>()
        .user
        .role;
    if !crate::clients::emergency::role_may_break_glass(role) {
        return view! {
            <Title text="Emergency access · MentalSpace EHR"/>
            <h1>"Emergency access"</h1>
            <div class="notice notice-warning" role="note">
                {format!("Emergency access to charts is for clinicians and supervisors; as {} you cannot use it.", role.label().to_lowercase())}
            </div>
        }
        .into_any();
    }
    let start = ServerAction::<StartEmergencyAccess>::new();
    let result = start.value();
    let query = use_query_map();
    let client = query
        .with_untracked(|q| q.get("client"))
        .unwrap_or_default();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(grant)) = result.get() {
            navigate(&format!("/clients/{}", grant.client_id), Default::default());
        }
    });
    let reasons: Vec<(String, String)> = EmergencyReason::ALL
        .into_iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    let e = move |field: &'static str| field_errors(result, field);
    // a link from a chart carries its id: the person need not type a chart number then
    let from_link = client.parse::<crate::ids::ClientId>().is_ok();
    view! {
        <Title text="Emergency access · MentalSpace EHR"/>
        <h1>"Emergency access"</h1>
        <div class="grid-2 grid-wide-left">
            <section class="card" aria-labelledby="glass-title">
                <h2 id="glass-title">"Open a chart outside your caseload"</h2>
                <p>"Use this only when a client's safety or care cannot wait for their own clinician. \
                    You will be able to read the chart — not change it — for a limited time. \
                    Your reason, and every page you open, are recorded and reviewed by an administrator."</p>
                <ActionForm action=start attr:novalidate="true">
                    {if from_link {
                        view! { <input type="hidden" name="access[client]" value=client.clone()/> }.into_any()
                    } else {
                        view! {
                            <Field label="Client's chart number" name="client" prefix="access" required=true
                                hint="Such as C1042." value=client.clone() errors=e("client")/>
                        }.into_any()
                    }}
                    {from_link.then(|| view! {
                        {move || e("client").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                    })}
                    <SelectField label="Reason" name="reason" prefix="access" options=reasons
                        empty_label="Choose the reason…" errors=e("reason")/>
                    <TextAreaField label="What is happening, and why you need the chart now" name="access[explanation]"
                        id="field-explanation" rows=4 errors=e("explanation")/>
                    {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                    <button type="submit" class="btn btn-danger" disabled=move || start.pending().get()>
                        "Break the glass and open the chart"
                    </button>
                </ActionForm>
                <p class="field-hint">{format!(
                    "The explanation takes {} to {} characters.",
                    crate::clients::emergency::EXPLANATION_CHARS.start(),
                    crate::clients::emergency::EXPLANATION_CHARS.end()
                )}</p>
            </section>
            <OpenGrants/>
        </div>
    }
    .into_any()
}

/// The caller's grants still open, each with the time it ends.
#[component]
fn OpenGrants() -> impl IntoView {
    let end = ServerAction::<EndEmergencyAccess>::new();
    let ended = successes(end.value());
    let grants = Resource::new(move || ended.get(), |_| my_emergency_access());
    view! {
        <section class="card" aria-labelledby="open-grants-title">
            <h2 id="open-grants-title">"Your open emergency access"</h2>
            {move || form_error(end.value()).get().map(|error| view! { <ErrorNotice error/> })}
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match grants.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <EmptyState>"None open."</EmptyState> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|g| view! {
                                    <li>
                                        <A href=format!("/clients/{}", g.client_id)>{format!("{} ({})", g.client_name, g.chart_number)}</A>
                                        <span class="muted">{format!(" · until {} ", g.until)}</span>
                                        <button type="button" class="btn btn-small"
                                            aria-label=format!("End emergency access to {}", g.client_name)
                                            on:click=move |_| { end.dispatch(EndEmergencyAccess { id: g.id }); }>
                                            "End now"
                                        </button>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
