//! Client records: validation, who may see which client, and the audit of every read and write.

use super::repo;
pub use super::repo::{NewClient, Scope, SearchTerm};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::{Permission, Role};
use crate::clients::actions;
use crate::clients::types::*;
use crate::error::{AppError, Validator};
use crate::fields::parse_email;
use crate::fields::{
    parse_date, parse_date_of_birth, parse_name, parse_optional, parse_phone, parse_state,
    parse_zip,
};
use crate::ids::{ClientId, EmergencyAccessId, UserId};
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

pub fn scope_of(user: &CurrentUser) -> Result<Scope, AppError> {
    if user.role.can(Permission::ViewAllClients) {
        return Ok(Scope::All);
    }
    match user.role {
        Role::Clinician | Role::Intern => Ok(Scope::Caseload {
            user: user.id,
            supervisor: false,
        }),
        Role::Supervisor => Ok(Scope::Caseload {
            user: user.id,
            supervisor: true,
        }),
        _ => Err(AppError::Forbidden),
    }
}

impl NewClient {
    /// Parses every field, reporting all problems at once.
    pub fn parse(input: &ClientInput, today: NaiveDate) -> Result<NewClient, AppError> {
        let mut v = Validator::new();
        let first = v.check(
            "legal_first_name",
            parse_name(&input.legal_first_name, "legal first name"),
        );
        let last = v.check(
            "legal_last_name",
            parse_name(&input.legal_last_name, "legal last name"),
        );
        let preferred = v.check("preferred_name", parse_optional(&input.preferred_name, 80));
        let pronouns = v.check("pronouns", parse_optional(&input.pronouns, 40));
        let dob = v.check(
            "date_of_birth",
            parse_date_of_birth(&input.date_of_birth, today),
        );
        let sex = v.check(
            "sex_assigned_at_birth",
            parse_sex_at_birth(&input.sex_assigned_at_birth),
        );
        let gender = v.check(
            "gender_identity",
            parse_optional(&input.gender_identity, 60),
        );
        let mobile = v.check("phone_mobile", parse_phone(&input.phone_mobile));
        let home = v.check("phone_home", parse_phone(&input.phone_home));
        let work = v.check("phone_work", parse_phone(&input.phone_work));
        let email = if input.email.trim().is_empty() {
            Some(None)
        } else {
            v.check("email", parse_email(&input.email).map(Some))
        };
        let line1 = v.check("address_line1", parse_optional(&input.address_line1, 120));
        let line2 = v.check("address_line2", parse_optional(&input.address_line2, 120));
        let city = v.check("city", parse_optional(&input.city, 80));
        let state = v.check("state", parse_state(&input.state));
        let zip = v.check("zip", parse_zip(&input.zip));
        let contact = v.check(
            "preferred_contact",
            parse_contact_method(&input.preferred_contact),
        );
        let language = v.check(
            "preferred_language",
            parse_optional(&input.preferred_language, 40),
        );
        let status = if input.status.trim().is_empty() {
            Some(ClientStatus::Inquiry)
        } else {
            v.check("status", ClientStatus::parse(&input.status))
        };
        let clinician = match input.primary_clinician_id.trim() {
            "" => Some(None),
            id => v.check(
                "primary_clinician_id",
                id.parse()
                    .map(Some)
                    .map_err(|_| "Choose a clinician from the list.".into()),
            ),
        };
        let referral = v.check(
            "referral_source",
            parse_optional(&input.referral_source, 120),
        );

        let sms_consent = input.sms_consent.is_some();
        let email_consent = input.email_consent.is_some();
        if sms_consent && matches!(mobile, Some(None)) {
            v.add("sms_consent", "Consent to text needs a mobile number.");
        }
        if email_consent && matches!(email, Some(None)) {
            v.add("email_consent", "Consent to email needs an email address.");
        }
        match contact.as_deref() {
            Some("sms") if !sms_consent => v.add(
                "preferred_contact",
                "Texting needs the client's consent to text.",
            ),
            Some("email") if !email_consent => v.add(
                "preferred_contact",
                "Email needs the client's consent to email.",
            ),
            _ => {}
        }
        v.finish_with(|| {
            Some(NewClient {
                legal_first_name: first?,
                legal_last_name: last?,
                preferred_name: preferred?,
                pronouns: pronouns?,
                date_of_birth: dob?,
                sex_assigned_at_birth: sex?,
                gender_identity: gender?,
                phone_mobile: mobile?,
                phone_home: home?,
                phone_work: work?,
                sms_consent,
                voicemail_consent: input.voicemail_consent.is_some(),
                email: email?,
                email_consent,
                address_line1: line1?,
                address_line2: line2?,
                city: city?,
                state: state?,
                zip: zip?,
                preferred_contact: contact?,
                preferred_language: language?.unwrap_or_else(|| "English".into()),
                status: status?,
                primary_clinician_id: clinician?,
                referral_source: referral?,
            })
        })
    }
}

