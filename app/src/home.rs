//! The landing page after sign-in: who you are and where you can go.

use crate::auth::types::{Permission, SessionInfo};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let info = expect_context::<SessionInfo>();
    let role = info.user.role;
    let first_name = info
        .user
        .display_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    view! {
        <Title text="Home · MentalSpace EHR"/>
        <div class="home">
            <h1>{format!("Welcome, {first_name}")}</h1>
            <p class="lead">{format!("You are signed in to {} as {}.", info.practice_name, role.label())}</p>
            {role.can(Permission::ViewAudit).then(|| view! {
                <crate::clients::pages::emergency_review::EmergencyReviewAlert/>
            })}
            <crate::staff::pages::alerts::LicenseAlerts/>
            {role.can(Permission::EditClinical).then(|| view! { <crate::documents::pages::work::NoteWork/> })}
            <div class="tiles">
                <A href="/clients"><div class="tile"><h2>"Clients"</h2><p>{if role.can(Permission::ViewAllClients) { "Find and register clients." } else { "Your caseload." }}</p></div></A>
                <A href="/staff"><div class="tile"><h2>"Staff"</h2><p>"Who works here, credentials and hours."</p></div></A>
                {role.can(Permission::ManageSettings).then(|| view! {
                    <A href="/admin/settings"><div class="tile"><h2>"Settings"</h2><p>"Practice details, locations, payers."</p></div></A>
                })}
                {role.can(Permission::ManageUsers).then(|| view! {
                    <A href="/admin/users"><div class="tile"><h2>"Users"</h2><p>"Add staff, set roles, deactivate accounts."</p></div></A>
                })}
                {role.can(Permission::ViewAudit).then(|| view! {
                    <A href="/admin/audit"><div class="tile"><h2>"Audit log"</h2><p>"Who did what, and when."</p></div></A>
                    <A href="/admin/emergency-access"><div class="tile"><h2>"Emergency access"</h2><p>"Review charts opened outside a caseload."</p></div></A>
                })}
                {crate::clients::emergency::role_may_break_glass(role).then(|| view! {
                    <A href="/clients/emergency-access"><div class="tile"><h2>"Emergency access"</h2><p>"Read a chart outside your caseload when it cannot wait."</p></div></A>
                })}
                <A href="/account"><div class="tile"><h2>"My account"</h2><p>"Password and signed-in devices."</p></div></A>
            </div>
        </div>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · MentalSpace EHR"/>
        <main class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <a class="btn btn-primary" href="/">"Go to the home page"</a>
        </main>
    }
}
