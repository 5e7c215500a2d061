//! A client's money: the ledger with running balances, payments taken at the desk, credit applied
//! to charges, refunds, write-offs and moving a balance to the client. Every write locks the
//! client's row first, so two people posting to one client at once take turns; the database's
//! deferred checks refuse any result that would apply money twice.

use super::ledger_repo::{self as repo, NewPayment};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::billing::actions;
use crate::billing::types::*;
use crate::error::{AppError, Validator};
use crate::ids::{AppointmentId, ChargeId, ClientId, PaymentId};
use crate::money::Money;
use sqlx::{PgConnection, PgPool};

fn audit(action: &'static str, user: &CurrentUser, meta: &RequestMeta) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta).by(user)
}

fn detail(row: &repo::EntryRow) -> String {
    let method = row
        .payment_method
        .as_deref()
        .and_then(|m| PaymentMethod::parse(m).ok());
    match (row.reason.as_deref(), method, row.payer_name.as_deref()) {
        (Some(reason), _, Some(payer)) => format!("{payer}: {reason}"),
        (Some(reason), _, None) => reason.to_owned(),
        (None, Some(PaymentMethod::Check), _) => format!(
            "Check {} (receipt {})",
            row.check_number.as_deref().unwrap_or_default(),
            row.receipt_number.unwrap_or_default()
        ),
        (None, Some(m), _) => format!(
            "{} (receipt {})",
            m.label(),
            row.receipt_number.unwrap_or_default()
        ),
        (None, None, Some(payer)) => payer.to_owned(),
        (None, None, None) => String::new(),
    }
}

/// Running balances over the rows in order: the insurer's share of charges, and the client's
/// share less the money on their account.
pub fn running(rows: &[repo::EntryRow]) -> Vec<LedgerLine> {
    let mut insurance = 0;
    let mut client = 0;
    rows.iter()
        .map(|r| {
            let (di, dc) = if r.party == "insurance" {
                (r.amount_cents, 0)
            } else {
                (0, r.amount_cents)
            };
            insurance += di;
            client += dc;
            LedgerLine {
                id: r.id,
                at: r.created_at,
                posted_on: r.posted_on,
                kind: EntryKind::parse(&r.kind).unwrap_or(EntryKind::Adjustment),
                charge_id: r.charge_id,
                service_date: r.service_date,
                service_code: r.service_code.clone(),
                detail: detail(r),
                insurance: Money(di),
                client: Money(dc),
                insurance_balance: Money(insurance),
                client_balance: Money(client),
            }
        })
        .collect()
}