pub async fn create(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &ClientInput,
    today: NaiveDate,
) -> Result<ClientId, AppError> {
    user.require(Permission::EditClientDemographics)?;
    let client = NewClient::parse(input, today)?;
    let mut tx = pool.begin().await?;
    if let Some(clinician) = client.primary_clinician_id {
        if !repo::is_active_clinician(&mut tx, clinician).await? {
            return Err(AppError::field(
                "primary_clinician_id",
                "Choose an active clinician from the list.",
            ));
        }
    }
    let id = repo::insert(&mut tx, &client).await?;
    repo::insert_status_change(
        &mut tx,
        id,
        None,
        client.status,
        Some("Record created"),
        Some(user.id),
    )
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::CREATE, Outcome::Success, meta)
            .by(user)
            .entity("client", id)
            .client(id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The client list for the user's scope. Recorded as a read (without the search text, which may
/// be a name).
pub async fn search(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    query: &ClientQuery,
) -> Result<ClientPage, AppError> {
    let scope = scope_of(user)?;
    let q = query.q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::field("q", "Search for at most 100 characters."));
    }
    let mut rows = repo::search(
        pool,
        scope,
        &SearchTerm::parse(q),
        query,
        CLIENT_PAGE_SIZE,
        &readable_flags(user),
    )
    .await?;
    let has_more = rows.len() as i64 > CLIENT_PAGE_SIZE;
    rows.truncate(CLIENT_PAGE_SIZE as usize);
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::SEARCH, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "results": rows.len(), "page": query.page })),
    )
    .await?;
    Ok(ClientPage { rows, has_more })
}

impl SearchTerm {
    pub fn parse(q: &str) -> SearchTerm {
        let q = q.trim();
        if q.is_empty() {
            return SearchTerm::Everyone;
        }
        let upper = q.to_ascii_uppercase();
        if upper.len() > 1
            && upper.starts_with('C')
            && upper[1..].chars().all(|c| c.is_ascii_digit())
        {
            return SearchTerm::ChartNumber(upper);
        }
        if let Some(date) = parse_date(q) {
            return SearchTerm::DateOfBirth(date);
        }
        if q.contains('@') {
            return SearchTerm::Email(q.to_lowercase());
        }
        if let Ok(Some(phone)) = parse_phone(q) {
            return SearchTerm::Phone(phone);
        }
        SearchTerm::Name(q.to_lowercase())
    }
}

/// Refuses a client outside the user's scope with the same answer as for one that does not exist
/// (no probing for records), and audits the refusal under `action`. Call it outside a transaction
/// that the refusal would roll back, or the audit row goes with it.
pub async fn require_in_scope(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    scope: Scope,
    client: ClientId,
    action: &'static str,
) -> Result<(), AppError> {
    if repo::in_scope(conn, scope, client).await? {
        return Ok(());
    }
    Err(refuse_out_of_scope(conn, user, meta, client, action).await)
}

