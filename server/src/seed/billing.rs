//! Demo billing, made through the billing services as a biller would: the practice's billing
//! identity, codes for the appointment types, contracted fees, charges for signed sessions older than
//! two weeks (the newer ones wait on "Ready to bill"), claims built from them, batches sent, claims
//! spread over every status, remittances posted (paid, partly paid, denied, one reversed), and
//! clients' copays, credits and write-offs.

use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::billing::coding::suggest_code;
use app::billing::server::charges::block_reason;
use app::billing::server::claim_file::line_control_number;
use app::billing::server::edi::remit::{
    write_835, Adjustment, ClaimPayment, ProviderAdjustment, Remittance, ServicePayment,
};
use app::billing::server::ledger::{self, BalanceChange};
use app::billing::server::{batches, charges, claims, remits, repo};
use app::billing::types::{ChargeInput, ClaimFilter, ClaimStatus, Party, PaymentInput};
use app::ids::{ChargeId, ClaimId, ClientId, SessionId, UserId};
use chrono::Datelike;
use sqlx::PgPool;

/// Once: when the practice has no charge yet. Returns the charges made.
pub async fn demo_billing(pool: &PgPool) -> Result<u64, crate::AnyError> {
    let any: bool = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM charges) AS "any!""#)
        .fetch_one(pool)
        .await?;
    if any {
        return Ok(0);
    }
    prepare(pool).await?;
    let Some(biller) = biller(pool).await? else {
        return Ok(0);
    };
    let meta = RequestMeta::default();
    let made = charge_old_sessions(pool, &biller, &meta).await?;
    send_and_settle(pool, &biller, &meta).await?;
    Ok(made)
}

/// The demo biller, signed in for the services.
async fn biller(pool: &PgPool) -> Result<Option<CurrentUser>, crate::AnyError> {
    user_by_email(pool, "biller@demo.test", Role::Biller).await
}