/// The client's ledger. Front desk, billers and admins; the read is audited.
pub async fn client_ledger(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<ClientLedger, AppError> {
    let denied = AuditEvent::new(actions::LEDGER_VIEW, Outcome::Denied, meta)
        .by(user)
        .client(client);
    super::require_audited(pool, user, &[Permission::BillClients], denied).await?;
    let mut conn = pool.acquire().await?;
    let client_name = repo::client_name(&mut conn, client).await?;
    let rows = repo::client_entries(&mut conn, client).await?;
    let open_charges = repo::owed_charges(&mut conn, client).await?;
    let credit = repo::credit(&mut conn, client).await?;
    let copay_due = repo::copay_due_today(&mut conn, client).await?;
    let payments = repo::client_payments(&mut conn, client)
        .await?
        .into_iter()
        .map(|p| PaymentSummary {
            id: p.id,
            receipt_number: p.receipt_number,
            refund: p.kind == "refund",
            method: PaymentMethod::parse(&p.method).unwrap_or(PaymentMethod::Cash),
            amount: Money(p.amount_cents),
            received_at: p.received_at,
            received_by: p.received_by,
        })
        .collect();
    record(
        &mut conn,
        audit(actions::LEDGER_VIEW, user, meta).client(client),
    )
    .await?;
    Ok(ClientLedger {
        client_id: client,
        client_name,
        insurance_balance: Money(open_charges.iter().map(|c| c.insurance_owes.cents()).sum()),
        client_owes: Money(open_charges.iter().map(|c| c.client_owes.cents()).sum()),
        lines: running(&rows),
        open_charges,
        payments,
        credit: Money(credit),
        copay_due: Money(copay_due),
    })
}

/// Checks a payment as typed: every bad field at once.
struct PaymentParsed {
    client: ClientId,
    method: PaymentMethod,
    amount: i64,
    check: Option<String>,
    card: Option<String>,
    appointment: Option<AppointmentId>,
    note: Option<String>,
}

fn parse_payment(input: &PaymentInput) -> Result<PaymentParsed, AppError> {
    let mut v = Validator::new();
    let client = v.check(
        "client",
        input
            .client
            .trim()
            .parse::<ClientId>()
            .map_err(|_| "Choose the client.".to_owned()),
    );
    let appointment = match input.appointment.trim() {
        "" => Some(None),
        raw => v
            .check(
                "appointment",
                raw.parse::<AppointmentId>()
                    .map_err(|_| "Choose the session from the list.".to_owned()),
            )
            .map(Some),
    };
    let method = v.check("method", PaymentMethod::parse(&input.method));
    let amount = v.check(
        "amount",
        Money::parse(&input.amount).and_then(|m| {
            if m.cents() <= 0 {
                Err("Enter an amount above zero.".into())
            } else if m.cents() > 100_000_000 {
                Err("Enter an amount under $1,000,000.".into())
            } else {
                Ok(m.cents())
            }
        }),
    );
    let check = match method {
        Some(PaymentMethod::Check) => {
            v.check("check_number", parse_check_number(&input.check_number))
        }
        _ => None,
    };
    let card = match method {
        Some(PaymentMethod::Card) => v.check(
            "card_reference",
            parse_card_reference(&input.card_reference),
        ),
        _ => None,
    };
    let note = input.note.trim();
    if note.chars().count() > 300 {
        v.add("note", "Keep the note under 300 characters.");
    }
    let note = (!note.is_empty()).then(|| note.to_owned());
    v.finish_with(|| {
        Some(PaymentParsed {
            client: client?,
            method: method?,
            amount: amount?,
            check,
            card,
            appointment: appointment?,
            note,
        })
    })
}

/// Takes a payment at the desk: it lands on the account, then (when asked) on the client's open
/// charges oldest first; whatever is left stays as credit.
pub async fn take_payment(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &PaymentInput,
) -> Result<PaymentTaken, AppError> {
    user.require(Permission::BillClients)?;
    let PaymentParsed {
        client,
        method,
        amount,
        check,
        card,
        appointment,
        note,
    } = parse_payment(input)?;
    let mut tx = pool.begin().await?;
    repo::lock_clients(&mut tx, &[client]).await?;
    repo::client_name(&mut tx, client).await?;
    if let Some(appointment) = appointment {
        if !repo::attends(&mut tx, appointment, client).await? {
            return Err(AppError::field(
                "appointment",
                "That session is not one of this client's.",
            ));
        }
    }
    let (id, receipt_number) = repo::insert_payment(
        &mut tx,
        &NewPayment {
            client,
            refund: false,
            method,
            check_number: check.as_deref(),
            card_reference: card.as_deref(),
            amount_cents: amount,
            appointment,
            note: note.as_deref(),
            by: user.id,
        },
    )
    .await?;
    let applied = if input.apply.is_some() {
        apply_credit_in(&mut tx, client, Some(id), user).await?
    } else {
        0
    };
    record(
        &mut tx,
        audit(actions::PAYMENT_TAKE, user, meta)
            .client(client)
            .detail(serde_json::json!({ "payment_id": id, "amount_cents": amount, "applied_cents": applied })),
    )
    .await?;
    tx.commit().await?;
    Ok(PaymentTaken {
        id,
        receipt_number,
        applied: Money(applied),
    })
}

/// Applies the account's credit to the client's charges, oldest first; returns the cents applied.
async fn apply_credit_in(
    conn: &mut PgConnection,
    client: ClientId,
    payment: Option<PaymentId>,
    user: &CurrentUser,
) -> Result<i64, AppError> {
    let credit = repo::credit(conn, client).await?;
    let owed: Vec<(ChargeId, i64)> = repo::owed_charges(conn, client)
        .await?
        .into_iter()
        .map(|c| (c.charge_id, c.client_owes.cents()))
        .collect();
    let plan = allocate_oldest_first(credit, &owed);
    repo::insert_allocations(conn, client, payment, &plan, user.id).await?;
    Ok(plan.iter().map(|(_, c)| c).sum())
}

/// Applies the client's credit to their open charges, oldest first.
pub async fn apply_credit(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Money, AppError> {
    user.require(Permission::BillClients)?;
    let mut tx = pool.begin().await?;
    repo::lock_clients(&mut tx, &[client]).await?;
    repo::client_name(&mut tx, client).await?;
    let applied = apply_credit_in(&mut tx, client, None, user).await?;
    if applied == 0 {
        return Err(AppError::Conflict(
            "There is no credit to apply, or nothing the client owes.".into(),
        ));
    }
    record(
        &mut tx,
        audit(actions::PAYMENT_ALLOCATE, user, meta)
            .client(client)
            .detail(serde_json::json!({ "applied_cents": applied })),
    )
    .await?;
    tx.commit().await?;
    Ok(Money(applied))
}

fn positive_amount(raw: &str) -> Result<i64, String> {
    match Money::parse(raw) {
        Ok(m) if m.cents() > 0 => Ok(m.cents()),
        Ok(_) => Err("Enter an amount above zero.".into()),
        Err(e) => Err(e),
    }
}

fn required_reason(raw: &str) -> Result<String, String> {
    let reason = raw.trim();
    if reason.is_empty() {
        Err("Say why (it stays on the ledger).".into())
    } else if reason.chars().count() > 300 {
        Err("Keep the reason under 300 characters.".into())
    } else {
        Ok(reason.to_owned())
    }
}

/// Applies `amount` of the client's credit to one charge, by hand (billers and admins).
pub async fn allocate(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    charge: ChargeId,
    amount: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let mut v = Validator::new();
    let cents = v.check("amount", positive_amount(amount));
    v.finish()?;
    let cents = cents.unwrap_or_default();
    let mut tx = pool.begin().await?;
    let (client, _) = repo::charge_share(&mut tx, charge, Party::Client)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::lock_clients(&mut tx, &[client]).await?;
    let (_, owes) = repo::charge_share(&mut tx, charge, Party::Client)
        .await?
        .ok_or(AppError::NotFound)?;
    let credit = repo::credit(&mut tx, client).await?;
    if cents > owes {
        return Err(AppError::field(
            "amount",
            format!(
                "The client owes {} on this charge: apply at most that.",
                Money(owes)
            ),
        ));
    }
    if cents > credit {
        return Err(AppError::field(
            "amount",
            format!(
                "The account holds {} of credit: apply at most that.",
                Money(credit)
            ),
        ));
    }
    repo::insert_allocations(&mut tx, client, None, &[(charge, cents)], user.id).await?;
    record(
        &mut tx,
        audit(actions::PAYMENT_ALLOCATE, user, meta)
            .client(client)
            .detail(serde_json::json!({ "charge_id": charge, "amount_cents": cents })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives credit back to the client (billers and admins): never more than the account holds.
pub async fn refund(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    input: &RefundInput,
) -> Result<PaymentTaken, AppError> {
    user.require(Permission::ManageBilling)?;
    let mut v = Validator::new();
    let cents = v.check("amount", positive_amount(&input.amount));
    let method = v.check("method", PaymentMethod::parse(&input.method));
    let check = match method {
        Some(PaymentMethod::Check) => {
            v.check("check_number", parse_check_number(&input.check_number))
        }
        _ => None,
    };
    let reason = v.check("reason", required_reason(&input.reason));
    let (cents, method, reason) = v.finish_with(|| Some((cents?, method?, reason?)))?;
    let mut tx = pool.begin().await?;
    repo::lock_clients(&mut tx, &[client]).await?;
    repo::client_name(&mut tx, client).await?;
    let credit = repo::credit(&mut tx, client).await?;
    if cents > credit {
        return Err(AppError::field(
            "amount",
            format!(
                "The account holds {} of credit: refund at most that.",
                Money(credit)
            ),
        ));
    }
    let (id, receipt_number) = repo::insert_payment(
        &mut tx,
        &NewPayment {
            client,
            refund: true,
            method,
            check_number: check.as_deref(),
            card_reference: (method == PaymentMethod::Card).then_some("refund to card"),
            amount_cents: cents,
            appointment: None,
            note: Some(&reason),
            by: user.id,
        },
    )
    .await?;
    record(
        &mut tx,
        audit(actions::REFUND, user, meta)
            .client(client)
            .detail(serde_json::json!({ "payment_id": id, "amount_cents": cents })),
    )
    .await?;
    tx.commit().await?;
    Ok(PaymentTaken {
        id,
        receipt_number,
        applied: Money(0),
    })
}

/// What a biller may do to a charge's balance besides applying money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceChange {
    /// Forgive what `party` owes (up to all of it).
    WriteOff(Party),
    /// Bill the client for what the insurer did not pay (after a denial, say).
    TransferToClient,
}

/// Writes off part of a charge's balance, or moves the insurer's part to the client, with a reason.
pub async fn change_balance(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    charge: ChargeId,
    change: BalanceChange,
    amount: &str,
    reason: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageBilling)?;
    let mut v = Validator::new();
    let cents = v.check("amount", positive_amount(amount));
    let reason = v.check("reason", required_reason(reason));
    let (cents, reason) = v.finish_with(|| Some((cents?, reason?)))?;
    let from = match change {
        BalanceChange::WriteOff(party) => party,
        BalanceChange::TransferToClient => Party::Insurance,
    };
    let mut tx = pool.begin().await?;
    let (client, _) = repo::charge_share(&mut tx, charge, from)
        .await?
        .ok_or(AppError::NotFound)?;
    repo::lock_clients(&mut tx, &[client]).await?;
    let (_, owes) = repo::charge_share(&mut tx, charge, from)
        .await?
        .ok_or(AppError::NotFound)?;
    if cents > owes {
        let who = match from {
            Party::Insurance => "The insurer owes",
            Party::Client => "The client owes",
        };
        return Err(AppError::field(
            "amount",
            format!("{who} {} on this charge: enter at most that.", Money(owes)),
        ));
    }
    let (kind, action) = match change {
        BalanceChange::WriteOff(_) => (EntryKind::WriteOff, actions::WRITE_OFF),
        BalanceChange::TransferToClient => (EntryKind::Transfer, actions::TRANSFER_TO_CLIENT),
    };
    let entry = |party: Party, amount_cents: i64| super::posting::NewEntry {
        client_id: client,
        charge_id: Some(charge),
        party,
        kind,
        amount_cents,
        era_claim_id: None,
        era_line_id: None,
        reversal_of: None,
        reason: Some(reason.clone()),
    };
    let mut entries = vec![entry(from, -cents)];
    if change == BalanceChange::TransferToClient {
        entries.push(entry(Party::Client, cents));
    }
    repo::insert_entries(&mut tx, &entries, user.id).await?;
    record(
        &mut tx,
        audit(action, user, meta)
            .client(client)
            .detail(serde_json::json!({ "charge_id": charge, "amount_cents": cents })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A payment's receipt as a PDF (front desk, billers and admins; audited as a release).
pub async fn receipt_pdf(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    payment: PaymentId,
) -> Result<(String, Vec<u8>), AppError> {
    use crate::pdf::{render, Block};
    let denied = AuditEvent::new(actions::RECEIPT_DOWNLOAD, Outcome::Denied, meta)
        .by(user)
        .entity("client_payment", payment);
    super::require_audited(pool, user, &[Permission::BillClients], denied).await?;
    crate::auth::server::step_up::require_recent(pool, user).await?;
    let mut conn = pool.acquire().await?;
    let r = repo::receipt(&mut conn, payment).await?;
    let practice = super::repo::practice(&mut conn).await?;
    let credit = repo::credit(&mut conn, r.client_id).await?;
    let owes: i64 = repo::owed_charges(&mut conn, r.client_id)
        .await?
        .iter()
        .map(|c| c.client_owes.cents())
        .sum();
    record(
        &mut conn,
        audit(actions::RECEIPT_DOWNLOAD, user, meta)
            .client(r.client_id)
            .detail(serde_json::json!({ "payment_id": payment })),
    )
    .await?;
    let method = PaymentMethod::parse(&r.method).unwrap_or(PaymentMethod::Cash);
    let how = match (method, &r.check_number, &r.card_reference) {
        (PaymentMethod::Check, Some(n), _) => format!("Check {n}"),
        (PaymentMethod::Card, _, Some(reference)) => format!("Card ({reference})"),
        (m, _, _) => m.label().to_owned(),
    };
    let refund = r.kind == "refund";
    let mut address = vec![practice.name.clone()];
    address.extend(practice.billing_address.clone());
    if let (Some(city), Some(state), Some(zip)) = (
        &practice.billing_city,
        &practice.billing_state,
        &practice.billing_zip,
    ) {
        address.push(format!("{city}, {state} {zip}"));
    }
    address.extend(practice.billing_phone.clone());
    let blocks = vec![
        Block::Title(format!(
            "{} {}",
            if refund { "Refund receipt" } else { "Receipt" },
            r.receipt_number
        )),
        Block::Small(address.join("\n")),
        Block::Rule,
        Block::Text(format!(
            "{} {} {} on {} by {}.",
            if refund {
                "Refunded to"
            } else {
                "Received from"
            },
            r.client_name,
            Money(r.amount_cents),
            r.received_on.format("%B %-d, %Y"),
            how
        )),
        Block::Text(format!("Taken by {}.", r.received_by)),
        Block::Text(r.note.clone().unwrap_or_default()),
        Block::Heading("The account today".into()),
        Block::Text(format!(
            "Owed on sessions: {}\nCredit on account: {}",
            Money(owes),
            Money(credit)
        )),
    ];
    let pdf = render(
        &format!("Receipt {}", r.receipt_number),
        &blocks,
        &format!("{} · receipt {}", practice.name, r.receipt_number),
    );
    Ok((format!("receipt-{}.pdf", r.receipt_number), pdf))
}