/// Records the refusal of a client outside the user's scope and answers "not found".
async fn refuse_out_of_scope(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    action: &'static str,
) -> AppError {
    let recorded = record(
        conn,
        AuditEvent::new(action, Outcome::Denied, meta)
            .by(user)
            .entity("client", client)
            .client(client),
    )
    .await;
    match recorded {
        Ok(()) => AppError::NotFound,
        Err(e) => e,
    }
}

/// How a read of one client's records was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAccess {
    /// The client is within the caller's scope.
    InScope,
    /// Outside it, under the caller's open emergency access (reading only).
    Emergency(EmergencyAccessId),
}

impl ReadAccess {
    /// The grant to mark the read's audit event with.
    pub fn emergency(self) -> Option<EmergencyAccessId> {
        match self {
            ReadAccess::InScope => None,
            ReadAccess::Emergency(id) => Some(id),
        }
    }
}

/// Like [`require_in_scope`], for reading: a client outside the scope may still be read under the
/// caller's open emergency access. Writes never come through here.
pub async fn require_readable(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    scope: Scope,
    client: ClientId,
    action: &'static str,
) -> Result<ReadAccess, AppError> {
    if repo::in_scope(conn, scope, client).await? {
        return Ok(ReadAccess::InScope);
    }
    match super::emergency::open_grant(conn, user, client).await? {
        Some(grant) => Ok(ReadAccess::Emergency(grant)),
        None => Err(refuse_out_of_scope(conn, user, meta, client, action).await),
    }
}

/// A connection for reading one client's records, once the client is known to be readable by the
/// user (in scope, or under emergency access; else the refusal is audited under `action` and the
/// answer is "not found").
pub async fn open_for_reading(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    action: &'static str,
) -> Result<(sqlx::pool::PoolConnection<sqlx::Postgres>, ReadAccess), AppError> {
    let scope = scope_of(user)?;
    let mut conn = pool.acquire().await?;
    let access = require_readable(&mut conn, user, meta, scope, client, action).await?;
    Ok((conn, access))
}

/// Records a successful read of one client's records (marked when under emergency access).
pub async fn record_read(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    action: &'static str,
    access: ReadAccess,
) -> Result<(), AppError> {
    record(
        conn,
        AuditEvent::new(action, Outcome::Success, meta)
            .by(user)
            .entity("client", client)
            .client(client)
            .under(access.emergency()),
    )
    .await
}

/// Opens a chart: allowed for the user's scope, audited either way.
pub async fn chart(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClientId,
) -> Result<ClientChart, AppError> {
    let (mut conn, access) = open_for_reading(pool, user, meta, id, actions::VIEW).await?;
    let client = repo::get(&mut conn, id).await?;
    let zone = crate::settings::server::clock::practice_zone(&mut conn).await?;
    let mut history = repo::status_history(&mut conn, id).await?;
    for h in &mut history {
        h.changed_on = crate::settings::server::clock::date(h.changed_at, zone);
    }
    let care_team = super::record_repo::care_team(&mut conn, id).await?;
    let merged_into = super::record_repo::merged_into(&mut conn, id).await?;
    let emergency = match access {
        ReadAccess::InScope => None,
        ReadAccess::Emergency(id) => Some(crate::clients::emergency::ChartEmergency {
            id,
            until: super::emergency::ends(&mut conn, id, zone).await?,
        }),
    };
    record_read(&mut conn, user, meta, id, actions::VIEW, access).await?;
    Ok(ClientChart {
        emergency,
        client,
        history,
        care_team,
        merged_into,
        can_edit: user.role.can(Permission::EditClientDemographics) && merged_into.is_none(),
        can_merge: user.role.can(Permission::MergeClients) && merged_into.is_none(),
    })
}

