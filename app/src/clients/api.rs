//! Server functions of the clients module.

use crate::clients::types::*;
use crate::error::AppError;
use crate::ids::ClientId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{clients::server::service, ctx::Ctx};

/// Today in the practice's time zone would be better; UTC is within a day of it for US zones and only
/// bounds the "not in the future" check of a date of birth.
#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[server(endpoint = "clients/search")]
pub async fn search_clients(query: ClientQuery) -> Result<ClientPage, AppError> {
    let ctx = Ctx::current()?;
    service::search(&ctx.pool, &ctx.user, &ctx.meta, &query).await
}

#[server(endpoint = "clients/create")]
pub async fn create_client(client: ClientInput) -> Result<ClientId, AppError> {
    let ctx = Ctx::current()?;
    service::create(&ctx.pool, &ctx.user, &ctx.meta, &client, today()).await
}

#[server(endpoint = "clients/chart")]
pub async fn open_client_chart(id: ClientId) -> Result<ClientChart, AppError> {
    let ctx = Ctx::current()?;
    service::chart(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "clients/change_status")]
pub async fn change_client_status(
    id: ClientId,
    status: String,
    reason: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::change_status(&ctx.pool, &ctx.user, &ctx.meta, id, &status, &reason).await
}

#[server(endpoint = "clients/clinician_options")]
pub async fn clinician_options() -> Result<Vec<ClinicianOption>, AppError> {
    let ctx = Ctx::current()?;
    service::clinician_options(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "clients/icd10_search")]
pub async fn search_icd10(q: String) -> Result<Vec<Icd10Code>, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::diagnoses::search_codes(&ctx.pool, &q).await
}

#[server(endpoint = "clients/diagnoses")]
pub async fn client_diagnoses(client_id: ClientId) -> Result<DiagnosisList, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::diagnoses::list(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "clients/add_diagnosis")]
pub async fn add_diagnosis(
    client_id: ClientId,
    code: String,
    kind: String,
    onset_on: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::diagnoses::add(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
        crate::clients::server::diagnoses::DiagnosisInput {
            client: client_id,
            code: &code,
            kind: &kind,
            onset: &onset_on,
        },
        today(),
    )
    .await
    .map(drop)
}

#[server(endpoint = "clients/resolve_diagnosis")]
pub async fn resolve_diagnosis(
    id: crate::ids::DiagnosisId,
    resolved_on: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::diagnoses::resolve(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
        id,
        &resolved_on,
        today(),
    )
    .await
}

#[server(endpoint = "clients/contacts")]
pub async fn client_contacts(client_id: ClientId) -> Result<ContactList, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::contacts::list(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "clients/add_contact")]
pub async fn add_contact(client_id: ClientId, contact: ContactInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::contacts::add(&ctx.pool, &ctx.user, &ctx.meta, client_id, &contact)
        .await
}

#[server(endpoint = "clients/flags")]
pub async fn client_flags(client_id: ClientId) -> Result<FlagList, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::flags::list(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "clients/add_flag")]
pub async fn add_flag(
    client_id: ClientId,
    category: String,
    severity: String,
    text: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::flags::add(
        &ctx.pool, &ctx.user, &ctx.meta, client_id, &category, &severity, &text,
    )
    .await
}

#[server(endpoint = "clients/insurance")]
pub async fn client_insurance(client_id: ClientId) -> Result<InsuranceList, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::insurance::list(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "clients/payer_options")]
pub async fn payer_options() -> Result<Vec<Payer>, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::insurance::payer_options(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "clients/add_policy")]
pub async fn add_policy(client_id: ClientId, policy: PolicyInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::insurance::add_policy(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
        client_id,
        &policy,
        today(),
    )
    .await
    .map(drop)
}

#[server(endpoint = "clients/end_policy")]
pub async fn end_policy(id: crate::ids::PolicyId, end_on: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::insurance::end_policy(&ctx.pool, &ctx.user, &ctx.meta, id, &end_on)
        .await
}

