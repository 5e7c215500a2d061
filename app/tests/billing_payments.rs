//! Money in, on real PostgreSQL: 835s written from our own 837P batches post payments,
//! contractual adjustments and the client's share line by line; a duplicate posts nothing, an
//! unbalanced file nothing at all, a denial keeps the balance open with its reason, a reversal
//! undoes the posting; client payments, credit, refunds and write-offs never create or lose a cent,
//! and two people posting to one client at once never apply a payment twice.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::server::CurrentUser;
use app::billing::server::edi::remit::{
    write_835, Adjustment, ClaimPayment, ProviderAdjustment, Remittance, ServicePayment,
};
use app::billing::server::edi::{self, remit::parse_amount};
use app::billing::server::ledger::{self, BalanceChange};
use app::billing::server::{acks, batches, charges, claims, remits};
use app::billing::types::*;
use app::error::AppError;
use app::ids::{AppointmentId, ClaimId, ClientId};
use chrono::NaiveDate;
use common::billing::*;
use common::documents::*;
use common::meta;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use sqlx::PgPool;

/// One service line of our 837P, as read back from the file.
#[derive(Debug, Clone)]
struct SentLine {
    code: String,
    charge_cents: i64,
    units: i32,
    date: Option<NaiveDate>,
    control: Option<String>,
}

#[derive(Debug, Clone)]
struct SentClaim {
    number: String,
    charge_cents: i64,
    lines: Vec<SentLine>,
}

/// The claims of an 837P file, read with our X12 reader (CLM01, CLM02, SV1, DTP*472, REF*6R).
fn sent_claims(file: &str) -> Vec<SentClaim> {
    let parsed = edi::read(file).unwrap();
    let mut claims: Vec<SentClaim> = Vec::new();
    for seg in &parsed.segments {
        match seg.id.as_str() {
            "CLM" => claims.push(SentClaim {
                number: seg.el(1).to_owned(),
                charge_cents: parse_amount(seg.el(2)).unwrap(),
                lines: vec![],
            }),
            "SV1" => claims.last_mut().unwrap().lines.push(SentLine {
                code: seg.el(1).split(':').nth(1).unwrap().to_owned(),
                charge_cents: parse_amount(seg.el(2)).unwrap(),
                units: seg.el(4).parse().unwrap(),
                date: None,
                control: None,
            }),
            "DTP" if seg.el(1) == "472" => {
                let line = claims.last_mut().unwrap().lines.last_mut().unwrap();
                line.date = NaiveDate::parse_from_str(seg.el(3), "%Y%m%d").ok();
            }
            "REF" if seg.el(1) == "6R" => {
                let line = claims.last_mut().unwrap().lines.last_mut().unwrap();
                line.control = Some(seg.el(2).to_owned());
            }
            _ => {}
        }
    }
    claims
}

fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
    Adjustment {
        group: group.into(),
        reason: reason.into(),
        amount_cents: cents,
        quantity: None,
    }
}

/// The payer's answer to one sent claim: each line paid `paid` with `adjustments`.
fn decide(
    sent: &SentClaim,
    status: &str,
    sign: i64,
    per_line: impl Fn(&SentLine) -> (i64, Vec<Adjustment>),
) -> ClaimPayment {
    let lines: Vec<ServicePayment> = sent
        .lines
        .iter()
        .map(|l| {
            let (paid, adjustments) = per_line(l);
            ServicePayment {
                procedure_code: l.code.clone(),
                modifiers: vec![],
                charge_cents: sign * l.charge_cents,
                paid_cents: sign * paid,
                units: l.units,
                service_date: l.date,
                control_number: l.control.clone(),
                adjustments: adjustments
                    .into_iter()
                    .map(|a| Adjustment {
                        amount_cents: sign * a.amount_cents,
                        ..a
                    })
                    .collect(),
                remark_codes: vec![],
            }
        })
        .collect();
    let share = lines
        .iter()
        .flat_map(|l| &l.adjustments)
        .filter(|a| a.group == "PR")
        .map(|a| a.amount_cents)
        .sum();
    ClaimPayment {
        patient_control_number: sent.number.clone(),
        status_code: status.into(),
        charge_cents: sign * sent.charge_cents,
        paid_cents: lines.iter().map(|l| l.paid_cents).sum(),
        patient_share_cents: share,
        payer_claim_number: format!("PCN{}", sent.number),
        patient_name: "ANN CARTER".into(),
        adjustments: vec![],
        remark_codes: vec![],
        lines,
    }
}

fn remittance(trace: &str, claims: Vec<ClaimPayment>, plb: Vec<ProviderAdjustment>) -> Remittance {
    let paid: i64 = claims.iter().map(|c| c.paid_cents).sum();
    let withheld: i64 = plb.iter().map(|p| p.amount_cents).sum();
    Remittance {
        trace_number: trace.into(),
        payer_identifier: "1999999999".into(),
        payer_name: "Acme Health".into(),
        payer_code: Some("ACME1".into()),
        payee_name: "Riverbend Counseling".into(),
        payee_npi: "1245319599".into(),
        payment_cents: paid - withheld,
        payment_method: "ACH".into(),
        payment_date: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
        claims,
        provider_adjustments: plb,
    }
}

fn file_of(r: &Remittance, control: u32) -> Vec<u8> {
    let at = NaiveDate::from_ymd_opt(2026, 12, 20)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    write_835(r, control, at).into_bytes()
}

