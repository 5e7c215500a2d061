//! Alerts for a clinician's eyes (a PHQ-9 item 9 above zero, written when the measure is recorded):
//! listed until the clinician acknowledges them. Both are audited: alerts name clients.

use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::documents::actions;
use crate::documents::types::ClinicalAlert;
use crate::error::AppError;
use crate::ids::{AlertId, ClientId};
use sqlx::PgPool;

/// The caller's open alerts, newest first.
pub async fn open(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<ClinicalAlert>, AppError> {
    user.require(Permission::EditClinical)?;
    let alerts: Vec<ClinicalAlert> = sqlx::query_as!(
        ClinicalAlert,
        r#"SELECT al.id, al.client_id,
                coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS "client_name!",
                coalesce('PHQ-9 item 9 (thoughts of self-harm) answered ' || m.answers[9] || ' on '
                    || to_char(m.administered_on, 'MM/DD/YYYY'),
                    'PHQ-9 item 9 (thoughts of self-harm) answered above zero') AS "what!",
                to_char(al.created_at AT TIME ZONE p.time_zone, 'MM/DD/YYYY FMHH12:MI AM') AS "raised!"
           FROM clinical_alerts al
           JOIN clients c ON c.id = al.client_id
           LEFT JOIN measure_results m ON m.id = al.measure_id
          CROSS JOIN practice p
          WHERE al.user_id = $1 AND al.acknowledged_at IS NULL
          ORDER BY al.created_at DESC
          LIMIT 50"#,
        user.id as _,
    )
    .fetch_all(pool)
    .await?;
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::ALERTS_VIEW, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "alerts": alerts.len() })),
    )
    .await?;
    Ok(alerts)
}

/// Marks one of the caller's alerts seen; another's alert, or one already seen, is not found.
pub async fn acknowledge(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AlertId,
) -> Result<(), AppError> {
    user.require(Permission::EditClinical)?;
    let mut tx = pool.begin().await?;
    let client: Option<ClientId> = sqlx::query_scalar!(
        r#"UPDATE clinical_alerts SET acknowledged_at = now()
          WHERE id = $1 AND user_id = $2 AND acknowledged_at IS NULL
         RETURNING client_id AS "client_id: ClientId""#,
        id as _,
        user.id as _,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let client = client.ok_or(AppError::NotFound)?;
    record(
        &mut tx,
        AuditEvent::new(actions::ALERT_ACKNOWLEDGE, Outcome::Success, meta)
            .by(user)
            .client(client)
            .entity("clinical_alert", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
