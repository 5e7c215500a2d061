//! Each client's access report (an accounting of disclosures): every audited event that names the
//! client over a period — who, in which role, when, what, whether under emergency access, from
//! which address — with whether the hash-chained trail verified when the report was made. Making it
//! is itself recorded, after the rows are read (so a report never lists itself).

use super::repo::{self, AccessEventRow};
use super::service::{record, verify_chain, AuditEvent};
use crate::audit::actions;
use crate::audit::types::*;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::{Permission, Role};
use crate::error::AppError;
use crate::fields::parse_period;
use crate::ids::ClientId;
use crate::pdf::{render, Block};
use crate::settings::server::clock;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

/// The report on screen.
#[tracing::instrument(skip_all, fields(user = %user.id, client = %client))]
pub async fn report(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    from: &str,
    to: &str,
) -> Result<AccessReport, AppError> {
    make(pool, user, meta, client, from, to, actions::ACCESS_REPORT).await
}

/// The report as a PDF (a release of records: it asks for a recent proof of identity).
pub async fn report_pdf(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    from: &str,
    to: &str,
) -> Result<(String, Vec<u8>), AppError> {
    user.require(Permission::ViewAudit)?;
    crate::auth::server::step_up::require_recent(pool, user).await?;
    let report = make(
        pool,
        user,
        meta,
        client,
        from,
        to,
        actions::ACCESS_REPORT_RELEASE,
    )
    .await?;
    let filename = format!("access-report-{}.pdf", report.chart_number);
    Ok((filename, pdf(&report)))
}

async fn make(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    from: &str,
    to: &str,
    action: &'static str,
) -> Result<AccessReport, AppError> {
    user.require(Permission::ViewAudit)?;
    let (from, to) = parse_period(from, to)?;
    let mut conn = pool.acquire().await?;
    let (client_name, chart_number) =
        crate::clients::server::service::identity(&mut conn, client).await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let (start, end) = (
        start_of(from, zone),
        start_of(to + chrono::Days::new(1), zone),
    );
    let limit = ACCESS_REPORT_MAX_ROWS as i64 + 1;
    let events = repo::client_accesses(&mut conn, client, start, end, limit).await?;
    if events.len() > ACCESS_REPORT_MAX_ROWS {
        return Err(AppError::field(
            "to",
            format!("Over {ACCESS_REPORT_MAX_ROWS} accesses in this period: choose a shorter one."),
        ));
    }
    let chain = chain_check(pool).await?;
    record(
        &mut conn,
        AuditEvent::new(action, crate::audit::types::Outcome::Success, meta)
            .by(user)
            .client(client)
            .detail(serde_json::json!({
                "from": from, "to": to, "rows": events.len(), "chain_verified": chain.verified,
            })),
    )
    .await?;
    Ok(AccessReport {
        client_id: client,
        client_name,
        chart_number,
        period: format!("{} to {}", day(from), day(to)),
        rows: events.into_iter().map(|e| row(e, zone)).collect(),
        chain,
    })
}

/// Midnight at the practice on `day`, as an instant.
fn start_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    zone.from_local_datetime(&midnight)
        .earliest()
        // no zone skips midnight entirely for long; an hour later is inside the day either way
        .unwrap_or_else(|| zone.from_utc_datetime(&midnight))
        .with_timezone(&Utc)
}

