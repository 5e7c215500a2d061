//! Practice settings: admins change them; every change is audited (without values that could be
//! sensitive, such as the tax id).

use super::repo::{self, NewLocation, NewPractice};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::types::Payer;
use crate::codes::parse_payer_code;
use crate::codes::{
    parse_optional_npi, parse_tax_id, parse_taxonomy, parse_time_zone, PLACES_OF_SERVICE,
};
use crate::documents::types::NoteFormat;
use crate::error::{AppError, Validator};
use crate::fields::{
    parse_choice, parse_name, parse_optional, parse_phone, parse_state, parse_zip,
};
use crate::ids::{LocationId, PayerId};
use crate::settings::actions;
use crate::settings::types::*;
use sqlx::{PgConnection, PgPool};

impl NewPractice {
    pub fn parse(input: &PracticeInput) -> Result<NewPractice, AppError> {
        let mut v = Validator::new();
        let name = v.check("name", parse_practice_name(&input.name));
        let zone = v.check("time_zone", parse_time_zone(&input.time_zone));
        let npi = v.check("billing_npi", parse_optional_npi(&input.billing_npi));
        let tax = v.check("tax_id", parse_tax_id(&input.tax_id));
        let idle = v.check(
            "idle_timeout_minutes",
            parse_idle_timeout(&input.idle_timeout_minutes),
        );
        let format = v.check(
            "default_note_format",
            NoteFormat::parse(&input.default_note_format),
        );
        let due = v.check(
            "note_due_hours",
            parse_note_due_hours(&input.note_due_hours),
        );
        let emergency = v.check(
            "emergency_access_minutes",
            parse_emergency_access_minutes(&input.emergency_access_minutes),
        );
        v.finish_with(|| {
            Some(NewPractice {
                emergency_access_minutes: emergency?,
                default_note_format: format?,
                note_due_hours: due?,
                name: name?,
                time_zone: zone?,
                billing_npi: npi?,
                tax_id: tax?,
                idle_timeout_minutes: idle?,
            })
        })
    }
}

impl NewLocation {
    pub fn parse(input: &LocationInput) -> Result<NewLocation, AppError> {
        let mut v = Validator::new();
        let name = v.check("name", parse_name(&input.name, "location's name"));
        let line1 = v.check(
            "address_line1",
            parse_optional(&input.address_line1, 120)
                .and_then(|a| a.ok_or_else(|| "Enter the street address.".into())),
        );
        let line2 = v.check("address_line2", parse_optional(&input.address_line2, 120));
        let city = v.check("city", parse_name(&input.city, "city"));
        let state = v.check(
            "state",
            parse_state(&input.state).and_then(|s| s.ok_or_else(|| "Choose a US state.".into())),
        );
        let zip = v.check(
            "zip",
            parse_zip(&input.zip).and_then(|z| z.ok_or_else(|| "Enter the ZIP code.".into())),
        );
        let phone = v.check("phone", parse_phone(&input.phone));
        let pos = v.check(
            "place_of_service",
            parse_choice(&input.place_of_service, PLACES_OF_SERVICE)
                .map(|p| p.unwrap_or_else(|| "11".into())),
        );
        v.finish_with(|| {
            Some(NewLocation {
                name: name?,
                address_line1: line1?,
                address_line2: line2?,
                city: city?,
                state: state?,
                zip: zip?,
                phone: phone?,
                place_of_service: pos?,
            })
        })
    }
}

/// The billing identity as typed, checked field by field (each part may stay empty until claims go out).
pub fn parse_billing_identity(input: &BillingIdentityInput) -> Result<BillingIdentity, AppError> {
    let mut v = Validator::new();
    let taxonomy = v.check("taxonomy", parse_taxonomy(&input.taxonomy));
    let address = v.check("address", parse_optional(&input.address, 55));
    let city = v.check("city", parse_optional(&input.city, 30));
    let state = v.check("state", parse_state(&input.state));
    let zip = v.check("zip", parse_zip_plus_four(&input.zip));
    let phone = v.check("phone", parse_phone(&input.phone));
    let submitter_id = v.check("submitter_id", parse_submitter_id(&input.submitter_id));
    v.finish_with(|| {
        Some(BillingIdentity {
            taxonomy: taxonomy?,
            address: address?,
            city: city?,
            state: state?,
            zip: zip?,
            phone: phone?,
            submitter_id: submitter_id?,
        })
    })
}

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