pub async fn change_status(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClientId,
    status: &str,
    reason: &str,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let status = ClientStatus::parse(status).map_err(|m| AppError::field("status", m))?;
    let reason = parse_optional(reason, 500).map_err(|m| AppError::field("reason", m))?;
    if status == ClientStatus::Discharged && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Give the reason for the discharge.",
        ));
    }
    let mut tx = pool.begin().await?;
    let previous = repo::set_status(&mut tx, id, status).await?;
    if previous == status {
        return Err(AppError::field(
            "status",
            format!("The client is already {}.", status.label().to_lowercase()),
        ));
    }
    repo::insert_status_change(
        &mut tx,
        id,
        Some(previous),
        status,
        reason.as_deref(),
        Some(user.id),
    )
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::STATUS_CHANGE, Outcome::Success, meta)
            .by(user)
            .entity("client", id)
            .client(id)
            .detail(serde_json::json!({ "from": previous.as_str(), "to": status.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Clinical staff, for choosing a primary clinician or filtering the list by one.
pub async fn clinician_options(
    pool: &PgPool,
    user: &CurrentUser,
) -> Result<Vec<ClinicianOption>, AppError> {
    user.require(Permission::ViewAllClients)?;
    repo::clinician_options(pool).await
}

/// The alert categories a user may read.
pub fn readable_flags(user: &CurrentUser) -> Vec<&'static str> {
    let mut categories = vec!["billing", "administrative"];
    if user.role.can(Permission::EditClinical) {
        categories.push("clinical_risk");
    }
    categories
}

/// The alert categories a user may add and clear.
pub fn writable_flags(user: &CurrentUser) -> Vec<&'static str> {
    let mut categories = Vec::new();
    if user.role.can(Permission::EditClinical) {
        categories.push("clinical_risk");
    }
    if matches!(user.role, Role::Biller | Role::Admin | Role::FrontDesk) {
        categories.push("billing");
    }
    if user.role.can(Permission::EditClientDemographics) {
        categories.push("administrative");
    }
    categories
}

/// Whether the client is in the caller's scope (for other modules' rules: notes, appointments).
pub async fn in_scope(
    conn: &mut PgConnection,
    user: &CurrentUser,
    client: ClientId,
) -> Result<bool, AppError> {
    any_in_scope(conn, user, &[client]).await
}

/// Whether any of the clients is in the caller's scope, in one query; never for a role without one.
pub async fn any_in_scope(
    conn: &mut PgConnection,
    user: &CurrentUser,
    clients: &[ClientId],
) -> Result<bool, AppError> {
    match scope_of(user) {
        Ok(scope) => repo::any_in_scope(conn, scope, clients).await,
        Err(AppError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The client's legal name and chart number (for reports about the record; the caller checks
/// who may see them).
pub async fn identity(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<(String, String), AppError> {
    let c = repo::get(conn, client).await?;
    Ok((
        format!("{} {}", c.legal_first_name, c.legal_last_name),
        c.chart_number,
    ))
}

/// Whether the user is an active clinician, intern or supervisor (who may hold a caseload).
pub async fn is_active_clinician(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    repo::is_active_clinician(conn, user).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_read_as_what_it_looks_like() {
        assert_eq!(SearchTerm::parse(""), SearchTerm::Everyone);
        assert_eq!(
            SearchTerm::parse("c1042"),
            SearchTerm::ChartNumber("C1042".into())
        );
        assert_eq!(
            SearchTerm::parse("04/23/1990"),
            SearchTerm::DateOfBirth(NaiveDate::from_ymd_opt(1990, 4, 23).unwrap())
        );
        assert_eq!(
            SearchTerm::parse("(555) 234-5678"),
            SearchTerm::Phone("+15552345678".into())
        );
        assert_eq!(
            SearchTerm::parse("Ann@Example.com"),
            SearchTerm::Email("ann@example.com".into())
        );
        assert_eq!(SearchTerm::parse("Smtih"), SearchTerm::Name("smtih".into()));
        assert_eq!(
            SearchTerm::parse("Carter"),
            SearchTerm::Name("carter".into())
        );
    }
}
