use crate::clients::api::{
    open_client_chart, AddCareTeamMember, ChangeClientStatus, MergeClients, RemoveCareTeamMember,
};
use crate::clients::types::*;
use crate::fields::format_phone;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The client chart: header and overview (demographics, contact, status history).
#[component]
pub fn ClientChartPage() -> impl IntoView {
    let params = use_params_map();
    let actions = ChartActions {
        change: ServerAction::new(),
        add_member: ServerAction::new(),
        remove_member: ServerAction::new(),
        merge: ServerAction::new(),
    };
    let saved = [
        successes(actions.change.value()),
        successes(actions.add_member.value()),
        successes(actions.remove_member.value()),
        successes(actions.merge.value()),
    ];
    let chart = Resource::new(
        move || {
            (
                params.with(|p| p.get("id")),
                saved.iter().map(|s| s.get()).sum::<usize>(),
            )
        },
        |(id, _)| async move {
            let id = id
                .and_then(|i| i.parse().ok())
                .ok_or(crate::error::AppError::NotFound)?;
            open_client_chart(id).await
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading label="Opening the chart…"/> }>
            {move || Suspend::new(async move {
                match chart.await {
                    Ok(chart) => view! { <Chart chart actions/> }.into_any(),
                    Err(error) => view! { <ChartError error id=params.with_untracked(|p| p.get("id"))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Says the chart is open under emergency access, until when, and lets its holder end it now.
#[component]
fn EmergencyBanner(grant: crate::clients::emergency::ChartEmergency) -> impl IntoView {
    let end = ServerAction::<crate::clients::api::EndEmergencyAccess>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move || {
        if let Some(Ok(())) = end.value().get() {
            navigate("/clients/emergency-access", Default::default());
        }
    });
    let id = grant.id;
    view! {
        <div class="notice notice-warning emergency-banner" role="note">
            <strong>"Emergency access. "</strong>
            {format!("You can read this chart until {}; you cannot change it. Every page you open is recorded and reviewed by an administrator. ", grant.until)}
            <button type="button" class="btn btn-small" disabled=move || end.pending().get()
                on:click=move |_| { end.dispatch(crate::clients::api::EndEmergencyAccess { id }); }>
                "End emergency access now"
            </button>
            {move || form_error(end.value()).get().map(|error| view! { <ErrorNotice error/> })}
        </div>
    }
}

/// Why the chart did not open. A clinician or supervisor who may not see it is offered emergency
/// access (the server answers "not found" for a chart outside the caseload, never saying which).
#[component]
fn ChartError(error: crate::error::AppError, id: Option<String>) -> impl IntoView {
    let role = expect_context::<crate::auth::types::SessionInfo>()
        .user
        .role;
    let may_break_glass = crate::clients::emergency::role_may_break_glass(role);
    let offer = (error == crate::error::AppError::NotFound && may_break_glass).then(|| {
        let href = format!(
            "/clients/emergency-access?client={}",
            id.unwrap_or_default()
        );
        view! {
            <p>"If this client is not in your caseload and you need their chart in an emergency, "
                <A href=href>"request emergency access"</A>
                ". It is recorded and reviewed."</p>
        }
    });
    view! {
        <h1>"Chart"</h1>
        <ErrorNotice error/>
        {offer}
    }
}

/// The changes made from the chart; a success reloads it.
#[derive(Clone, Copy)]
struct ChartActions {
    change: ServerAction<ChangeClientStatus>,
    add_member: ServerAction<AddCareTeamMember>,
    remove_member: ServerAction<RemoveCareTeamMember>,
    merge: ServerAction<MergeClients>,
}

/// The chart's sections, chosen with `?tab=` so each can be linked to and only its data loads.
const TABS: &[(&str, &str)] = &[
    ("overview", "Overview"),
    ("contacts", "Contacts"),
    ("insurance", "Insurance"),
    ("diagnoses", "Diagnoses"),
    ("notes", "Notes"),
    ("activity", "Activity"),
];

#[component]
fn Chart(chart: ClientChart, actions: ChartActions) -> impl IntoView {
    let c = chart.client.clone();
    // the server decides what is in it; this only avoids an empty tab for roles without access
    let role = expect_context::<crate::auth::types::SessionInfo>()
        .user
        .role;
    let show_diagnoses = role.can(crate::auth::types::Permission::ReadDiagnosisCodes);
    // front desk sees no notes; billers and admins see that they exist
    let show_notes = role != crate::auth::types::Role::FrontDesk;
    let shown = move |t: &str| match t {
        "diagnoses" => show_diagnoses,
        "notes" => show_notes,
        _ => true,
    };
    let today = crate::ui::clock::practice_clock()();
    let name = match &c.preferred_name {
        Some(p) if p != &c.legal_first_name => {
            format!("{} “{p}” {}", c.legal_first_name, c.legal_last_name)
        }
        _ => format!("{} {}", c.legal_first_name, c.legal_last_name),
    };
    let query = use_query_map();
    let tab = Memo::new(move |_| {
        let asked = query.with(|q| q.get("tab")).unwrap_or_default();
        TABS.iter()
            .map(|(t, _)| *t)
            .find(|t| *t == asked && shown(t))
            .unwrap_or("overview")
    });
    let id = c.id;
    let read_only = chart.emergency.is_some();
    let tab_links = TABS
        .iter()
        .filter(|(t, _)| shown(t))
        .map(|(t, label)| {
            let current = move || (tab.get() == *t).then_some("page");
            view! {
                <A href=format!("/clients/{id}?tab={t}") attr:class=move || if tab.get() == *t { "tab tab-active" } else { "tab" } attr:aria-current=current>
                    {*label}
                </A>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("{} · Chart", c.chart_number)/>
        <header class="chart-header card">
            <div>
                <h1>{name}</h1>
                <p class="chart-meta">
                    <span>{format!("{} years", age_on(c.date_of_birth, today))}</span>
                    {c.pronouns.clone().map(|p| view! { <span>{p}</span> })}
                    <span>{format!("Chart {}", c.chart_number)}</span>
                    <span class=format!("status status-{}", c.status.as_str())>{c.status.label()}</span>
                    <span>{format!("Clinician: {}", c.primary_clinician_name.clone().unwrap_or_else(|| "not assigned".into()))}</span>
                </p>
                <super::flags::FlagsBar client_id=c.id/>
            </div>
            <div class="chart-actions">
                {role.can(crate::auth::types::Permission::BillClients).then(|| view! {
                    <a class="btn" href=format!("/billing/clients/{}", c.id)>"Balance and payments"</a>
                })}
                {role.can(crate::auth::types::Permission::ViewAudit).then(|| view! {
                    <a class="btn" href=format!("/clients/{}/access-report", c.id)>"Access report"</a>
                })}
            </div>
        </header>
        {chart.emergency.clone().map(|grant| view! { <EmergencyBanner grant/> })}
        {chart.merged_into.map(|into| view! {
            <div class="notice notice-warning" role="note">
                "This record is a duplicate that was merged. "
                <A href=format!("/clients/{into}")>"Open the record it was merged into"</A>
            </div>
        })}
        <nav class="tabs" aria-label="Chart sections">{tab_links}</nav>
        {move || match tab.get() {
            "contacts" => view! { <super::contacts::ContactsSection client_id=id/> }.into_any(),
            "insurance" => view! { <super::insurance::InsuranceSection client_id=id/> }.into_any(),
            "diagnoses" => view! { <super::diagnoses::DiagnosesSection client_id=id/> }.into_any(),
            "activity" => view! { <super::activity::ActivitySection client_id=id/> }.into_any(),
            "notes" => view! { <crate::documents::pages::chart::NotesSection client_id=id read_only/> }.into_any(),
            _ => view! { <Overview chart=chart.clone() actions/> }.into_any(),
        }}
    }
}

#[component]
fn Overview(chart: ClientChart, actions: ChartActions) -> impl IntoView {
    let ChartActions {
        change,
        add_member,
        remove_member,
        merge,
    } = actions;
    let c = chart.client;
    let phone = |p: &Option<String>| p.as_deref().map(format_phone).unwrap_or_else(|| "—".into());
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let address = [
        c.address_line1.clone(),
        c.address_line2.clone(),
        match (&c.city, &c.state, &c.zip) {
            (None, None, None) => None,
            (city, state, zip) => Some(
                format!(
                    "{} {} {}",
                    city.clone().unwrap_or_default(),
                    state.clone().unwrap_or_default(),
                    zip.clone().unwrap_or_default()
                )
                .trim()
                .to_owned(),
            ),
        },
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <div class="grid-2">
            <section class="card" aria-labelledby="demo-title">
                <h2 id="demo-title">"Demographics"</h2>
                {chart.can_edit.then(|| view! { <p><A href=format!("/clients/{}/edit", c.id) attr:class="btn">"Edit details"</A></p> })}
                <dl class="facts">
                    <dt>"Legal name"</dt><dd>{format!("{} {}", c.legal_first_name, c.legal_last_name)}</dd>
                    <dt>"Date of birth"</dt><dd>{c.date_of_birth.format("%m/%d/%Y").to_string()}</dd>
                    <dt>"Sex assigned at birth"</dt><dd>{c.sex_assigned_at_birth.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Gender identity"</dt><dd>{c.gender_identity.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Preferred language"</dt><dd>{c.preferred_language.clone()}</dd>
                    <dt>"Referral source"</dt><dd>{c.referral_source.clone().unwrap_or_else(|| "—".into())}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="contact-title">
                <h2 id="contact-title">"Contact"</h2>
                <dl class="facts">
                    <dt>"Mobile"</dt><dd>{phone(&c.phone_mobile)}{format!(" · texts: {}", yes_no(c.sms_consent))}</dd>
                    <dt>"Home"</dt><dd>{phone(&c.phone_home)}{format!(" · voicemail: {}", yes_no(c.voicemail_consent))}</dd>
                    <dt>"Work"</dt><dd>{phone(&c.phone_work)}</dd>
                    <dt>"Email"</dt><dd>{c.email.clone().unwrap_or_else(|| "—".into())}{format!(" · email: {}", yes_no(c.email_consent))}</dd>
                    <dt>"Address"</dt><dd>{if address.is_empty() { "—".to_owned() } else { address }}</dd>
                    <dt>"Preferred contact"</dt><dd>{c.preferred_contact.clone()}</dd>
                </dl>
            </section>
        </div>
        <super::care_team::CareTeam client_id=c.id members=chart.care_team can_edit=chart.can_edit add=add_member remove=remove_member/>
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">"Status history"</h2>
            <ul class="history">
                {chart.history.into_iter().map(|h| view! {
                    <li>
                        <strong>{h.to_status.label()}</strong>
                        {h.from_status.map(|f| format!(" (was {})", f.label().to_lowercase()))}
                        <span class="muted">{format!(" · {} · {}", h.changed_on, h.changed_by_name.unwrap_or_else(|| "system".into()))}</span>
                        {h.reason.map(|r| view! { <div class="muted">{r}</div> })}
                    </li>
                }).collect_view()}
            </ul>
            {chart.can_edit.then(|| view! { <StatusForm id=c.id current=c.status change/> })}
            {chart.can_merge.then(|| view! { <super::merge::MergeForm keep=c.id merge/> })}
        </section>
    }
}

#[component]
fn StatusForm(
    id: crate::ids::ClientId,
    current: ClientStatus,
    change: ServerAction<ChangeClientStatus>,
) -> impl IntoView {
    let result = change.value();
    view! {
        <ActionForm action=change attr:class="inline-form" attr:novalidate="true">
            <input type="hidden" name="id" value=id.to_string()/>
            <div class="field">
                <label for="new-status">"Change status to"</label>
                <select id="new-status" name="status">
                    {ClientStatus::ALL.into_iter().filter(|s| *s != current).map(|s| view! {
                        <option value=s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
                {move || field_errors(result, "status").get().first().cloned().map(|m| view! { <p class="field-errors">{m}</p> })}
            </div>
            <div class="field field-grow">
                <label for="status-reason">"Reason"</label>
                <input id="status-reason" name="reason" type="text" placeholder="Required for a discharge"/>
                {move || field_errors(result, "reason").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
            </div>
            <button type="submit" class="btn">"Change status"</button>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
        </ActionForm>
    }
}
