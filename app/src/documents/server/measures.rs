//! Scored measures on a client's chart: recorded by clinical staff of the caseload, scored again on
//! the server, and a PHQ-9 item 9 above zero raises a critical risk flag and alerts the clinician.

use super::access;
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::documents::actions;
use crate::documents::measures::Instrument;
use crate::documents::types::{MeasureInput, MeasureResult};
use crate::error::{AppError, Validator};
use crate::ids::{ClientId, MeasureId};
use chrono::NaiveDate;
use sqlx::PgPool;

pub async fn record_measure(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &MeasureInput,
) -> Result<MeasureResult, AppError> {
    user.require(Permission::EditClinical)?;
    let mut v = Validator::new();
    let client = v.check(
        "client_id",
        crate::documents::types::parse_client(&input.client_id),
    );
    let instrument = v.check("instrument", Instrument::parse(&input.instrument));
    let answers: Option<Vec<i16>> = v.check(
        "answers",
        input
            .answers
            .split(',')
            .map(|a| a.trim().parse::<i16>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "Answer every question.".to_owned()),
    );
    let on = v.check(
        "administered_on",
        NaiveDate::parse_from_str(input.administered_on.trim(), "%Y-%m-%d")
            .map_err(|_| "Enter the date it was given.".to_owned()),
    );
    let score = match (instrument, &answers) {
        (Some(i), Some(a)) => v.check("answers", i.score(a)),
        _ => None,
    };
    let (client, instrument, answers, on, score) =
        v.finish_with(|| Some((client?, instrument?, answers?, on?, score?)))?;
    let mut tx = pool.begin().await?;
    let today: NaiveDate = sqlx::query_scalar!(
        r#"SELECT (now() AT TIME ZONE time_zone)::date AS "today!" FROM practice"#
    )
    .fetch_one(&mut *tx)
    .await?;
    if on > today {
        return Err(AppError::field(
            "administered_on",
            "The date cannot be in the future.",
        ));
    }
    access::require_caseload_recorded(pool, &mut tx, user, meta, client, actions::MEASURE_RECORD)
        .await?;
    let id: MeasureId = sqlx::query_scalar!(
        r#"INSERT INTO measure_results (client_id, instrument, answers, total, severity, administered_on, entered_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS "id: MeasureId""#,
        client as _,
        instrument.as_str(),
        &answers,
        score.total,
        score.severity,
        on,
        user.id as _,
    )
    .fetch_one(&mut *tx)
    .await?;
    if score.self_harm_risk {
        sqlx::query!(
            "INSERT INTO client_flags (client_id, category, severity, text, created_by)
             VALUES ($1, 'clinical_risk', 'critical', $2, $3)",
            client as _,
            format!(
            "PHQ-9 item 9 (thoughts of death or self-harm) answered above zero on {}: assess risk.",
            on.format("%m/%d/%Y")
        ),
            user.id as _,
        )
        .execute(&mut *tx)
        .await?;
        // the client's clinician, and whoever entered it when that is someone else
        sqlx::query!(
            r#"INSERT INTO clinical_alerts (user_id, client_id, kind, measure_id)
             SELECT DISTINCT u, $1::uuid, 'phq9_item9', $2::uuid
               FROM unnest(ARRAY[(SELECT primary_clinician_id FROM clients WHERE id = $1), $3]) AS u
              WHERE u IS NOT NULL"#,
            client as _,
            id as _,
            user.id as _,
        )
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut tx,
        AuditEvent::new(actions::MEASURE_RECORD, Outcome::Success, meta)
            .by(user)
            .client(client)
            .entity("measure_result", id)
            .detail(serde_json::json!({ "instrument": instrument.as_str(), "risk_flag": score.self_harm_risk })),
    )
    .await?;
    tx.commit().await?;
    Ok(MeasureResult {
        id,
        instrument,
        administered_on: on,
        total: score.total,
        severity: score.severity.to_owned(),
        answers,
    })
}

/// A client's measures, oldest first (the trend chart reads left to right).
pub async fn for_client(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Vec<MeasureResult>, AppError> {
    let mut conn = pool.acquire().await?;
    let reach =
        access::reach_client_recorded(pool, &mut conn, user, meta, client, actions::MEASURES_VIEW)
            .await?;
    // scores are clinical content: those who see notes' metadata only do not see them
    if !reach.reads_content() {
        return Err(access::refused(pool, user, meta, actions::MEASURES_VIEW, client, None).await);
    }
    type Row = (MeasureId, String, NaiveDate, i32, String, Vec<i16>);
    let rows: Vec<Row> = sqlx::query!(
        "SELECT id, instrument, administered_on, total, severity, answers FROM measure_results
          WHERE client_id = $1 ORDER BY administered_on, created_at",
        client as _,
    )
    .map(|r| {
        (
            MeasureId(r.id),
            r.instrument,
            r.administered_on,
            r.total,
            r.severity,
            r.answers,
        )
    })
    .fetch_all(&mut *conn)
    .await?;
    record(
        &mut conn,
        AuditEvent::new(actions::MEASURES_VIEW, Outcome::Success, meta)
            .by(user)
            .client(client)
            .under(reach.emergency()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, instrument, administered_on, total, severity, answers)| {
                Some(MeasureResult {
                    id,
                    instrument: Instrument::parse(&instrument).ok()?,
                    administered_on,
                    total,
                    severity,
                    answers,
                })
            },
        )
        .collect())
}