/// Ann's signed 50-minute session charged as 90834 ($120; her copay is $25), on a claim that went
/// out in a batch; returns the claim and what the 837P said.
async fn submitted_claim(pool: &PgPool, b: &Billing) -> (ClaimId, SentClaim) {
    let d = &b.d;
    complete_practice(pool).await;
    let note = start_progress(pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(pool, &d.keys, &d.casey, note, &full_soap()).await;
    charges::create_charge(
        pool,
        &b.biller,
        &meta(),
        &charge_input(d.appointment, d.ann, "90834"),
    )
    .await
    .unwrap();
    claims::build_claims(pool, &b.biller, &meta())
        .await
        .unwrap();
    let list = claims::list_claims(pool, &b.biller, &meta(), &ClaimFilter::default())
        .await
        .unwrap();
    let id = list[0].id;
    claims::change_status(pool, &b.biller, &meta(), id, ClaimStatus::Ready, "")
        .await
        .unwrap();
    let batch = batches::create_batch(pool, &b.biller, &meta(), b.payer)
        .await
        .unwrap();
    let (_, file) = batches::batch_file(pool, &b.biller, &meta(), batch)
        .await
        .unwrap();
    let sent = sent_claims(std::str::from_utf8(&file).unwrap());
    assert_eq!(sent.len(), 1);
    (id, sent.into_iter().next().unwrap())
}

async fn status_of(pool: &PgPool, claim: ClaimId) -> String {
    sqlx::query_scalar("SELECT status FROM claims WHERE id = $1")
        .bind(claim)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn ledger_of(pool: &PgPool, user: &CurrentUser, client: ClientId) -> ClientLedger {
    ledger::client_ledger(pool, user, &meta(), client)
        .await
        .unwrap()
}

/// Stored balances that differ from the sum of their ledger rows, and aging summaries that differ
/// from the sums of those balances (none, ever).
async fn drifted_balances(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM
                  (SELECT client_id, charge_id, party, sum(amount_cents) AS cents
                     FROM ledger_entries GROUP BY 1, 2, 3) e
                  FULL JOIN ledger_balances b
                    ON b.client_id = e.client_id AND b.charge_id IS NOT DISTINCT FROM e.charge_id
                   AND b.party = e.party
                 WHERE e.cents IS DISTINCT FROM b.cents)
              + (SELECT count(*) FROM
                  (SELECT b.party, CASE WHEN b.party = 'insurance' THEN ip.payer_id END AS payer_id,
                          ch.service_date, sum(b.cents) AS cents
                     FROM ledger_balances b JOIN charges ch ON ch.id = b.charge_id
                     LEFT JOIN insurance_policies ip ON ip.id = ch.policy_id
                    GROUP BY 1, 2, 3) e
                  FULL JOIN (SELECT party, payer_id, service_date, sum(cents) AS cents
                               FROM open_by_day_now GROUP BY 1, 2, 3) o
                    ON o.party = e.party AND o.payer_id IS NOT DISTINCT FROM e.payer_id
                   AND o.service_date = e.service_date
                 WHERE coalesce(e.cents, 0) <> coalesce(o.cents, 0))
              + (SELECT count(*) FROM
                  (SELECT client_id, sum(cents) AS cents FROM ledger_balances
                    WHERE party = 'client' AND charge_id IS NOT NULL GROUP BY 1) e
                  FULL JOIN client_owing w ON w.client_id = e.client_id
                 WHERE coalesce(e.cents, 0) <> coalesce(w.cents, 0))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Why the database refused `statement` (written past the services, as a mistake would be); the
/// test fails when it did not refuse.
async fn refused(
    pool: &PgPool,
    statement: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
) -> String {
    statement
        .execute(pool)
        .await
        .expect_err("the database refuses it")
        .to_string()
}

async fn entry_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM ledger_entries")
        .fetch_one(pool)
        .await
        .unwrap()
}

fn payment(client: ClientId, method: &str, amount: &str, apply: bool) -> PaymentInput {
    PaymentInput {
        client: client.to_string(),
        method: method.into(),
        amount: amount.into(),
        apply: apply.then(|| "on".into()),
        ..PaymentInput::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_835_from_our_own_batch_posts_each_line_once_and_a_reversal_undoes_it(pool: PgPool) {
    let b = billing(&pool).await;
    let (claim, sent) = submitted_claim(&pool, &b).await;
    assert_eq!(sent.lines.len(), 1);
    assert!(
        sent.lines[0].control.is_some(),
        "our 837P names each line (REF*6R)"
    );
    // $120 charged: the payer allows $105, pays $80, and the client owes the $25 copay
    let paid = decide(&sent, "1", 1, |_| {
        (8000, vec![adj("CO", "45", 1500), adj("PR", "3", 2500)])
    });
    let file = file_of(&remittance("EFT1001", vec![paid.clone()], vec![]), 1);
    let done = remits::import_era(&pool, &b.biller, &meta(), &file)
        .await
        .unwrap();
    assert!(!done.duplicate);
    assert_eq!(
        (
            done.claims_matched,
            done.claims_unmatched,
            done.lines_unmatched,
            done.posted_cents
        ),
        (1, 0, 0, 8000)
    );
    assert_eq!(status_of(&pool, claim).await, "paid");
    let l = ledger_of(&pool, &b.biller, b.d.ann).await;
    assert_eq!(l.insurance_balance.cents(), 0, "120 − 80 − 15 − 25");
    assert_eq!(l.client_owes.cents(), 2500);
    let kinds: Vec<(EntryKind, i64, i64)> = l
        .lines
        .iter()
        .map(|x| (x.kind, x.insurance.cents(), x.client.cents()))
        .collect();
    assert_eq!(
        kinds,
        [
            (EntryKind::Charge, 12000, 0),
            (EntryKind::InsurancePayment, -8000, 0),
            (EntryKind::Contractual, -1500, 0),
            (EntryKind::Transfer, -2500, 0),
            (EntryKind::Transfer, 0, 2500),
        ]
    );
    assert!(l.lines[2]
        .detail
        .contains("CO-45: The charge exceeds the contracted fee"));
    let last = l.lines.last().unwrap();
    assert_eq!(
        (last.insurance_balance.cents(), last.client_balance.cents()),
        (0, 2500)
    );

    // the same file again: recognised by its trace number, nothing posted
    let before = entry_count(&pool).await;
    let again = remits::import_era(&pool, &b.biller, &meta(), &file)
        .await
        .unwrap();
    assert!(again.duplicate);
    assert_eq!(again.era_id, done.era_id);
    assert_eq!(entry_count(&pool).await, before);

    // the front desk takes the copay; it lands on the charge
    let taken = ledger::take_payment(
        &pool,
        &b.d.desk,
        &meta(),
        &payment(b.d.ann, "cash", "25.00", true),
    )
    .await
    .unwrap();
    assert_eq!(taken.applied.cents(), 2500);
    let (name, pdf) = ledger::receipt_pdf(&pool, &b.d.desk, &meta(), taken.id)
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF") && name.starts_with("receipt-"));
    let l = ledger_of(&pool, &b.d.desk, b.d.ann).await;
    assert_eq!((l.client_owes.cents(), l.credit.cents()), (0, 0));

    // the payer takes it all back, then pays again with a smaller contractual adjustment
    let reversal = decide(&sent, "22", -1, |_| {
        (8000, vec![adj("CO", "45", 1500), adj("PR", "3", 2500)])
    });
    let repaid = decide(&sent, "1", 1, |_| {
        (9000, vec![adj("CO", "45", 500), adj("PR", "3", 2500)])
    });
    let file = file_of(&remittance("EFT1002", vec![reversal, repaid], vec![]), 2);
    let done = remits::import_era(&pool, &b.biller, &meta(), &file)
        .await
        .unwrap();
    assert_eq!(done.posted_cents, 9000 - 8000);
    assert_eq!(status_of(&pool, claim).await, "paid");
    let l = ledger_of(&pool, &b.biller, b.d.ann).await;
    assert_eq!(l.insurance_balance.cents(), 0, "120 − 90 − 5 − 25");
    // the $25 she paid still covers the copay the new posting asks of her: nothing lost, nothing
    // counted twice
    assert_eq!((l.client_owes.cents(), l.credit.cents()), (0, 0));
    let history: Vec<String> = sqlx::query_scalar(
        "SELECT to_status FROM claim_status_history WHERE claim_id = $1 ORDER BY id",
    )
    .bind(claim)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        ["draft", "ready", "submitted", "paid", "accepted", "paid"]
    );
    // a reversal alone gives her copay back to her account
    let undo = decide(&sent, "22", -1, |_| {
        (9000, vec![adj("CO", "45", 500), adj("PR", "3", 2500)])
    });
    // it sends no money: the $90 it takes back is carried forward against later payments (PLB FB)
    let forward = ProviderAdjustment {
        reason: "FB".into(),
        reference: sent.number.clone(),
        amount_cents: -9000,
    };
    let r = remittance("EFT1003", vec![undo], vec![forward]);
    assert_eq!(r.payment_cents, 0);
    let file = file_of(&r, 3);
    remits::import_era(&pool, &b.biller, &meta(), &file)
        .await
        .unwrap();
    let l = ledger_of(&pool, &b.biller, b.d.ann).await;
    assert_eq!(
        (
            l.insurance_balance.cents(),
            l.client_owes.cents(),
            l.credit.cents()
        ),
        (12000, 0, 2500)
    );
    assert_eq!(status_of(&pool, claim).await, "accepted");
    assert_eq!(drifted_balances(&pool).await, 0);
    // each remittance keeps what it posted, worked out above: $80; $90 less the $80 taken back;
    // the $90 taken back (carried forward by PLB, so no deposit)
    let recon = app::billing::server::receivables::receivables(&pool, &b.biller, &meta())
        .await
        .unwrap()
        .reconciliation;
    let mut kept: Vec<(String, i64, i64, i64, i64)> = recon
        .iter()
        .map(|r| {
            (
                r.trace_number.clone(),
                r.deposit.cents(),
                r.posted.cents(),
                r.unposted.cents(),
                r.withheld.cents(),
            )
        })
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            ("EFT1001".into(), 8000, 8000, 0, 0),
            ("EFT1002".into(), 1000, 1000, 0, 0),
            ("EFT1003".into(), 0, -9000, 0, -9000),
        ]
    );
    // balances follow the ledger only
    let raw = sqlx::query("UPDATE ledger_balances SET cents = 0")
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(
        raw.as_database_error().and_then(|e| e.constraint()),
        Some("ledger_entries_fixed")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_file_that_does_not_balance_posts_nothing_and_says_where(pool: PgPool) {
    let b = billing(&pool).await;
    let (claim, sent) = submitted_claim(&pool, &b).await;
    // the line says $80 paid and $15 adjusted of $120: $25 unexplained
    let short = decide(&sent, "1", 1, |_| (8000, vec![adj("CO", "45", 1500)]));
    let file = file_of(&remittance("EFT2001", vec![short], vec![]), 3);
    let err = remits::import_era(&pool, &b.biller, &meta(), &file)
        .await
        .unwrap_err();
    let message = &err.field_messages("file").unwrap()[0];
    assert!(
        message.contains("Service line 1 of claim") && message.contains("$25.00 unexplained"),
        "{message}"
    );
    // the payment total differs from the claims paid
    let paid = decide(&sent, "1", 1, |_| {
        (8000, vec![adj("CO", "45", 1500), adj("PR", "3", 2500)])
    });
    let mut r = remittance("EFT2002", vec![paid], vec![]);
    r.payment_cents += 1;
    let err = remits::import_era(&pool, &b.biller, &meta(), &file_of(&r, 4))
        .await
        .unwrap_err();
    assert!(err.field_messages("file").unwrap()[0].starts_with("The payment does not balance"));
    let err = remits::import_era(&pool, &b.biller, &meta(), b"ISA*nonsense")
        .await
        .unwrap_err();
    assert!(err.field_messages("file").is_some());
    let eras: i64 = sqlx::query_scalar("SELECT count(*) FROM eras")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(eras, 0);
    assert_eq!(status_of(&pool, claim).await, "submitted");
    // only the charge is on the ledger
    assert_eq!(entry_count(&pool).await, 1);
    // and a clinician or the front desk cannot import at all
    assert_eq!(
        remits::import_era(&pool, &b.d.desk, &meta(), &file)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_denial_keeps_the_balance_open_with_its_reason_and_unknown_claims_wait_in_a_queue(
    pool: PgPool,
) {
    let b = billing(&pool).await;
    let (claim, sent) = submitted_claim(&pool, &b).await;
    let denied = decide(&sent, "4", 1, |l| {
        (0, vec![adj("CO", "50", l.charge_cents)])
    });
    let stranger = ClaimPayment {
        patient_control_number: "MS999999".into(),
        status_code: "1".into(),
        charge_cents: 10000,
        paid_cents: 10000,
        patient_share_cents: 0,
        payer_claim_number: "X1".into(),
        patient_name: "SOMEONE ELSE".into(),
        adjustments: vec![],
        remark_codes: vec![],
        lines: vec![],
    };
    // the payer also recoups $10 of an old overpayment (PLB)
    let recoup = ProviderAdjustment {
        reason: "WO".into(),
        reference: "OLD123".into(),
        amount_cents: 1000,
    };
    let r = remittance("CHK3001", vec![denied, stranger], vec![recoup]);
    assert_eq!(r.payment_cents, 10000 - 1000);
    let done = remits::import_era(&pool, &b.biller, &meta(), &file_of(&r, 5))
        .await
        .unwrap();
    assert_eq!(
        (
            done.claims_matched,
            done.claims_unmatched,
            done.posted_cents
        ),
        (1, 1, 0)
    );
    assert_eq!(status_of(&pool, claim).await, "denied");
    let reason: String = sqlx::query_scalar(
        "SELECT reason FROM claim_status_history WHERE claim_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(claim)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        reason,
        "Remittance CHK3001: Denied: CO-50: Not deemed medically necessary"
    );
    let l = ledger_of(&pool, &b.biller, b.d.ann).await;
    assert_eq!(
        l.insurance_balance.cents(),
        12000,
        "a denial writes nothing off"
    );

    let overview = remits::overview(&pool, &b.biller, &meta()).await.unwrap();
    assert_eq!(overview.unmatched.len(), 1);
    assert_eq!(
        overview.unmatched[0].reason,
        "No claim of ours is numbered MS999999."
    );
    let detail = remits::era_detail(&pool, &b.biller, &meta(), done.era_id)
        .await
        .unwrap();
    assert!(detail.claims[0].denied);
    assert_eq!(
        detail.claims[0].lines[0].adjustments[0].words,
        "CO-50: Not deemed medically necessary"
    );
    assert_eq!(detail.provider_adjustments[0].amount.cents(), 1000);
    remits::resolve_unmatched(
        &pool,
        &b.biller,
        &meta(),
        overview.unmatched[0].era_claim_id,
        "Returned to payer",
    )
    .await
    .unwrap();
    assert!(remits::overview(&pool, &b.biller, &meta())
        .await
        .unwrap()
        .unmatched
        .is_empty());

    // the biller bills the client for part of it and writes off the rest, each with a reason
    let charge = l.open_charges[0].charge_id;
    let too_much = ledger::change_balance(
        &pool,
        &b.biller,
        &meta(),
        charge,
        BalanceChange::TransferToClient,
        "130",
        "x",
    )
    .await
    .unwrap_err();
    assert_eq!(
        too_much.field_messages("amount").unwrap(),
        ["The insurer owes $120.00 on this charge: enter at most that."]
    );
    let no_reason = ledger::change_balance(
        &pool,
        &b.biller,
        &meta(),
        charge,
        BalanceChange::TransferToClient,
        "40",
        " ",
    )
    .await
    .unwrap_err();
    assert!(no_reason.field_messages("reason").is_some());
    ledger::change_balance(
        &pool,
        &b.biller,
        &meta(),
        charge,
        BalanceChange::TransferToClient,
        "40",
        "Not covered: client agreed",
    )
    .await
    .unwrap();
    ledger::change_balance(
        &pool,
        &b.biller,
        &meta(),
        charge,
        BalanceChange::WriteOff(Party::Insurance),
        "80",
        "Denied, not appealed",
    )
    .await
    .unwrap();
    let l = ledger_of(&pool, &b.biller, b.d.ann).await;
    assert_eq!(
        (l.insurance_balance.cents(), l.client_owes.cents()),
        (0, 4000)
    );
    // the front desk may not write off
    assert_eq!(
        ledger::change_balance(
            &pool,
            &b.d.desk,
            &meta(),
            charge,
            BalanceChange::WriteOff(Party::Client),
            "1",
            "x"
        )
        .await
        .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        ledger::client_ledger(&pool, &b.d.casey, &meta(), b.d.ann)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_payment_is_checked_field_by_field_and_card_numbers_are_refused(pool: PgPool) {
    let b = billing(&pool).await;
    let mut bad = payment(b.d.ann, "check", "0", false);
    bad.appointment = "not-an-id".into();
    let err = ledger::take_payment(&pool, &b.d.desk, &meta(), &bad)
        .await
        .unwrap_err();
    assert_eq!(
        err.field_messages("amount").unwrap(),
        ["Enter an amount above zero."]
    );
    assert!(err.field_messages("check_number").is_some());
    assert!(err.field_messages("appointment").is_some());
    let mut card = payment(b.d.ann, "card", "25", false);
    card.card_reference = "4111 1111 1111 1111".into();
    let err = ledger::take_payment(&pool, &b.d.desk, &meta(), &card)
        .await
        .unwrap_err();
    assert!(
        err.field_messages("card_reference").unwrap()[0].starts_with("Never record a card number")
    );
    // the database refuses it too, whoever writes it
    let raw = sqlx::query(
        "INSERT INTO client_payments (client_id, kind, method, card_reference, amount_cents, received_by)
         VALUES ($1, 'payment', 'card', '4111-1111-1111-1111', 100, $2)",
    )
    .bind(b.d.ann)
    .bind(b.d.desk.id)
    .execute(&pool)
    .await
    .unwrap_err();
    assert_eq!(
        raw.as_database_error().and_then(|e| e.constraint()),
        Some("client_payments_no_card_number")
    );
    // a copay for a session of someone else's is refused
    let other = app::ids::AppointmentId(uuid::Uuid::new_v4());
    let mut wrong = payment(b.d.ann, "cash", "25", false);
    wrong.appointment = other.to_string();
    assert!(ledger::take_payment(&pool, &b.d.desk, &meta(), &wrong)
        .await
        .unwrap_err()
        .field_messages("appointment")
        .is_some());
    assert_eq!(entry_count(&pool).await, 0);
    // the copay of today's session is due until it is collected for that session
    let due = ledger_of(&pool, &b.d.desk, b.d.ann).await.copay_due.cents();
    let booked_today: bool = sqlx::query_scalar(
        "SELECT (a.starts_at AT TIME ZONE p.time_zone)::date = (now() AT TIME ZONE p.time_zone)::date
           FROM appointments a, practice p WHERE a.id = $1",
    )
    .bind(b.d.appointment)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(due, if booked_today { 2500 } else { 0 });
    let mut copay = payment(b.d.ann, "card", "25", false);
    copay.card_reference = "****4242".into();
    copay.appointment = b.d.appointment.to_string();
    ledger::take_payment(&pool, &b.d.desk, &meta(), &copay)
        .await
        .unwrap();
    let l = ledger_of(&pool, &b.d.desk, b.d.ann).await;
    assert_eq!((l.copay_due.cents(), l.credit.cents()), (0, 2500));
    let actions = common::audit_actions(&pool).await;
    assert!(actions.iter().any(|a| a == "billing.payment_take"));
    assert!(actions.iter().any(|a| a == "billing.ledger_view"));
}

/// Three self-pay sessions of Ann's, charged: $120 each, all owed by her.
/// Ann, self-pay, charged $120 for each of three sessions held `ages` days before today.
async fn self_pay_charges(pool: &PgPool, b: &Billing, ages: [i32; 3]) -> Vec<AppointmentId> {
    let d = &b.d;
    sqlx::query("UPDATE clients SET self_pay = true WHERE id = $1")
        .bind(d.ann)
        .execute(pool)
        .await
        .unwrap();
    let p = booked_practice(pool).await;
    let mut sessions = vec![d.appointment];
    for time in ["13:00", "15:00"] {
        sessions.push(book(pool, &p, &d.desk, &d.casey, d.ann, time).await);
    }
    for (&s, age) in sessions.iter().zip(ages) {
        sqlx::query(
            "UPDATE appointments a
                SET starts_at = a.starts_at + d.shift, ends_at = a.ends_at + d.shift
               FROM (SELECT ((now() AT TIME ZONE p.time_zone)::date - $2
                             - (x.starts_at AT TIME ZONE p.time_zone)::date) * interval '1 day' AS shift
                       FROM appointments x, practice p WHERE x.id = $1) d
              WHERE a.id = $1",
        )
        .bind(s)
        .bind(age)
        .execute(pool)
        .await
        .unwrap();
        complete(pool, s).await;
        let note = start_progress(pool, &d.keys, &d.casey, d.ann, s).await;
        write_and_sign(pool, &d.keys, &d.casey, note, &full_soap()).await;
        charges::create_charge(pool, &b.biller, &meta(), &charge_input(s, d.ann, "90834"))
            .await
            .unwrap();
    }
    sessions
}

#[derive(Debug, Clone)]
enum Op {
    Pay { cents: i64, apply: bool },
    ApplyCredit,
    Allocate { charge: usize, cents: i64 },
    Refund { cents: i64 },
    WriteOff { charge: usize, cents: i64 },
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    use proptest::prelude::*;
    let op = prop_oneof![
        (1i64..9000, any::<bool>()).prop_map(|(cents, apply)| Op::Pay { cents, apply }),
        Just(Op::ApplyCredit),
        (0usize..3, 1i64..9000).prop_map(|(charge, cents)| Op::Allocate { charge, cents }),
        (1i64..6000).prop_map(|cents| Op::Refund { cents }),
        (0usize..3, 1i64..5000).prop_map(|(charge, cents)| Op::WriteOff { charge, cents }),
    ];
    proptest::collection::vec(op, 1..25)
}

fn dollars(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[sqlx::test(migrations = "../migrations")]
async fn any_sequence_of_payments_allocations_refunds_and_write_offs_keeps_every_cent(
    pool: PgPool,
) {
    let b = billing(&pool).await;
    self_pay_charges(&pool, &b, [0, 0, 0]).await;
    let ann = b.d.ann;
    let charge_ids: Vec<app::ids::ChargeId> =
        sqlx::query_scalar("SELECT id FROM charges ORDER BY service_date, created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    // the model: what Ann owes in all, kept apart from the code under test
    let mut owed_in_all: i64 = 3 * 12000;
    let mut runner = TestRunner::deterministic();
    for _case in 0..6 {
        let sequence = ops().new_tree(&mut runner).unwrap().current();
        for op in sequence {
            let result = match &op {
                Op::Pay { cents, apply } => ledger::take_payment(
                    &pool,
                    &b.d.desk,
                    &meta(),
                    &payment(ann, "cash", &dollars(*cents), *apply),
                )
                .await
                .map(|_| -cents),
                Op::ApplyCredit => ledger::apply_credit(&pool, &b.d.desk, &meta(), ann)
                    .await
                    .map(|_| 0),
                Op::Allocate { charge, cents } => ledger::allocate(
                    &pool,
                    &b.biller,
                    &meta(),
                    charge_ids[*charge],
                    &dollars(*cents),
                )
                .await
                .map(|_| 0),
                Op::Refund { cents } => ledger::refund(
                    &pool,
                    &b.biller,
                    &meta(),
                    ann,
                    &RefundInput {
                        amount: dollars(*cents),
                        method: "cash".into(),
                        reason: "Overpaid".into(),
                        ..RefundInput::default()
                    },
                )
                .await
                .map(|_| *cents),
                Op::WriteOff { charge, cents } => ledger::change_balance(
                    &pool,
                    &b.biller,
                    &meta(),
                    charge_ids[*charge],
                    BalanceChange::WriteOff(Party::Client),
                    &dollars(*cents),
                    "Hardship",
                )
                .await
                .map(|_| -cents),
            };
            match result {
                Ok(change) => owed_in_all += change,
                // a refusal names its field or its conflict, and changes nothing
                Err(AppError::Validation { .. } | AppError::Conflict(_)) => {}
                Err(other) => panic!("{op:?}: {other:?}"),
            }
            let l = ledger_of(&pool, &b.biller, ann).await;
            let sum: i64 = sqlx::query_scalar(
                "SELECT sum(amount_cents)::bigint FROM ledger_entries WHERE client_id = $1",
            )
            .bind(ann)
            .fetch_one(&pool)
            .await
            .unwrap();
            let last = l.lines.last().unwrap();
            assert_eq!(
                last.insurance_balance.cents() + last.client_balance.cents(),
                sum,
                "{op:?}: the running balance is the sum of the postings"
            );
            assert_eq!(sum, owed_in_all, "{op:?}: no cent created or lost");
            assert_eq!(l.client_balance().cents(), owed_in_all, "{op:?}");
            assert!(l.credit.cents() >= 0);
            assert_eq!(drifted_balances(&pool).await, 0, "{op:?}");
            assert!(l.open_charges.iter().all(|c| c.client_owes.cents() >= 0));
            // the server adds up the aging summary's changes now and then: that changes no sum
            if owed_in_all % 2 == 0 {
                app::billing::server::receivables::fold(&pool)
                    .await
                    .unwrap();
                assert_eq!(drifted_balances(&pool).await, 0, "{op:?}: after folding");
            }
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn two_people_posting_to_one_client_at_once_never_apply_a_payment_twice(pool: PgPool) {
    let b = billing(&pool).await;
    self_pay_charges(&pool, &b, [0, 0, 0]).await;
    let ann = b.d.ann;
    // $300 on account, $360 owed: two people apply the credit at the same moment
    ledger::take_payment(
        &pool,
        &b.d.desk,
        &meta(),
        &payment(ann, "cash", "300", false),
    )
    .await
    .unwrap();
    let m = meta();
    let (one, two) = tokio::join!(
        ledger::apply_credit(&pool, &b.d.desk, &m, ann),
        ledger::apply_credit(&pool, &b.biller, &m, ann),
    );
    let applied: Vec<i64> = [one, two]
        .into_iter()
        .filter_map(Result::ok)
        .map(|m| m.cents())
        .collect();
    assert_eq!(
        applied,
        [30000],
        "one applies it all; the other finds no credit left"
    );
    // and two payments taken at once both land, each applied once
    let fifty = payment(ann, "cash", "50", true);
    let (a, c) = tokio::join!(
        ledger::take_payment(&pool, &b.d.desk, &m, &fifty),
        ledger::take_payment(&pool, &b.biller, &m, &fifty),
    );
    let applied = a.unwrap().applied.cents() + c.unwrap().applied.cents();
    assert_eq!(applied, 6000, "only $60 was still owed");
    let l = ledger_of(&pool, &b.biller, ann).await;
    assert_eq!((l.client_owes.cents(), l.credit.cents()), (0, 4000));
}

#[sqlx::test(migrations = "../migrations")]
async fn aging_statements_and_superbills_add_up_to_what_was_worked_out_by_hand(pool: PgPool) {
    use app::billing::server::{receivables, statements};
    let b = billing(&pool).await;
    complete_practice(&pool).await;
    self_pay_charges(&pool, &b, [10, 45, 130]).await;
    let ann = b.d.ann;
    let today: NaiveDate =
        sqlx::query_scalar("SELECT (now() AT TIME ZONE time_zone)::date FROM practice")
            .fetch_one(&pool)
            .await
            .unwrap();
    // a posted charge never changes: not even its date (the aging summaries are keyed on it)
    let moved = refused(
        &pool,
        sqlx::query("UPDATE charges SET service_date = service_date - 1"),
    )
    .await;
    assert!(moved.contains("a posted charge never changes"), "{moved}");
    // $50 applied oldest first: to the 130-day-old session
    ledger::take_payment(&pool, &b.d.desk, &meta(), &payment(ann, "cash", "50", true))
        .await
        .unwrap();
    let r = receivables::receivables(&pool, &b.biller, &meta())
        .await
        .unwrap();
    assert!(r.by_payer.is_empty(), "self-pay: no insurer owes");
    assert_eq!(r.clients_owing, 1);
    let cents = |row: [app::money::Money; 5]| row.map(|m| m.cents());
    assert_eq!(cents(r.by_client[0].buckets), [12000, 12000, 0, 0, 7000]);
    assert_eq!(cents(r.client_totals), [12000, 12000, 0, 0, 7000]);
    // folding the recorded changes into the summary changes no figure, and empties the changes
    assert!(receivables::fold(&pool).await.unwrap() > 0);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM open_by_day_changes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);
    let again = receivables::receivables(&pool, &b.biller, &meta())
        .await
        .unwrap();
    assert_eq!(cents(again.client_totals), [12000, 12000, 0, 0, 7000]);
    let by_hand = refused(&pool, sqlx::query("UPDATE open_by_day SET cents = 0")).await;
    assert!(by_hand.contains("follow the ledger"), "{by_hand}");
    assert_eq!(r.by_client[0].total.cents(), 31000);
    assert_eq!(r.client_paid_this_month.cents(), 5000);
    assert_eq!(
        receivables::receivables(&pool, &b.d.desk, &meta())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    let from = (today - chrono::Duration::days(200))
        .format("%m/%d/%Y")
        .to_string();
    let to = today.format("%m/%d/%Y").to_string();
    let (_, pdf) = statements::statement_pdf(&pool, &b.d.desk, &meta(), ann, &from, &to)
        .await
        .unwrap();
    let text = common::pdf_text(&pdf).replace('\n', " ");
    assert!(text.contains("Amount due: $310.00"), "{text}");
    assert!(text.contains("Over 120: $70.00"), "{text}");
    // a superbill shows diagnoses: the biller makes it, the front desk may not
    assert_eq!(
        statements::superbill_pdf(&pool, &b.d.desk, &meta(), ann, &from, &to)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let (_, pdf) = statements::superbill_pdf(&pool, &b.biller, &meta(), ann, &from, &to)
        .await
        .unwrap();
    let text = common::pdf_text(&pdf).replace('\n', " ");
    assert!(text.contains("Practice NPI 1245319599"), "{text}");
    assert!(text.contains("F41.1"), "{text}");
    assert!(
        text.contains("Total charged $360.00 · total paid $50.00"),
        "{text}"
    );
    let bad = statements::statement_pdf(&pool, &b.d.desk, &meta(), ann, &to, &from)
        .await
        .unwrap_err();
    assert_eq!(
        bad.field_messages("to").unwrap(),
        ["The period ends before it begins."]
    );
    assert_eq!(
        statements::superbill_pdf(&pool, &b.d.casey, &meta(), ann, &from, &to)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let released: Vec<String> = sqlx::query_scalar(
        "SELECT action || ' ' || outcome FROM audit_events WHERE action LIKE 'billing.%_download' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        released,
        [
            "billing.statement_download success",
            "billing.superbill_download denied",
            "billing.superbill_download success",
            "billing.superbill_download denied",
        ]
    );
}

/// A 999 as a clearinghouse writes one, by hand (not by our code): `body` between ST and SE.
fn ack_999(control: u32, body: &[String]) -> Vec<u8> {
    let mut segs = vec!["ST*999*0001*005010X231A1".to_owned()];
    segs.extend(body.iter().cloned());
    segs.push(format!("SE*{}*0001", segs.len() + 1));
    format!(
        "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*MSEHR          *261220*0900*^*00501*{control:09}*0*P*:~\
         GS*FA*CLEARINGHOUSE*MSEHR*20261220*0900*{control}*X*005010X231A1~{}~GE*1*{control}~IEA*1*{control:09}~",
        segs.join("~")
    )
    .into_bytes()
}

async fn batch_control_of(pool: &PgPool, claim: ClaimId) -> i32 {
    sqlx::query_scalar(
        "SELECT b.control_number FROM claims c JOIN claim_batches b ON b.id = c.batch_id WHERE c.id = $1",
    )
    .bind(claim)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn latest_reason(pool: &PgPool, claim: ClaimId) -> String {
    sqlx::query_scalar(
        "SELECT reason FROM claim_status_history WHERE claim_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(claim)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Marks `claim` ready, sends it in a batch of its own and reads the 837P back.
async fn send_alone(pool: &PgPool, b: &Billing, claim: ClaimId) -> Vec<edi::Segment> {
    claims::change_status(pool, &b.biller, &meta(), claim, ClaimStatus::Ready, "")
        .await
        .unwrap();
    let batch = batches::create_batch(pool, &b.biller, &meta(), b.payer)
        .await
        .unwrap();
    let (_, file) = batches::batch_file(pool, &b.biller, &meta(), batch)
        .await
        .unwrap();
    edi::read(std::str::from_utf8(&file).unwrap())
        .unwrap()
        .segments
}

#[sqlx::test(migrations = "../migrations")]
async fn a_999_settles_its_batch_once_and_a_rejection_says_what_was_wrong(pool: PgPool) {
    let b = billing(&pool).await;
    let (claim, _) = submitted_claim(&pool, &b).await;
    let group = batch_control_of(&pool, claim).await;
    let rejection = ack_999(
        501,
        &[
            format!("AK1*HC*{group}*005010X222A1"),
            "AK2*837*0001*005010X222A1".into(),
            "IK3*CLM*24*2300*8".into(),
            "IK4*5:3*1325*7*9".into(),
            "IK5*R*5".into(),
            "AK9*R*1*1*0".into(),
        ],
    );
    // a file naming a batch we never sent changes nothing, and says which group
    let foreign = ack_999(
        502,
        &["AK1*HC*999999*005010X222A1".into(), "AK9*A*1*1*1".into()],
    );
    let err = acks::import_ack(&pool, &b.biller, &meta(), &foreign)
        .await
        .unwrap_err();
    let said = err.field_messages("file").unwrap()[0].clone();
    assert!(said.contains("group 000999999"), "{said}");
    assert_eq!(status_of(&pool, claim).await, "submitted");

    let done = acks::import_ack(&pool, &b.biller, &meta(), &rejection)
        .await
        .unwrap();
    assert_eq!(done.batches.len(), 1);
    let outcome = &done.batches[0];
    assert!(!outcome.accepted && !outcome.duplicate);
    assert_eq!(outcome.claims_changed, 1);
    assert_eq!(status_of(&pool, claim).await, "rejected");
    assert_eq!(
        latest_reason(&pool, claim).await,
        "Rejected by the receiver: Segment CLM at position 24 (loop 2300): Segment has data element errors"
    );
    assert_eq!(
        outcome.errors[1], "CLM05-3: Invalid code value (“9”)",
        "each element the receiver named is said in words"
    );
    // the same answer again is recognised; the opposite answer is refused
    let again = acks::import_ack(&pool, &b.biller, &meta(), &rejection)
        .await
        .unwrap();
    assert!(again.batches[0].duplicate);
    assert_eq!(again.batches[0].claims_changed, 0);
    let acceptance = ack_999(
        503,
        &[format!("AK1*HC*{group}*005010X222A1"), "AK9*A*1*1*1".into()],
    );
    let err = acks::import_ack(&pool, &b.biller, &meta(), &acceptance)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("already acknowledged as rejected")),
        "{err:?}"
    );
    // and the database keeps a settled batch settled
    let reopened = refused(
        &pool,
        sqlx::query("UPDATE claim_batches SET status = 'submitted' WHERE control_number = $1")
            .bind(group),
    )
    .await;
    assert!(reopened.contains("acknowledged once"), "{reopened}");
    // the rejected claim goes back to draft, is fixed, and goes out in a new batch
    claims::change_status(&pool, &b.biller, &meta(), claim, ClaimStatus::Draft, "")
        .await
        .unwrap();
    claims::change_status(&pool, &b.biller, &meta(), claim, ClaimStatus::Ready, "")
        .await
        .unwrap();
    batches::create_batch(&pool, &b.biller, &meta(), b.payer)
        .await
        .unwrap();
    let second = batch_control_of(&pool, claim).await;
    assert!(second > group, "control numbers increase");
    let accepted = ack_999(
        504,
        &[
            format!("AK1*HC*{second}*005010X222A1"),
            "AK2*837*0001*005010X222A1".into(),
            "IK5*A".into(),
            "AK9*A*1*1*1".into(),
        ],
    );
    let done = acks::import_ack(&pool, &b.biller, &meta(), &accepted)
        .await
        .unwrap();
    assert!(done.batches[0].accepted);
    assert_eq!(status_of(&pool, claim).await, "accepted");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'billing.ack_import' AND outcome = 'success'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        audited, 2,
        "each settled batch is audited; the duplicate is not a change"
    );
    // only billers import acknowledgements
    let err = acks::import_ack(&pool, &b.d.casey, &meta(), &accepted)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden), "{err:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_decided_claim_is_corrected_or_voided_quoting_the_payers_number(pool: PgPool) {
    let b = billing(&pool).await;
    let (claim, sent) = submitted_claim(&pool, &b).await;
    let correct = |id, kind, reason: &'static str| {
        let (pool, biller) = (pool.clone(), b.biller.clone());
        async move { claims::correct_claim(&pool, &biller, &meta(), id, kind, reason).await }
    };
    let err = correct(claim, Correction::Replace, "Wrong member id")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("has not decided")),
        "{err:?}"
    );
    // the payer pays it and names it PCN<our number>
    let paid = decide(&sent, "1", 1, |l| (l.charge_cents, vec![]));
    let era = file_of(&remittance("EFT7001", vec![paid], vec![]), 7);
    remits::import_era(&pool, &b.biller, &meta(), &era)
        .await
        .unwrap();
    assert_eq!(status_of(&pool, claim).await, "paid");
    let err = correct(claim, Correction::Replace, "  ").await.unwrap_err();
    assert!(err.field_messages("reason").is_some(), "{err:?}");

    // the member id was wrong: the front desk ends that policy and adds the right one, same payer
    sqlx::query(
        "UPDATE insurance_policies SET active = false, ended_at = now() WHERE client_id = $1",
    )
    .bind(b.d.ann)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO insurance_policies (client_id, payer_id, priority, member_id, subscriber_relationship,
                                         coverage_start, copay_cents)
         VALUES ($1, $2, 'primary', 'W555555555', 'self', '2026-01-01', 2500)",
    )
    .bind(b.d.ann)
    .bind(b.payer)
    .execute(&pool)
    .await
    .unwrap();
    let replacement = correct(claim, Correction::Replace, "Member id corrected")
        .await
        .unwrap();
    let detail = claims::claim_detail(&pool, &b.biller, &meta(), replacement)
        .await
        .unwrap();
    assert_eq!(detail.frequency, "7");
    assert_eq!(
        detail.member_id, "W555555555",
        "the correction bills the policy now on file"
    );
    assert_eq!(
        claims::claim_detail(&pool, &b.biller, &meta(), claim)
            .await
            .unwrap()
            .member_id,
        "W123456789",
        "the original keeps what it said"
    );
    assert_eq!(detail.summary.status, ClaimStatus::Draft);
    assert_eq!(detail.replaces.as_ref().map(|r| r.0), Some(claim));
    let original = claims::claim_detail(&pool, &b.biller, &meta(), claim)
        .await
        .unwrap();
    assert_eq!(
        original.replaced_by.as_ref().map(|r| r.0),
        Some(replacement)
    );
    assert_eq!(
        original.payer_claim_number.as_deref(),
        Some(format!("PCN{}", sent.number).as_str())
    );
    assert_eq!(
        detail.lines.iter().map(|l| l.charge_id).collect::<Vec<_>>(),
        original
            .lines
            .iter()
            .map(|l| l.charge_id)
            .collect::<Vec<_>>(),
        "the correction repeats the original's lines"
    );
    assert!(latest_reason(&pool, claim)
        .await
        .starts_with(&format!("Corrected by {}", detail.summary.claim_number)));
    let err = correct(claim, Correction::Void, "Billed in error")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("already corrected by")),
        "{err:?}"
    );
    // the database holds one live correction per claim, and every correction quotes a number
    let twice = refused(
        &pool,
        sqlx::query(
            "INSERT INTO claims (client_id, policy_id, payer_id, rendering_provider_id, frequency,
                                 original_claim_id, original_payer_claim_number, created_by)
             SELECT client_id, policy_id, payer_id, rendering_provider_id, '8', id, 'X1', created_by
               FROM claims WHERE id = $1",
        )
        .bind(claim),
    )
    .await;
    assert!(twice.contains("claims_one_live_correction"), "{twice}");
    let unquoted = refused(
        &pool,
        sqlx::query("UPDATE claims SET original_payer_claim_number = NULL WHERE id = $1")
            .bind(replacement),
    )
    .await;
    assert!(
        unquoted.contains("claims_correction_quotes_payer_number"),
        "{unquoted}"
    );

    // the replacement goes out: CLM05-3 is 7 and REF*F8 quotes the payer's number
    let segments = send_alone(&pool, &b, replacement).await;
    let clm = segments.iter().find(|s| s.id == "CLM").unwrap();
    assert_eq!(clm.el(1), detail.summary.claim_number);
    assert_eq!(clm.el(5), "11:B:7");
    let f8 = segments
        .iter()
        .find(|s| s.id == "REF" && s.el(1) == "F8")
        .expect("REF*F8");
    assert_eq!(f8.el(2), format!("PCN{}", sent.number));
    let forms = sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM audit_events WHERE action = 'billing.claim_correct'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(forms, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_void_goes_out_once_an_unsent_correction_is_dropped(pool: PgPool) {
    let b = billing(&pool).await;
    let (claim, sent) = submitted_claim(&pool, &b).await;
    let denied = decide(&sent, "4", 1, |l| {
        (0, vec![adj("CO", "50", l.charge_cents)])
    });
    let era = file_of(&remittance("EFT7002", vec![denied], vec![]), 8);
    remits::import_era(&pool, &b.biller, &meta(), &era)
        .await
        .unwrap();
    assert_eq!(status_of(&pool, claim).await, "denied");
    let draft = claims::correct_claim(
        &pool,
        &b.biller,
        &meta(),
        claim,
        Correction::Replace,
        "Add modifier",
    )
    .await
    .unwrap();
    // a draft correction nobody sent is dropped: the claim can then be voided instead
    claims::change_status(&pool, &b.biller, &meta(), draft, ClaimStatus::Void, "")
        .await
        .unwrap();
    let void = claims::correct_claim(
        &pool,
        &b.biller,
        &meta(),
        claim,
        Correction::Void,
        "Session billed in error",
    )
    .await
    .unwrap();
    let segments = send_alone(&pool, &b, void).await;
    assert_eq!(
        segments.iter().find(|s| s.id == "CLM").unwrap().el(5),
        "11:B:8"
    );
    assert!(segments
        .iter()
        .any(|s| s.id == "REF" && s.el(1) == "F8" && s.el(2) == format!("PCN{}", sent.number)));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_clinician_sees_where_their_own_sessions_stand_and_no_amounts(pool: PgPool) {
    let b = billing(&pool).await;
    let own = |user: CurrentUser| {
        let pool = pool.clone();
        async move { charges::own_sessions(&pool, &user, &meta()).await }
    };
    let before = own(b.d.casey.clone()).await.unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].client_id, b.d.ann);
    assert_eq!(
        before[0].stage,
        BillingStage::Blocked(BlockReason::NoteMissing)
    );
    assert!(before[0].stage.waits_on_clinician());

    let (claim, _) = submitted_claim(&pool, &b).await;
    let after = own(b.d.casey.clone()).await.unwrap();
    assert_eq!(after.len(), 1, "a charged session is listed once");
    assert_eq!(after[0].codes, vec!["90834".to_owned()]);
    assert_eq!(after[0].stage, BillingStage::Claim(ClaimStatus::Submitted));
    assert_eq!(after[0].stage.words(), "Claim submitted.");
    let wire = serde_json::to_string(&after).unwrap();
    assert!(
        !wire.contains("cents") && !wire.contains("amount") && !wire.contains("12000"),
        "no amount reaches a clinician: {wire}"
    );
    // the claim's later status follows
    let paid = sqlx::query("UPDATE claims SET status = 'denied' WHERE id = $1")
        .bind(claim)
        .execute(&pool)
        .await;
    paid.unwrap();
    let denied = own(b.d.casey.clone()).await.unwrap();
    assert_eq!(denied[0].stage, BillingStage::Claim(ClaimStatus::Denied));

    // another clinician sees none of Casey's sessions; billing staff use their own pages
    let other = common::staff(
        &pool,
        "other-clinician@example.com",
        app::auth::types::Role::Clinician,
    )
    .await;
    assert!(own(other).await.unwrap().is_empty());
    let err = own(b.biller.clone()).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden), "{err:?}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'billing.own_sessions_view' AND actor_id = $1",
    )
    .bind(b.d.casey.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 3);
}
