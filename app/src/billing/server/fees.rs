//! The fee schedule: the practice's codes and default fees, payers' contracted amounts by date, and
//! the code each appointment type is billed with. Billers and admins; every change audited.

use super::repo::{self, NewPayerFee};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::*;
use crate::error::{AppError, Validator};
use crate::fields::{parse_optional, parse_optional_date, parse_required_date};
use crate::ids::{AppointmentTypeId, PayerId};
use crate::money::Money;
use sqlx::PgPool;

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

pub async fn fee_schedule(pool: &PgPool, user: &CurrentUser) -> Result<FeeSchedule, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut conn = pool.acquire().await?;
    Ok(FeeSchedule {
        codes: repo::service_codes(&mut conn).await?,
        payer_fees: repo::payer_fees(&mut conn).await?,
        types: repo::type_codes(&mut conn).await?,
        payer_rules: repo::payer_rules(&mut conn).await?,
    })
}

/// How a payer wants its claims: the plan kind they are filed under (SBR09, CMS-1500 box 1), and
/// whether an intern's sessions are billed under the supervisor. Claims already sent keep what
/// they said.
pub async fn set_payer_rules(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    payer: PayerId,
    filing_indicator: &str,
    supervisor_renders: bool,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let filing = FilingIndicator::parse(filing_indicator)
        .map_err(|m| AppError::field("filing_indicator", m))?;
    let mut tx = pool.begin().await?;
    if !repo::set_payer_rules(&mut tx, payer, filing, supervisor_renders).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        audit(actions::FEES_CHANGE, user, meta)
            .entity("payer", payer)
            .detail(serde_json::json!({
                "filing_indicator": filing.code(),
                "supervisor_renders_for_interns": supervisor_renders,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_service_code(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &ServiceCodeInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let mut v = Validator::new();
    let code = v.check("code", parse_service_code(&input.code));
    let description = v.check(
        "description",
        parse_optional(&input.description, 80).and_then(|d| {
            d.ok_or_else(|| "Describe the code in a few words (our own words, not CPT's).".into())
        }),
    );
    let fee = v.check("default_fee", Money::parse(&input.default_fee));
    let (code, description, fee) = v.finish_with(|| Some((code?, description?, fee?)))?;
    let mut tx = pool.begin().await?;
    repo::insert_service_code(&mut tx, &code, &description, fee, input.add_on.is_some()).await?;
    record(
        &mut tx,
        audit(actions::FEES_CHANGE, user, meta).entity("service_code", &code),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_code_fee(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    code: &str,
    fee: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let fee = Money::parse(fee).map_err(|m| AppError::field("fee", m))?;
    let mut tx = pool.begin().await?;
    if !repo::set_code_fee(&mut tx, code.trim(), fee).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        audit(actions::FEES_CHANGE, user, meta)
            .entity("service_code", code.trim())
            .detail(serde_json::json!({ "default_fee_cents": fee.cents() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_payer_fee(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &PayerFeeInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let mut v = Validator::new();
    let payer = v.check(
        "payer_id",
        input
            .payer_id
            .trim()
            .parse::<PayerId>()
            .map_err(|_| "Choose a payer.".to_owned()),
    );
    let code = v.check("code", parse_service_code(&input.code));
    let amount = v.check("amount", Money::parse(&input.amount));
    let from = v.check(
        "effective_from",
        parse_required_date(&input.effective_from, "first day"),
    );
    let to = v.check("effective_to", parse_optional_date(&input.effective_to));
    if let (Some(from), Some(Some(to))) = (from, to) {
        if to < from {
            v.add("effective_to", "The last day comes on or after the first.");
        }
    }
    let fee = v.finish_with(|| {
        Some(NewPayerFee {
            payer_id: payer?,
            code: code?,
            amount: amount?,
            effective_from: from?,
            effective_to: to?,
            created_by: user.id,
        })
    })?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_payer_fee(&mut tx, &fee).await?;
    record(
        &mut tx,
        audit(actions::FEES_CHANGE, user, meta).entity("payer_fee", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The code sessions of a type are billed with unless the biller picks another (empty: none).
pub async fn set_type_code(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentTypeId,
    code: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let code = match code.trim() {
        "" => None,
        c => Some(parse_service_code(c).map_err(|m| AppError::field("service_code", m))?),
    };
    let mut tx = pool.begin().await?;
    if !repo::set_type_code(&mut tx, id, code.as_deref()).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        audit(actions::FEES_CHANGE, user, meta).entity("appointment_type", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
