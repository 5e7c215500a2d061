//! A client's papers as PDF: a statement for a period (what changed, the balance, its age) and a
//! superbill for a client to claim out of network (practice and clinician identity, diagnoses,
//! codes, fees, paid). Front desk, billers and admins; each is audited as a release.

use super::receivables_repo::today;
use super::repo::practice;
use super::statements_repo as repo;
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::{EntryKind, AGING_BUCKETS};
use crate::error::AppError;
use crate::ids::ClientId;
use crate::money::Money;
use crate::pdf::{render, Block};
use chrono::NaiveDate;
use sqlx::PgPool;

pub use crate::fields::parse_period;

fn practice_lines(p: &super::repo::PracticeRow) -> Vec<String> {
    let mut lines = vec![p.name.clone()];
    lines.extend(p.billing_address.clone());
    if let (Some(city), Some(state), Some(zip)) =
        (&p.billing_city, &p.billing_state, &p.billing_zip)
    {
        lines.push(format!("{city}, {state} {zip}"));
    }
    lines.extend(p.billing_phone.clone());
    lines
}

fn client_lines(c: &repo::ClientHeader) -> Vec<String> {
    let mut lines = vec![c.name.clone()];
    lines.extend(c.address_line1.clone());
    if let (Some(city), Some(state), Some(zip)) = (&c.city, &c.state, &c.zip) {
        lines.push(format!("{city}, {state} {zip}"));
    }
    lines
}