fn day(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

fn row(e: AccessEventRow, zone: Tz) -> AccessRow {
    AccessRow {
        id: e.id,
        when: clock::date_time(e.occurred_at, zone),
        who: e.who.unwrap_or_else(|| "System".into()),
        role: e
            .role
            .and_then(|r| Role::parse(&r).ok())
            .map_or("—", Role::label)
            .to_owned(),
        what: describe(&e.action),
        outcome: match e.outcome.as_str() {
            "success" => "Done",
            "denied" => "Refused",
            _ => "Failed",
        }
        .to_owned(),
        emergency: e.emergency,
        ip: e.ip,
    }
}

/// What an audited action was, in words.
pub fn describe(action: &str) -> String {
    if let Some(label) = crate::clients::types::known_activity(action) {
        return label.to_owned();
    }
    let known = match action {
        "documents.notes_list" => "Notes listed",
        "documents.note_view" => "Note read",
        "documents.note_history_view" => "Note's versions read",
        "documents.note_release" => "Note released (PDF)",
        "documents.note_create" => "Note started",
        "documents.note_save" => "Note saved",
        "documents.note_sign" => "Note signed",
        "documents.note_cosign" => "Note co-signed",
        "documents.note_return" => "Note returned for changes",
        "documents.addendum_add" => "Addendum added",
        "documents.measures_view" => "Measures viewed",
        "documents.measure_record" => "Measure recorded",
        "documents.process_note_write" => "Psychotherapy note written",
        "documents.process_notes_view" => "Psychotherapy notes read (their author)",
        "scheduling.appointment_view" => "Appointment viewed",
        "scheduling.book" => "Appointment booked",
        "billing.ledger_view" => "Balance and payments viewed",
        "billing.statement_download" => "Statement released (PDF)",
        "billing.superbill_download" => "Superbill released (PDF)",
        actions::ACCESS_REPORT => "Access report produced",
        actions::ACCESS_REPORT_RELEASE => "Access report released (PDF)",
        actions::VIEW => "Audit log read",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    // "billing.claim_view" → "Billing: claim view"
    match action.split_once('.') {
        Some((module, rest)) => {
            let mut module = module.to_owned();
            if let Some(first) = module.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{module}: {}", rest.replace('_', " "))
        }
        None => action.to_owned(),
    }
}

/// Walks the whole trail (every lane) and says whether it verified.
async fn chain_check(pool: &PgPool) -> Result<ChainCheck, AppError> {
    let report = verify_chain(pool).await?;
    Ok(match report.first_broken {
        None => ChainCheck {
            verified: true,
            summary: format!(
                "The audit trail verified: all {} events are unaltered and none is missing from its chain.",
                report.checked
            ),
        },
        Some((id, why)) => ChainCheck {
            verified: false,
            summary: format!(
                "The audit trail does NOT verify at event {id}: {why}. This report may be incomplete or altered: tell the practice's security officer."
            ),
        },
    })
}

fn pdf(r: &AccessReport) -> Vec<u8> {
    let mut blocks = vec![
        Block::Title("Access report".into()),
        Block::Text(format!("{} · chart {}", r.client_name, r.chart_number)),
        Block::Small(format!("Every recorded access to the record, {}", r.period)),
        Block::Rule,
        Block::Heading("Audit trail".into()),
        Block::Text(r.chain.summary.clone()),
        Block::Heading(format!("Accesses ({})", r.rows.len())),
    ];
    if r.rows.is_empty() {
        blocks.push(Block::Text("No access was recorded in this period.".into()));
    }
    for a in &r.rows {
        let mut line = format!(
            "#{} · {} · {} ({}) · {} · {}",
            a.id, a.when, a.who, a.role, a.what, a.outcome
        );
        if a.emergency {
            line.push_str(" · EMERGENCY ACCESS");
        }
        if let Some(ip) = &a.ip {
            line.push_str(&format!(" · from {ip}"));
        }
        blocks.push(Block::Text(line));
    }
    render(
        "Access report",
        &blocks,
        &format!("Access report · {} · {}", r.chart_number, r.period),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_words() {
        assert_eq!(describe("clients.view"), "Chart opened");
        assert_eq!(describe("documents.note_view"), "Note read");
        assert_eq!(describe("billing.claim_view"), "Billing: claim view");
        assert_eq!(describe("audit.view"), "Audit log read");
    }

    #[test]
    fn a_day_starts_at_the_practices_midnight() {
        let chicago = chrono_tz::America::Chicago;
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(
            start_of(d, chicago),
            Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap()
        );
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(
            start_of(summer, chicago),
            Utc.with_ymd_and_hms(2026, 7, 1, 5, 0, 0).unwrap()
        );
    }
}