pub async fn overview(pool: &PgPool, user: &CurrentUser) -> Result<SettingsOverview, AppError> {
    user.require(Permission::ManageSettings)?;
    let mut conn = pool.acquire().await?;
    Ok(SettingsOverview {
        practice: repo::practice(&mut conn).await?,
        billing: repo::billing_identity(&mut conn).await?,
        locations: repo::locations(&mut conn).await?,
        payers: repo::payers(pool, true).await?,
    })
}

pub async fn update_practice(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &PracticeInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageSettings)?;
    let practice = NewPractice::parse(input)?;
    let mut tx = pool.begin().await?;
    repo::update_practice(&mut tx, &practice).await?;
    record(
        &mut tx,
        audit(actions::PRACTICE_UPDATE, user, meta).entity("practice", "practice"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn update_billing_identity(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &BillingIdentityInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageSettings)?;
    let identity = parse_billing_identity(input)?;
    let mut tx = pool.begin().await?;
    repo::update_billing_identity(&mut tx, &identity).await?;
    record(
        &mut tx,
        audit(actions::BILLING_IDENTITY_UPDATE, user, meta).entity("practice", "practice"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_location(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &LocationInput,
) -> Result<LocationId, AppError> {
    user.require(Permission::ManageSettings)?;
    let location = NewLocation::parse(input)?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_location(&mut tx, &location).await?;
    record(
        &mut tx,
        audit(actions::LOCATION_ADD, user, meta).entity("location", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_room(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    location: LocationId,
    name: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageSettings)?;
    let name = parse_optional(name, 60)
        .and_then(|n| n.ok_or_else(|| "Enter the room's name.".into()))
        .map_err(|m| AppError::field("room_name", m))?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_room(&mut tx, location, &name).await?;
    record(
        &mut tx,
        audit(actions::ROOM_ADD, user, meta).entity("room", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_payer(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    name: &str,
    payer_code: &str,
) -> Result<PayerId, AppError> {
    user.require(Permission::ManageSettings)?;
    let mut v = Validator::new();
    let name = v.check("payer_name", parse_name(name, "payer's name"));
    let code = v.check("payer_code", parse_payer_code(payer_code));
    let (name, code) = v.finish_with(|| Some((name?, code?)))?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_payer(&mut tx, &name, &code).await?;
    record(
        &mut tx,
        audit(actions::PAYER_ADD, user, meta).entity("payer", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_payer_active(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: PayerId,
    active: bool,
) -> Result<(), AppError> {
    user.require(Permission::ManageSettings)?;
    let mut tx = pool.begin().await?;
    repo::set_payer_active(&mut tx, id, active).await?;
    record(
        &mut tx,
        audit(actions::PAYER_ACTIVE, user, meta)
            .entity("payer", id)
            .detail(serde_json::json!({ "active": active })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Active locations, for anyone choosing one (working hours, appointments).
pub async fn location_options(pool: &PgPool) -> Result<Vec<LocationOption>, AppError> {
    repo::location_options(pool).await
}

/// The payers policies may name: the active ones (for new policies) or all of them.
pub async fn payers(pool: &PgPool, include_retired: bool) -> Result<Vec<Payer>, AppError> {
    repo::payers(pool, include_retired).await
}

/// Whether a payer is on the list and not retired.
pub async fn payer_is_active(conn: &mut PgConnection, id: PayerId) -> Result<bool, AppError> {
    repo::payer_is_active(conn, id).await
}
