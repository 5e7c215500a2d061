//! Treatment plans as progress notes use them: the objectives of a client's signed plans, which a
//! progress note may say it addressed.

use super::repo;
use super::sealing::open_content;
use crate::crypto::Keyring;
use crate::documents::plan::{
    objective_refs, ObjectiveRef, TreatmentPlan, OBJECTIVES_KEY, PLAN_KEY,
};
use crate::documents::types::NoteContent;
use crate::error::AppError;
use crate::ids::ClientId;
use sqlx::PgConnection;

/// How many of the latest signed plans offer their objectives.
const RECENT_PLANS: i64 = 5;

/// The objectives of the client's latest signed treatment plans, newest plan first.
pub async fn objectives(
    conn: &mut PgConnection,
    keys: &Keyring,
    client: ClientId,
) -> Result<Vec<ObjectiveRef>, AppError> {
    let plans = repo::signed_plans(conn, client, RECENT_PLANS).await?;
    let mut refs = Vec::new();
    for row in &plans {
        let content = open_content(keys, row)?;
        // a signed plan was checked when it was signed; one that no longer reads offers nothing
        let plan = TreatmentPlan::from_content(content.get(PLAN_KEY)).unwrap_or_default();
        refs.extend(objective_refs(row.id, &plan));
    }
    Ok(refs)
}

/// A progress note may only point at objectives of the client's signed plans.
pub async fn check_objectives(
    conn: &mut PgConnection,
    keys: &Keyring,
    client: ClientId,
    content: &NoteContent,
) -> Result<(), AppError> {
    let Some(chosen) = content.get(OBJECTIVES_KEY).filter(|v| !v.trim().is_empty()) else {
        return Ok(());
    };
    let known = objectives(conn, keys, client).await?;
    let all_known = chosen
        .split(',')
        .filter(|k| !k.is_empty())
        .all(|k| known.iter().any(|o| o.key == k));
    if all_known {
        Ok(())
    } else {
        Err(AppError::field(
            OBJECTIVES_KEY,
            "Choose objectives from the client's signed treatment plan.",
        ))
    }
}