#[server(endpoint = "clients/add_prior_auth")]
pub async fn add_prior_auth(
    policy_id: crate::ids::PolicyId,
    auth: PriorAuthInput,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::insurance::add_prior_auth(
        &ctx.pool, &ctx.user, &ctx.meta, policy_id, &auth,
    )
    .await
}

#[server(endpoint = "clients/update")]
pub async fn update_client(id: ClientId, client: ClientInput) -> Result<ClientId, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::record::update(&ctx.pool, &ctx.user, &ctx.meta, id, &client, today())
        .await
        .map(|()| id)
}

#[server(endpoint = "clients/add_care_team")]
pub async fn add_care_team_member(client_id: ClientId, user_id: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    let member = user_id
        .trim()
        .parse()
        .map_err(|_| AppError::field("user_id", "Choose a clinician from the list."))?;
    crate::clients::server::record::add_to_care_team(
        &ctx.pool, &ctx.user, &ctx.meta, client_id, member,
    )
    .await
}

#[server(endpoint = "clients/remove_care_team")]
pub async fn remove_care_team_member(
    client_id: ClientId,
    user_id: crate::ids::UserId,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::record::remove_from_care_team(
        &ctx.pool, &ctx.user, &ctx.meta, client_id, user_id,
    )
    .await
}

/// Merges the record with chart number `duplicate` into `keep`.
#[server(endpoint = "clients/merge")]
pub async fn merge_clients(keep: ClientId, duplicate: String) -> Result<(), AppError> {
    use crate::clients::server::record;
    let ctx = Ctx::current()?;
    ctx.user
        .require(crate::auth::types::Permission::MergeClients)?;
    let duplicate = record::find_by_chart_number(&ctx.pool, &duplicate).await?;
    record::merge(&ctx.pool, &ctx.user, &ctx.meta, keep, duplicate).await
}

#[server(endpoint = "clients/activity")]
pub async fn client_activity(client_id: ClientId) -> Result<Vec<ActivityItem>, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::activity::list(&ctx.pool, &ctx.user, &ctx.meta, client_id).await
}

#[server(endpoint = "clients/clear_flag")]
pub async fn clear_flag(id: crate::ids::FlagId) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::flags::clear(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "clients/remove_contact")]
pub async fn remove_contact(id: crate::ids::ContactId) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::contacts::remove(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

/// Breaks the glass: opens a chart outside the caller's caseload, read-only, for a stated reason.
#[server(endpoint = "clients/start_emergency_access")]
pub async fn start_emergency_access(
    access: crate::clients::emergency::EmergencyAccessInput,
) -> Result<crate::clients::emergency::EmergencyGrant, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::emergency::start(&ctx.pool, &ctx.user, &ctx.meta, &access).await
}

/// The caller's open emergency access grants.
#[server(endpoint = "clients/my_emergency_access")]
pub async fn my_emergency_access(
) -> Result<Vec<crate::clients::emergency::EmergencyGrant>, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::emergency::my_open_grants(&ctx.pool, &ctx.user, &ctx.meta).await
}

/// Ends the caller's own open emergency access now.
#[server(endpoint = "clients/end_emergency_access")]
pub async fn end_emergency_access(id: crate::ids::EmergencyAccessId) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::emergency::end(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

/// Every emergency access, those awaiting review first (administrators).
#[server(endpoint = "clients/list_emergency_access")]
pub async fn list_emergency_access(
) -> Result<Vec<crate::clients::emergency::EmergencyAccessItem>, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::emergency::review_list(&ctx.pool, &ctx.user, &ctx.meta).await
}

/// How many emergency accesses await review (the administrators' alert).
#[server(endpoint = "clients/count_unreviewed_emergency_access")]
pub async fn count_unreviewed_emergency_access() -> Result<i64, AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::emergency::unreviewed_count(&ctx.pool, &ctx.user).await
}

/// Records an administrator's review of an emergency access, once.
#[server(endpoint = "clients/review_emergency_access")]
pub async fn review_emergency_access(
    id: crate::ids::EmergencyAccessId,
    comment: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::clients::server::emergency::review(&ctx.pool, &ctx.user, &ctx.meta, id, &comment).await
}