fn date(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

async fn audit_release(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    action: &'static str,
    client: ClientId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    record(
        &mut conn,
        AuditEvent::new(action, Outcome::Success, meta)
            .by(user)
            .client(client)
            .detail(serde_json::json!({ "from": from, "to": to })),
    )
    .await
}

/// The client's statement for a period: the balance before it, each change in it, the balance
/// after, how old what is owed is, and the amount due.
pub async fn statement_pdf(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    from: &str,
    to: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let denied = AuditEvent::new(actions::STATEMENT_DOWNLOAD, Outcome::Denied, meta)
        .by(user)
        .client(client);
    super::require_audited(pool, user, &[Permission::BillClients], denied).await?;
    crate::auth::server::step_up::require_recent(pool, user).await?;
    let (from, to) = parse_period(from, to)?;
    let mut conn = pool.acquire().await?;
    let header = repo::client_header(&mut conn, client).await?;
    let p = practice(&mut conn).await?;
    let credit = super::ledger_repo::credit(&mut conn, client).await?;
    let today = today(&mut conn).await?;
    let before = repo::client_balance_before(&mut conn, client, from).await?;
    let rows = repo::statement_rows(&mut conn, client, from, to).await?;
    let aging = repo::client_aging(&mut conn, client, today).await?;
    drop(conn);
    audit_release(
        pool,
        user,
        meta,
        actions::STATEMENT_DOWNLOAD,
        client,
        from,
        to,
    )
    .await?;

    let mut blocks = vec![
        Block::Title("Statement".into()),
        Block::Small(practice_lines(&p).join("\n")),
        Block::Rule,
        Block::Text(client_lines(&header).join("\n")),
        Block::Small(format!(
            "For {} to {} · made {}",
            date(from),
            date(to),
            date(today)
        )),
        Block::Heading("Activity".into()),
        Block::Text(format!("Balance on {}: {}", date(from), Money(before))),
    ];
    let mut balance = before;
    if rows.is_empty() {
        blocks.push(Block::Text("Nothing changed in this period.".into()));
    }
    for r in &rows {
        balance += r.amount_cents;
        let what = EntryKind::parse(&r.kind).map_or("Adjustment", EntryKind::label);
        let session = match (&r.service_date, &r.service_code) {
            (Some(d), Some(code)) => format!(" · session {} ({code})", date(*d)),
            _ => String::new(),
        };
        let why = r
            .reason
            .as_deref()
            .map(|w| format!(" · {w}"))
            .unwrap_or_default();
        blocks.push(Block::Text(format!(
            "{}  {what}{session}{why}: {}  (balance {})",
            date(r.posted_on),
            Money(r.amount_cents),
            Money(balance)
        )));
    }
    blocks.push(Block::Heading(format!(
        "Balance on {}: {}",
        date(to),
        Money(balance)
    )));
    blocks.push(Block::Heading(
        "What is owed now, by age of the session".into(),
    ));
    blocks.push(Block::Text(
        AGING_BUCKETS
            .iter()
            .zip(aging)
            .map(|(b, c)| format!("{b}: {}", Money(c)))
            .collect::<Vec<_>>()
            .join("\n"),
    ));
    let owed: i64 = aging.iter().sum();
    if credit > 0 {
        blocks.push(Block::Text(format!(
            "Credit on your account: {}",
            Money(credit)
        )));
    }
    blocks.push(Block::Heading(format!(
        "Amount due: {}",
        Money((owed - credit).max(0))
    )));
    blocks.push(Block::Small(
        "Questions about this statement? Call the number above. Thank you.".into(),
    ));
    let pdf = render(
        &format!("Statement for {}", header.name),
        &blocks,
        &format!("{} · statement {} to {}", p.name, date(from), date(to)),
    );
    Ok((
        format!(
            "statement-{}-{}.pdf",
            from.format("%Y%m%d"),
            to.format("%Y%m%d")
        ),
        pdf,
    ))
}

/// A superbill for the client to send their insurer: who treated them (names, NPIs, licences),
/// the practice's NPI and tax id, the diagnoses in words, and each session's code, fee and payment.
/// It shows diagnoses, so only those who may read diagnosis codes and bill clients make it (billers).
pub async fn superbill_pdf(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    from: &str,
    to: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let denied = AuditEvent::new(actions::SUPERBILL_DOWNLOAD, Outcome::Denied, meta)
        .by(user)
        .client(client);
    let needs = [Permission::BillClients, Permission::ReadDiagnosisCodes];
    super::require_audited(pool, user, &needs, denied).await?;
    crate::auth::server::step_up::require_recent(pool, user).await?;
    let (from, to) = parse_period(from, to)?;
    let mut conn = pool.acquire().await?;
    let header = repo::client_header(&mut conn, client).await?;
    let p = practice(&mut conn).await?;
    let lines = repo::superbill_lines(&mut conn, client, from, to).await?;
    let mut codes: Vec<String> = Vec::new();
    for code in lines.iter().flat_map(|l| &l.diagnosis_codes) {
        if !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    let diagnoses = repo::diagnosis_words(&mut conn, &codes).await?;
    drop(conn);
    if lines.is_empty() {
        return Err(AppError::field(
            "to",
            "No session was charged in this period.",
        ));
    }
    audit_release(
        pool,
        user,
        meta,
        actions::SUPERBILL_DOWNLOAD,
        client,
        from,
        to,
    )
    .await?;

    let mut providers: Vec<String> = Vec::new();
    for l in &lines {
        let who = format!(
            "{} · NPI {} · {}",
            l.provider,
            l.provider_npi.as_deref().unwrap_or("not recorded"),
            l.licenses.as_deref().unwrap_or("no licence recorded")
        );
        if !providers.contains(&who) {
            providers.push(who);
        }
    }
    let mut blocks = vec![
        Block::Title("Superbill".into()),
        Block::Small(practice_lines(&p).join("\n")),
        Block::Text(format!(
            "Practice NPI {} · Tax id (EIN) {}",
            p.billing_npi.as_deref().unwrap_or("not recorded"),
            p.tax_id.as_deref().unwrap_or("not recorded")
        )),
        Block::Rule,
        Block::Heading("Client".into()),
        Block::Text(format!(
            "{}\nDate of birth {}",
            client_lines(&header).join("\n"),
            date(header.date_of_birth)
        )),
        Block::Heading("Rendering providers".into()),
        Block::Text(providers.join("\n")),
        Block::Heading("Diagnoses (ICD-10-CM)".into()),
        Block::Text(
            diagnoses
                .iter()
                .enumerate()
                .map(|(i, (code, words))| format!("{}. {code} {words}", i + 1))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Block::Heading(format!("Services {} to {}", date(from), date(to))),
    ];
    let (mut charged, mut paid) = (0, 0);
    for l in &lines {
        charged += l.amount_cents;
        paid += l.paid_cents;
        let modifiers = if l.modifiers.is_empty() {
            String::new()
        } else {
            format!("-{}", l.modifiers.join("-"))
        };
        let pointers: Vec<String> = l
            .diagnosis_codes
            .iter()
            .filter_map(|c| diagnoses.iter().position(|(d, _)| d == c))
            .map(|i| (i + 1).to_string())
            .collect();
        blocks.push(Block::Text(format!(
            "{}  CPT {}{modifiers} ({}) × {} · place {} · diagnoses {} · fee {} · paid {}",
            date(l.service_date),
            l.service_code,
            l.description,
            l.units,
            l.place_of_service,
            pointers.join(", "),
            Money(l.amount_cents),
            Money(l.paid_cents)
        )));
    }
    blocks.push(Block::Heading(format!(
        "Total charged {} · total paid {}",
        Money(charged),
        Money(paid)
    )));
    blocks.push(Block::Small(
        "Submit this superbill to your insurer for out-of-network reimbursement.".into(),
    ));
    let pdf = render(
        &format!("Superbill for {}", header.name),
        &blocks,
        &format!("{} · superbill {} to {}", p.name, date(from), date(to)),
    );
    Ok((
        format!(
            "superbill-{}-{}.pdf",
            from.format("%Y%m%d"),
            to.format("%Y%m%d")
        ),
        pdf,
    ))
}
