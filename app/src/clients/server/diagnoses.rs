//! Diagnoses: clinical staff read and write those of their caseload; billers read the codes of every
//! client (for claims) without descriptions; admin and front desk do not see them.

use super::repo;
use super::service::{require_in_scope, require_readable, scope_of, ReadAccess, Scope};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::actions;
use crate::clients::types::*;
use crate::error::{AppError, Validator};
use crate::fields::parse_date;
use crate::ids::{ClientId, DiagnosisId};
use chrono::NaiveDate;
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Read and write, within the caseload.
    Clinical(Scope),
    /// Codes only, every client.
    CodesOnly,
}

fn access_of(user: &CurrentUser) -> Result<Access, AppError> {
    user.require(Permission::ReadDiagnosisCodes)?;
    if user.role.can(Permission::EditClinical) {
        Ok(Access::Clinical(scope_of(user)?))
    } else {
        Ok(Access::CodesOnly)
    }
}

pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<DiagnosisList, AppError> {
    let access = access_of(user)?;
    let mut conn = pool.acquire().await?;
    let scope = match access {
        Access::Clinical(scope) => scope,
        Access::CodesOnly => Scope::All,
    };
    let read = require_readable(
        &mut conn,
        user,
        meta,
        scope,
        client,
        actions::DIAGNOSES_VIEW,
    )
    .await?;
    let mut diagnoses = repo::diagnoses(&mut conn, client).await?;
    if access == Access::CodesOnly {
        for d in &mut diagnoses {
            d.description = None;
        }
    }
    record(
        &mut conn,
        AuditEvent::new(actions::DIAGNOSES_VIEW, Outcome::Success, meta)
            .by(user)
            .entity("client", client)
            .client(client)
            .under(read.emergency()),
    )
    .await?;
    Ok(DiagnosisList {
        diagnoses,
        can_edit: matches!(access, Access::Clinical(_)) && read == ReadAccess::InScope,
    })
}

fn clinical_scope(user: &CurrentUser) -> Result<Scope, AppError> {
    match access_of(user)? {
        Access::Clinical(scope) => Ok(scope),
        Access::CodesOnly => Err(AppError::Forbidden),
    }
}

/// A diagnosis as typed on the chart.
#[derive(Debug, Clone, Copy)]
pub struct DiagnosisInput<'a> {
    pub client: ClientId,
    pub code: &'a str,
    pub kind: &'a str,
    pub onset: &'a str,
}

pub async fn add(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: DiagnosisInput<'_>,
    today: NaiveDate,
) -> Result<DiagnosisId, AppError> {
    let scope = clinical_scope(user)?;
    let DiagnosisInput {
        client,
        code,
        kind,
        onset,
    } = input;
    let mut v = Validator::new();
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() {
        v.add("code", "Choose a diagnosis from the list.");
    }
    let kind = v.check("kind", parse_diagnosis_kind(kind));
    let onset = match onset.trim() {
        "" => Some(None),
        text => v.check(
            "onset_on",
            match parse_date(text) {
                Some(d) if d > today => Err("The onset cannot be in the future.".to_owned()),
                Some(d) => Ok(Some(d)),
                None => Err("Enter the date as MM/DD/YYYY.".to_owned()),
            },
        ),
    };
    let (kind, onset) = v.finish_with(|| Some((kind?, onset?)))?;
    // checked before the transaction, so a refusal's audit row is not rolled back with it
    require_in_scope(
        &mut *pool.acquire().await?,
        user,
        meta,
        scope,
        client,
        actions::DIAGNOSIS_ADD,
    )
    .await?;
    let mut tx = pool.begin().await?;
    match repo::icd10_billable(&mut tx, &code).await? {
        None => {
            return Err(AppError::field(
                "code",
                format!("{code} is not an ICD-10-CM code in our list."),
            ))
        }
        Some(false) => {
            return Err(AppError::field(
                "code",
                format!("{code} is a category: choose one of the more specific codes under it."),
            ))
        }
        Some(true) => {}
    }
    let id = repo::insert_diagnosis(&mut tx, client, &code, &kind, onset, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::DIAGNOSIS_ADD, Outcome::Success, meta)
            .by(user)
            .entity("diagnosis", id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn resolve(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: DiagnosisId,
    resolved: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let scope = clinical_scope(user)?;
    let resolved_on = match parse_date(resolved.trim()) {
        Some(d) if d > today => {
            return Err(AppError::field(
                "resolved_on",
                "The resolution cannot be in the future.",
            ))
        }
        Some(d) => d,
        None => {
            return Err(AppError::field(
                "resolved_on",
                "Enter the date as MM/DD/YYYY.",
            ))
        }
    };
    let mut conn = pool.acquire().await?;
    let client = repo::diagnosis_client(&mut conn, id).await?;
    require_in_scope(
        &mut conn,
        user,
        meta,
        scope,
        client,
        actions::DIAGNOSIS_RESOLVE,
    )
    .await?;
    drop(conn);
    let mut tx = pool.begin().await?;
    if !repo::resolve_diagnosis(&mut tx, id, resolved_on).await? {
        return Err(AppError::field(
            "resolved_on",
            "The resolution date is before the onset, or it is already resolved.",
        ));
    }
    record(
        &mut tx,
        AuditEvent::new(actions::DIAGNOSIS_RESOLVE, Outcome::Success, meta)
            .by(user)
            .entity("diagnosis", id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Type-ahead over the billable codes: by code prefix ("F41") or words, typos allowed ("anxeity").
pub async fn search_codes(pool: &PgPool, q: &str) -> Result<Vec<Icd10Code>, AppError> {
    let q = q.trim().to_lowercase();
    if q.is_empty() || q.chars().count() > 60 {
        return Ok(Vec::new());
    }
    repo::search_icd10(pool, &q).await
}