/// What the demo practice needs before it can bill: identity, type codes, fees, a payer that bills
/// interns under their supervisor, self-pay clients, dependents on a parent's policy, telehealth.
async fn prepare(pool: &PgPool) -> Result<(), crate::AnyError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE practice SET billing_taxonomy = coalesce(billing_taxonomy, '101YM0800X'),
                billing_address = coalesce(billing_address, '2450 N Lincoln Ave'),
                billing_city = coalesce(billing_city, 'Chicago'), billing_state = coalesce(billing_state, 'IL'),
                billing_zip = coalesce(billing_zip, '60614-2344'),
                billing_phone = coalesce(billing_phone, '+13125550142'),
                submitter_id = coalesce(submitter_id, 'RIVERBEND01')"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE appointment_types SET service_code = CASE name
                WHEN 'Intake' THEN '90791' WHEN 'Couples therapy' THEN '90847'
                WHEN 'Family therapy' THEN '90847' WHEN 'Group therapy' THEN '90853'
                ELSE '90834' END
          WHERE service_code IS NULL"
    )
    .execute(&mut *tx)
    .await?;
    // each payer's contracted amounts: 70 to 90 percent of the practice's fee
    sqlx::query!(
        "INSERT INTO payer_fees (payer_id, code, amount_cents, effective_from)
         SELECT p.id, s.code,
                s.default_fee_cents * (70 + (hashtext(p.payer_code) & 2147483647) % 21) / 100, date '2026-01-01'
           FROM payers p CROSS JOIN service_codes s
          WHERE s.code IN ('90791', '90832', '90834', '90837', '90847', '96127')
            AND NOT EXISTS (SELECT 1 FROM payer_fees f WHERE f.payer_id = p.id AND f.code = s.code)"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE payers SET supervisor_renders_for_interns = true
          WHERE id = (SELECT id FROM payers ORDER BY payer_code LIMIT 1)"
    )
    .execute(&mut *tx)
    .await?;
    // the kind of plan each files claims under (the rest are commercial)
    sqlx::query!(
        "UPDATE payers SET claim_filing_indicator = CASE payer_code WHEN '00621' THEN 'BL' ELSE 'MC' END
          WHERE payer_code IN ('00621', 'ILMCD')"
    )
    .execute(&mut *tx)
    .await?;
    // half of the uninsured pay for themselves; the other half stay blocked for the front desk
    sqlx::query!(
        "UPDATE clients c SET self_pay = true
          WHERE NOT EXISTS (SELECT 1 FROM insurance_policies i WHERE i.client_id = c.id)
            AND (hashtext(c.id::text || 'self') & 2147483647) % 2 = 0"
    )
    .execute(&mut *tx)
    .await?;
    // one in eight insured clients is covered as a child on a parent's policy
    sqlx::query!(
        "UPDATE insurance_policies i
            SET subscriber_relationship = 'child', subscriber_name = 'Robin ' || c.legal_last_name,
                subscriber_dob = date '1968-03-14'
           FROM clients c
          WHERE c.id = i.client_id AND i.subscriber_relationship = 'self'
            AND (hashtext(i.id::text || 'dependent') & 2147483647) % 8 = 0"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE appointments SET telehealth = true
          WHERE status = 'completed' AND (hashtext(id::text || 'tele') & 2147483647) % 6 = 0"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Charges every ready session older than two weeks with its suggested code (telehealth with 95),
/// and a PHQ-9 (96127) for every fifth; claims are built week by week, as a biller would.
async fn charge_old_sessions(
    pool: &PgPool,
    biller: &CurrentUser,
    meta: &RequestMeta,
) -> Result<u64, crate::AnyError> {
    let cutoff = chrono::Utc::now().date_naive() - chrono::Duration::days(14);
    let mut conn = pool.acquire().await?;
    let sessions = repo::uncharged_sessions(&mut conn, None, None, 100_000).await?;
    let codes = repo::service_codes(&mut conn).await?;
    drop(conn);
    let mut made = 0;
    let mut week = None;
    for (i, s) in sessions.iter().enumerate() {
        if s.service_date >= cutoff || block_reason(s).is_some() {
            continue;
        }
        let this_week = s.service_date.iso_week();
        if week.is_some_and(|w| w != this_week) {
            claims::build_claims(pool, biller, meta).await?;
        }
        week = Some(this_week);
        let Some(code) = suggest_code(s.type_code.as_deref(), s.minutes, &codes) else {
            continue;
        };
        let mut form = ChargeInput {
            appointment_id: s.appointment_id.to_string(),
            client_id: s.client_id.to_string(),
            service_code: code,
            modifiers: if s.telehealth {
                "95".into()
            } else {
                String::new()
            },
            units: String::new(),
        };
        // a visit past an authorization's last is refused: the session stays blocked
        if charges::create_charge(pool, biller, meta, &form)
            .await
            .is_err()
        {
            continue;
        }
        made += 1;
        if i % 5 == 0 {
            form.service_code = "96127".into();
            form.modifiers = String::new();
            if charges::create_charge(pool, biller, meta, &form)
                .await
                .is_ok()
            {
                made += 1;
            }
        }
    }
    claims::build_claims(pool, biller, meta).await?;
    Ok(made)
}

/// Marks the claims that can go out ready; sends the older ones in one batch per payer, which the
/// clearinghouse's 999s accept or reject; then moves accepted claims through payment, denial and
/// appeal, so every status is on show.
async fn send_and_settle(
    pool: &PgPool,
    biller: &CurrentUser,
    meta: &RequestMeta,
) -> Result<(), crate::AnyError> {
    let drafts = claims::list_claims(pool, biller, meta, &ClaimFilter::default()).await?;
    let cutoff = chrono::Utc::now().date_naive() - chrono::Duration::days(28);
    let (older, newer): (Vec<_>, Vec<_>) =
        drafts.iter().partition(|c| c.last_service_date < cutoff);
    // the older claims that can go out are sent, one batch per payer (the rest stay drafts: each
    // names what stops it)
    let mut payers = std::collections::BTreeSet::new();
    for c in &older {
        if claims::change_status(pool, biller, meta, c.id, ClaimStatus::Ready, "")
            .await
            .is_ok()
        {
            payers.insert(c.payer_id);
        }
    }
    let mut sent = Vec::new();
    for payer in &payers {
        sent.push(batches::create_batch(pool, biller, meta, *payer).await?);
    }
    acknowledge(pool, biller, meta, &sent).await?;
    let filter = ClaimFilter {
        status: Some(ClaimStatus::Accepted),
        payer_id: None,
    };
    use ClaimStatus::*;
    let accepted = claims::list_claims(pool, biller, meta, &filter).await?;
    let mut decided: Vec<(ClaimId, Decision)> = Vec::new();
    for (i, c) in accepted.iter().enumerate() {
        let decision = match i % 10 {
            0 | 1 => continue,
            // the payer turns it away after the clearinghouse took it (a 277CA, entered by hand)
            2 => {
                claims::change_status(
                    pool,
                    biller,
                    meta,
                    c.id,
                    Rejected,
                    "Payer: subscriber not found",
                )
                .await?;
                continue;
            }
            3..=5 | 9 => Decision::Paid,
            6 => Decision::Partial,
            _ => Decision::Denied,
        };
        // only a claim of several lines is part paid (the payer bundles the later lines)
        let decision = match decision {
            Decision::Paid if c.line_count > 1 && i % 2 == 0 => Decision::Partial,
            other => other,
        };
        decided.push((c.id, decision));
    }
    remit(pool, biller, meta, &decided).await?;
    for (i, (id, decision)) in decided.iter().enumerate() {
        let next = match decision {
            Decision::Denied if i % 2 == 0 => Appealed,
            Decision::Paid if i % 4 == 0 => Closed,
            _ => continue,
        };
        let _ = claims::change_status(pool, biller, meta, *id, next, "").await;
    }
    // the payer asked for one part-paid claim again: its replacement went out in a batch of its own
    if let Some((id, _)) = decided.iter().find(|(_, d)| *d == Decision::Partial) {
        let replacement = claims::correct_claim(
            pool,
            biller,
            meta,
            *id,
            app::billing::types::Correction::Replace,
            "Resent at the payer's request",
        )
        .await?;
        claims::change_status(pool, biller, meta, replacement, Ready, "").await?;
        let payer = claims::claim_detail(pool, biller, meta, replacement)
            .await?
            .summary
            .payer_id;
        batches::create_batch(pool, biller, meta, payer).await?;
    }
    // most newer ones are ready for the biller's next batch; every third stays a draft to review
    for (i, c) in newer.iter().enumerate() {
        if i % 3 != 0 {
            let _ = claims::change_status(pool, biller, meta, c.id, ClaimStatus::Ready, "").await;
        }
    }
    take_client_payments(pool, meta).await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Paid,
    Partial,
    Denied,
}

/// The clearinghouse answers each batch with a 999, imported through the service: the smallest
/// batch is still waiting, the next was rejected for a bad element, the rest were accepted.
async fn acknowledge(
    pool: &PgPool,
    biller: &CurrentUser,
    meta: &RequestMeta,
    sent: &[app::ids::BatchId],
) -> Result<(), crate::AnyError> {
    let ids: Vec<uuid::Uuid> = sent.iter().map(|b| b.0).collect();
    // the two smallest batches: one still waits, one was rejected; the rest were accepted
    let controls = sqlx::query_scalar!(
        "SELECT control_number FROM claim_batches WHERE id = ANY($1) ORDER BY claim_count, control_number",
        &ids
    )
    .fetch_all(pool)
    .await?;
    for (i, control) in controls.into_iter().enumerate().skip(1) {
        let answer = if i == 1 {
            "AK2*837*0001*005010X222A1~IK3*NM1*9*2010AA*8~IK4*9*67*7*0000000000~IK5*R*5~AK9*R*1*1*0"
        } else {
            "AK2*837*0001*005010X222A1~IK5*A~AK9*A*1*1*1"
        };
        let body = format!("ST*999*0001*005010X231A1~AK1*HC*{control}*005010X222A1~{answer}~");
        let segments = body.matches('~').count() + 1;
        let at = chrono::Utc::now();
        let file = format!(
            "ISA*00*          *00*          *ZZ*DEMOCLEARING   *ZZ*MSEHR          *{}*{}*^*00501*{:09}*0*P*:~\
             GS*FA*DEMOCLEARING*MSEHR*{}*{}*{control}*X*005010X231A1~{body}SE*{segments}*0001~GE*1*{control}~IEA*1*{:09}~",
            at.format("%y%m%d"),
            at.format("%H%M"),
            9000 + i,
            at.format("%Y%m%d"),
            at.format("%H%M"),
            9000 + i,
        );
        app::billing::server::acks::import_ack(pool, biller, meta, file.as_bytes()).await?;
    }
    Ok(())
}

/// The payers answer: one 835 per payer, written the way a payer would and imported through the
/// service (so the ledger, statuses and the unmatched queue are the real ones). One paid claim is
/// reversed and paid again in a second file; one line of a claim we never sent waits in the queue.
async fn remit(
    pool: &PgPool,
    biller: &CurrentUser,
    meta: &RequestMeta,
    decided: &[(ClaimId, Decision)],
) -> Result<(), crate::AnyError> {
    let ids: Vec<uuid::Uuid> = decided.iter().map(|(c, _)| c.0).collect();
    let rows = sqlx::query!(
        r#"SELECT c.id AS "claim_id: ClaimId", c.claim_number, p.name AS payer_name, p.payer_code,
                  ch.id AS "charge_id: ChargeId", ch.service_code, ch.service_date, ch.units,
                  ch.amount_cents AS "amount_cents!", ch.client_share_cents,
                  cl.legal_first_name || ' ' || cl.legal_last_name AS "patient!"
             FROM claims c JOIN payers p ON p.id = c.payer_id
             JOIN claim_lines l ON l.claim_id = c.id JOIN charges ch ON ch.id = l.charge_id
             JOIN clients cl ON cl.id = c.client_id
            WHERE c.id = ANY($1) ORDER BY p.payer_code, c.claim_number, l.line_number"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    let npi: String =
        sqlx::query_scalar!(r#"SELECT coalesce(billing_npi, '') AS "npi!" FROM practice"#)
            .fetch_one(pool)
            .await?;
    let decision_of = |id: ClaimId| decided.iter().find(|(c, _)| *c == id).map(|(_, d)| *d);
    let mut by_payer: std::collections::BTreeMap<String, Remittance> = Default::default();
    for r in &rows {
        let Some(decision) = decision_of(r.claim_id) else {
            continue;
        };
        let remittance = by_payer
            .entry(r.payer_code.clone())
            .or_insert_with(|| Remittance {
                trace_number: format!(
                    "DEMO{}{}",
                    r.payer_code,
                    chrono::Utc::now().format("%y%m%d")
                ),
                // TRN03: "1" and a nine-digit id, as payers use their tax id
                payer_identifier: format!(
                    "1{:09}",
                    r.payer_code
                        .bytes()
                        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
                        % 1_000_000_000
                ),
                payer_name: r.payer_name.clone(),
                payer_code: Some(r.payer_code.clone()),
                payee_name: "Demo practice".into(),
                payee_npi: npi.clone(),
                payment_cents: 0,
                payment_method: "ACH".into(),
                payment_date: chrono::Utc::now().date_naive() - chrono::Duration::days(3),
                claims: vec![],
                provider_adjustments: vec![],
            });
        if remittance
            .claims
            .last()
            .map(|c| c.patient_control_number.as_str())
            != Some(&r.claim_number)
        {
            remittance.claims.push(ClaimPayment {
                patient_control_number: r.claim_number.clone(),
                status_code: if decision == Decision::Denied {
                    "4"
                } else {
                    "1"
                }
                .into(),
                charge_cents: 0,
                paid_cents: 0,
                patient_share_cents: 0,
                payer_claim_number: format!("{}X", r.claim_number),
                patient_name: r.patient.clone(),
                adjustments: vec![],
                remark_codes: vec![],
                lines: vec![],
            });
        }
        let Some(claim) = remittance.claims.last_mut() else {
            continue;
        };
        let charge = r.amount_cents;
        let copay = r.client_share_cents.min(charge);
        let adj = |group: &str, reason: &str, cents: i64| Adjustment {
            group: group.into(),
            reason: reason.into(),
            amount_cents: cents,
            quantity: None,
        };
        let first_line = claim.lines.is_empty();
        let (paid, adjustments) = match decision {
            // a partly paid claim: its later lines are bundled into the first and not paid
            Decision::Partial if !first_line => (0, vec![adj("CO", "97", charge)]),
            Decision::Denied => (
                0,
                vec![adj(
                    "CO",
                    if claim.patient_control_number.ends_with('7') {
                        "197"
                    } else {
                        "50"
                    },
                    charge,
                )],
            ),
            Decision::Paid | Decision::Partial => {
                // the payer allows 80 percent; the client owes the copay (and, on a partial, a deductible)
                let allowed = charge * 8 / 10;
                let deductible = if decision == Decision::Partial {
                    (allowed - copay) / 2
                } else {
                    0
                };
                let mut a = vec![adj("CO", "45", charge - allowed)];
                if copay > 0 {
                    a.push(adj("PR", "3", copay.min(allowed)));
                }
                if deductible > 0 {
                    a.push(adj("PR", "1", deductible));
                }
                let adjusted: i64 = a.iter().map(|x| x.amount_cents).sum();
                (charge - adjusted, a)
            }
        };
        claim.charge_cents += charge;
        claim.paid_cents += paid;
        claim.patient_share_cents += adjustments
            .iter()
            .filter(|a| a.group == "PR")
            .map(|a| a.amount_cents)
            .sum::<i64>();
        claim.lines.push(ServicePayment {
            procedure_code: r.service_code.clone(),
            modifiers: vec![],
            charge_cents: charge,
            paid_cents: paid,
            units: r.units,
            service_date: Some(r.service_date),
            control_number: Some(line_control_number(r.charge_id)),
            adjustments,
            remark_codes: if decision == Decision::Denied {
                vec!["N130".into()]
            } else {
                vec![]
            },
        });
        remittance.payment_cents += paid;
    }
    let at = chrono::Utc::now().naive_utc();
    let mut control = 900_000_000;
    let mut reversal: Option<ClaimPayment> = None;
    for (i, remittance) in by_payer.values_mut().enumerate() {
        if i == 0 {
            // a claim we never sent: it waits in the queue with the reason
            remittance.claims.push(ClaimPayment {
                patient_control_number: "MS000042".into(),
                status_code: "1".into(),
                charge_cents: 9000,
                paid_cents: 6000,
                patient_share_cents: 0,
                payer_claim_number: "UNKNOWN1".into(),
                patient_name: "JORDAN UNKNOWN".into(),
                adjustments: vec![Adjustment {
                    group: "CO".into(),
                    reason: "45".into(),
                    amount_cents: 3000,
                    quantity: None,
                }],
                remark_codes: vec![],
                lines: vec![],
            });
            remittance.payment_cents += 6000;
            reversal = remittance
                .claims
                .iter()
                .find(|c| c.status_code == "1" && c.paid_cents > 0)
                .cloned();
        }
        control += 1;
        remits::import_era(
            pool,
            biller,
            meta,
            write_835(remittance, control, at).as_bytes(),
        )
        .await?;
    }
    // the payer takes one payment back and pays it again, $5 less
    if let (Some(paid), Some(first)) = (reversal, by_payer.values().next()) {
        let negate = |c: &ClaimPayment| ClaimPayment {
            status_code: "22".into(),
            charge_cents: -c.charge_cents,
            paid_cents: -c.paid_cents,
            patient_share_cents: -c.patient_share_cents,
            adjustments: vec![],
            lines: c
                .lines
                .iter()
                .map(|l| ServicePayment {
                    charge_cents: -l.charge_cents,
                    paid_cents: -l.paid_cents,
                    adjustments: l
                        .adjustments
                        .iter()
                        .map(|a| Adjustment {
                            amount_cents: -a.amount_cents,
                            ..a.clone()
                        })
                        .collect(),
                    ..l.clone()
                })
                .collect(),
            ..c.clone()
        };
        let mut again = paid.clone();
        if let Some(line) = again.lines.first_mut() {
            line.paid_cents -= 500;
            line.adjustments.push(Adjustment {
                group: "CO".into(),
                reason: "253".into(),
                amount_cents: 500,
                quantity: None,
            });
        }
        again.paid_cents -= 500;
        let corrected = Remittance {
            trace_number: format!("{}R", first.trace_number),
            payment_cents: again.paid_cents - paid.paid_cents,
            payment_method: "NON".into(),
            claims: vec![negate(&paid), again],
            provider_adjustments: vec![],
            ..first.clone()
        };
        // the net is negative: the payer recoups it from a later payment (PLB), so this file sends nothing
        let mut corrected = corrected;
        let net = corrected.payment_cents;
        corrected.payment_cents = 0;
        corrected.provider_adjustments.push(ProviderAdjustment {
            reason: "FB".into(),
            reference: paid.patient_control_number.clone(),
            amount_cents: net,
        });
        remits::import_era(
            pool,
            biller,
            meta,
            write_835(&corrected, control + 1, at).as_bytes(),
        )
        .await?;
    }
    Ok(())
}

/// Clients pay: most copays and self-pay balances, some overpaying (credit on account), a few
/// written off for hardship; the rest stay owed and age.
async fn take_client_payments(pool: &PgPool, meta: &RequestMeta) -> Result<(), crate::AnyError> {
    let Some(desk) = user_by_email(pool, "frontdesk@demo.test", Role::FrontDesk).await? else {
        return Ok(());
    };
    let Some(biller) = biller(pool).await? else {
        return Ok(());
    };
    let owing = sqlx::query!(
        r#"SELECT client_id AS "client_id!: ClientId", sum(amount_cents)::bigint AS "owes!"
             FROM ledger_entries WHERE party = 'client' AND charge_id IS NOT NULL
            GROUP BY client_id HAVING sum(amount_cents) > 0 ORDER BY client_id"#
    )
    .fetch_all(pool)
    .await?;
    for (i, o) in owing.iter().enumerate() {
        let (method, amount) = match i % 6 {
            0 | 1 => ("card", o.owes),
            2 => ("cash", o.owes + 2000),
            3 => ("check", o.owes / 2),
            // the rest pay nothing yet; every sixth of them has part written off
            _ => ("cash", 0),
        };
        if amount > 0 {
            let input = PaymentInput {
                client: o.client_id.to_string(),
                method: method.into(),
                amount: format!("{}.{:02}", amount / 100, amount % 100),
                check_number: if method == "check" {
                    format!("{}", 1001 + i)
                } else {
                    String::new()
                },
                card_reference: if method == "card" {
                    format!("AUTH {:06}", 100_000 + i)
                } else {
                    String::new()
                },
                apply: Some("on".into()),
                ..PaymentInput::default()
            };
            ledger::take_payment(pool, &desk, meta, &input).await?;
        }
        if i % 6 == 4 {
            let charge = sqlx::query_scalar!(
                r#"SELECT charge_id AS "charge_id!: ChargeId" FROM ledger_entries
                    WHERE client_id = $1 AND party = 'client' AND charge_id IS NOT NULL
                    GROUP BY charge_id HAVING sum(amount_cents) > 0 ORDER BY charge_id LIMIT 1"#,
                o.client_id as ClientId
            )
            .fetch_optional(pool)
            .await?;
            if let Some(charge) = charge {
                let _ = ledger::change_balance(
                    pool,
                    &biller,
                    meta,
                    charge,
                    BalanceChange::WriteOff(Party::Client),
                    "10",
                    "Hardship: reduced fee agreed",
                )
                .await;
            }
        }
    }
    Ok(())
}

async fn user_by_email(
    pool: &PgPool,
    email: &str,
    role: Role,
) -> Result<Option<CurrentUser>, crate::AnyError> {
    let row = sqlx::query!(
        "SELECT id, email::text AS \"email!\", display_name FROM users WHERE email = $1",
        email
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| CurrentUser {
        id: UserId(r.id),
        email: r.email,
        display_name: r.display_name,
        role,
        session_id: SessionId(uuid::Uuid::nil()),
        must_change_password: false,
    }))
}
