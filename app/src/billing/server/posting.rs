//! What a remittance posts, worked out before anything is written: each CLP matched to our claim,
//! each SVC to our charge, and the ledger rows, claim statuses and reversals that follow. Pure, so
//! the import writes the whole plan in a few statements inside one transaction.

use super::claim_file::line_control_number;
use super::edi::remit::{Adjustment, ClaimPayment, Remittance, ServicePayment};
use crate::billing::reasons::adjustment_words;
use crate::billing::types::{ClaimStatus, EntryKind, Party};
use crate::ids::{ChargeId, ClaimId, ClientId, EraClaimId, PayerId};
use chrono::NaiveDate;
use std::collections::HashMap;
use uuid::Uuid;

/// One of our claims a CLP may name.
#[derive(Debug, Clone)]
pub struct ClaimMatch {
    pub id: ClaimId,
    pub claim_number: String,
    pub client_id: ClientId,
    pub status: ClaimStatus,
    pub submitted: bool,
    pub payer_id: PayerId,
    pub payer_name: String,
}

/// One line of such a claim, with what its insurer owes on it now.
#[derive(Debug, Clone)]
pub struct LineMatch {
    pub claim_id: ClaimId,
    pub charge_id: ChargeId,
    pub service_code: String,
    pub service_date: NaiveDate,
    pub amount_cents: i64,
    pub insurance_owes: i64,
}

/// The last posting of a claim that a reversal would undo, with its ledger rows.
#[derive(Debug, Clone)]
pub struct PriorPosting {
    pub era_claim_id: EraClaimId,
    pub paid_cents: i64,
    pub entries: Vec<PriorEntry>,
}

#[derive(Debug, Clone)]
pub struct PriorEntry {
    pub id: i64,
    pub client_id: ClientId,
    pub charge_id: Option<ChargeId>,
    pub party: Party,
    pub amount_cents: i64,
}

/// Everything the database knows that the plan needs.
pub struct Known<'a> {
    pub era_payer: Option<PayerId>,
    pub claims: &'a HashMap<String, ClaimMatch>,
    pub lines: &'a [LineMatch],
    pub priors: &'a HashMap<ClaimId, PriorPosting>,
}

#[derive(Debug, Clone)]
pub struct EraClaimRow {
    pub id: EraClaimId,
    pub position: i32,
    pub claim_id: Option<ClaimId>,
    pub unmatched_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EraLineRow {
    pub id: Uuid,
    pub era_claim_id: EraClaimId,
    pub position: i32,
    pub charge_id: Option<ChargeId>,
    pub unmatched_reason: Option<String>,
}

/// A ledger row to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub client_id: ClientId,
    pub charge_id: Option<ChargeId>,
    pub party: Party,
    pub kind: EntryKind,
    pub amount_cents: i64,
    pub era_claim_id: Option<EraClaimId>,
    pub era_line_id: Option<Uuid>,
    pub reversal_of: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub claim_id: ClaimId,
    pub from: ClaimStatus,
    pub to: ClaimStatus,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Plan {
    /// One per CLP, in file order (`claims[i]` is `remittance.claims[i]`).
    pub claims: Vec<EraClaimRow>,
    /// One per SVC: `lines[i]` holds the rows of `remittance.claims[i].lines`.
    pub lines: Vec<Vec<EraLineRow>>,
    pub entries: Vec<NewEntry>,
    pub statuses: Vec<StatusChange>,
    /// (the posting undone, the reversal that undid it)
    pub reversed: Vec<(EraClaimId, EraClaimId)>,
    /// Net insurance payments posted to charges, in cents.
    pub posted_cents: i64,
}

impl Plan {
    pub fn clients(&self) -> Vec<ClientId> {
        let mut ids: Vec<ClientId> = self.entries.iter().map(|e| e.client_id).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub fn claims_matched(&self) -> i64 {
        self.claims
            .iter()
            .filter(|c| c.unmatched_reason.is_none())
            .count() as i64
    }

    pub fn lines_unmatched(&self) -> i64 {
        self.lines
            .iter()
            .flatten()
            .filter(|l| l.unmatched_reason.is_some())
            .count() as i64
    }
}

fn dollars(cents: i64) -> String {
    crate::money::Money(cents).to_string()
}

/// Works out what `r` posts, given what the database holds.
pub fn plan(r: &Remittance, known: &Known) -> Plan {
    let mut plan = Plan::default();
    // what each charge's insurer owes as the plan goes (a file may reverse and re-post a claim)
    let mut owes: HashMap<ChargeId, i64> = known
        .lines
        .iter()
        .map(|l| (l.charge_id, l.insurance_owes))
        .collect();
    let mut reversed_here: Vec<EraClaimId> = Vec::new();
    let mut posted_here: Vec<ClaimId> = Vec::new();
    let mut status_now: HashMap<ClaimId, ClaimStatus> = HashMap::new();
    let mut lines_of: HashMap<ClaimId, Vec<&LineMatch>> = HashMap::new();
    for line in known.lines {
        lines_of.entry(line.claim_id).or_default().push(line);
    }
    for (i, clp) in r.claims.iter().enumerate() {
        let id = EraClaimId(Uuid::new_v4());
        let position = i as i32 + 1;
        let found = match_claim(clp, known);
        let claim = match found {
            Ok(c) => c,
            Err(reason) => {
                plan.claims.push(EraClaimRow {
                    id,
                    position,
                    claim_id: None,
                    unmatched_reason: Some(reason),
                });
                plan.lines
                    .push(unmatched_lines(id, clp, "its claim was not matched"));
                continue;
            }
        };
        let ours: &[&LineMatch] = lines_of.get(&claim.id).map_or(&[], Vec::as_slice);
        let outcome = if clp.is_reversal() {
            reverse(
                clp,
                claim,
                id,
                known,
                &mut reversed_here,
                &mut plan,
                &mut owes,
            )
        } else if let Some(reason) = already_paid(clp, claim, known, &reversed_here, &posted_here) {
            Err(reason)
        } else {
            let posted = post(clp, claim, id, ours, &mut plan, &mut owes);
            if posted.is_ok() {
                posted_here.push(claim.id);
            }
            posted
        };
        let (lines, unmatched) = match outcome {
            Ok(lines) => (lines, None),
            Err(reason) => (
                unmatched_lines(id, clp, "the claim posted nothing"),
                Some(reason),
            ),
        };
        if unmatched.is_none() {
            let now = status_now.get(&claim.id).copied().unwrap_or(claim.status);
            if let Some(change) = status_after(clp, claim.id, now, ours, &owes) {
                status_now.insert(claim.id, change.to);
                plan.statuses.push(change);
            }
        }
        plan.claims.push(EraClaimRow {
            id,
            position,
            claim_id: Some(claim.id),
            unmatched_reason: unmatched,
        });
        plan.lines.push(lines);
    }
    plan
}

/// A payment for a claim whose earlier payment stands: the payer must reverse that one first
/// (CLP02 22), else the claim would be paid twice.
fn already_paid(
    clp: &ClaimPayment,
    claim: &ClaimMatch,
    known: &Known,
    reversed_here: &[EraClaimId],
    posted_here: &[ClaimId],
) -> Option<String> {
    let earlier = known
        .priors
        .get(&claim.id)
        .is_some_and(|p| !p.entries.is_empty() && !reversed_here.contains(&p.era_claim_id));
    (earlier || posted_here.contains(&claim.id)).then(|| {
        format!(
            "Claim {} was paid by an earlier remittance: the payer must reverse that payment (CLP02 22) before paying it again.",
            clp.patient_control_number
        )
    })
}

fn match_claim<'a>(clp: &ClaimPayment, known: &'a Known) -> Result<&'a ClaimMatch, String> {
    let pcn = &clp.patient_control_number;
    let claim = known
        .claims
        .get(pcn)
        .ok_or_else(|| format!("No claim of ours is numbered {pcn}."))?;
    if !claim.submitted {
        return Err(format!("Claim {pcn} was never sent to a payer."));
    }
    if claim.status == ClaimStatus::Void {
        return Err(format!("Claim {pcn} is void."));
    }
    if known.era_payer.is_some_and(|p| p != claim.payer_id) {
        return Err(format!(
            "Claim {pcn} was sent to {}, not to this payer.",
            claim.payer_name
        ));
    }
    Ok(claim)
}

fn unmatched_lines(era_claim: EraClaimId, clp: &ClaimPayment, why: &str) -> Vec<EraLineRow> {
    (0..clp.lines.len())
        .map(|j| EraLineRow {
            id: Uuid::new_v4(),
            era_claim_id: era_claim,
            position: j as i32 + 1,
            charge_id: None,
            unmatched_reason: Some(format!("Not posted: {why}.")),
        })
        .collect()
}

/// The charge an SVC pays: by the line control number we sent, else the one line of the claim
/// with the same code, date and charge that no earlier SVC took.
fn match_line<'a>(
    svc: &ServicePayment,
    ours: &[&'a LineMatch],
    taken: &[ChargeId],
) -> Option<&'a LineMatch> {
    let free = |l: &&&LineMatch| !taken.contains(&l.charge_id);
    if let Some(control) = &svc.control_number {
        return ours
            .iter()
            .filter(free)
            .find(|l| line_control_number(l.charge_id).eq_ignore_ascii_case(control))
            .copied();
    }
    ours.iter()
        .filter(free)
        .find(|l| {
            l.service_code == svc.procedure_code
                && l.amount_cents == svc.charge_cents
                && svc.service_date.is_none_or(|d| d == l.service_date)
        })
        .copied()
}

struct Posting<'p> {
    plan: &'p mut Plan,
    owes: &'p mut HashMap<ChargeId, i64>,
    client: ClientId,
    era_claim: EraClaimId,
}

impl Posting<'_> {
    fn entry(
        &mut self,
        line: &LineMatch,
        era_line: Option<Uuid>,
        party: Party,
        kind: EntryKind,
        cents: i64,
        reason: Option<String>,
    ) {
        if cents == 0 {
            return;
        }
        if party == Party::Insurance {
            *self.owes.entry(line.charge_id).or_default() += cents;
        }
        if kind == EntryKind::InsurancePayment {
            self.plan.posted_cents -= cents;
        }
        self.plan.entries.push(NewEntry {
            client_id: self.client,
            charge_id: Some(line.charge_id),
            party,
            kind,
            amount_cents: cents,
            era_claim_id: Some(self.era_claim),
            era_line_id: era_line,
            reversal_of: None,
            reason,
        });
    }

    /// The payment and adjustments of one line. On a denied claim or an unpaid line only fee-schedule
    /// reductions and the client's share are posted: the rest of the insurer's balance stays open for
    /// an appeal or a decision by the biller.
    fn line(
        &mut self,
        line: &LineMatch,
        era_line: Option<Uuid>,
        paid: i64,
        adjustments: &[Adjustment],
        denied: bool,
    ) {
        self.entry(
            line,
            era_line,
            Party::Insurance,
            EntryKind::InsurancePayment,
            -paid,
            None,
        );
        for a in adjustments {
            let words = adjustment_words(&a.group, &a.reason);
            match a.group.as_str() {
                "PR" => {
                    self.entry(
                        line,
                        era_line,
                        Party::Insurance,
                        EntryKind::Transfer,
                        -a.amount_cents,
                        Some(words.clone()),
                    );
                    self.entry(
                        line,
                        era_line,
                        Party::Client,
                        EntryKind::Transfer,
                        a.amount_cents,
                        Some(words),
                    );
                }
                _ if denied && !is_fee_reduction(&a.reason) => {}
                "CO" => self.entry(
                    line,
                    era_line,
                    Party::Insurance,
                    EntryKind::Contractual,
                    -a.amount_cents,
                    Some(words),
                ),
                _ => self.entry(
                    line,
                    era_line,
                    Party::Insurance,
                    EntryKind::InsuranceAdjustment,
                    -a.amount_cents,
                    Some(words),
                ),
            }
        }
    }
}

/// Reasons that only say the payer pays less than billed (its fee schedule, a maximum, the federal
/// sequestration): written off even on a line the payer did not pay.
fn is_fee_reduction(reason: &str) -> bool {
    matches!(reason, "45" | "42" | "253")
}

fn post(
    clp: &ClaimPayment,
    claim: &ClaimMatch,
    era_claim: EraClaimId,
    ours: &[&LineMatch],
    plan: &mut Plan,
    owes: &mut HashMap<ChargeId, i64>,
) -> Result<Vec<EraLineRow>, String> {
    let pcn = &clp.patient_control_number;
    let denied = clp.is_denial();
    let mut rows = Vec::new();
    let mut taken: Vec<ChargeId> = Vec::new();
    let mut posting = Posting {
        plan,
        owes,
        client: claim.client_id,
        era_claim,
    };
    if clp.lines.is_empty() {
        // not itemised: only a one-line claim can take the claim's amounts
        let [only] = ours else {
            return Err(format!(
                "The payer did not itemise the lines of claim {pcn}: post it by hand."
            ));
        };
        posting.line(
            only,
            None,
            clp.paid_cents,
            &clp.adjustments,
            denied || clp.paid_cents == 0,
        );
        return Ok(rows);
    }
    for (j, svc) in clp.lines.iter().enumerate() {
        let row_id = Uuid::new_v4();
        let matched = match_line(svc, ours, &taken);
        if let Some(line) = matched {
            taken.push(line.charge_id);
            let unpaid = svc.paid_cents == 0;
            posting.line(
                line,
                Some(row_id),
                svc.paid_cents,
                &svc.adjustments,
                denied || unpaid,
            );
        }
        rows.push(EraLineRow {
            id: row_id,
            era_claim_id: era_claim,
            position: j as i32 + 1,
            charge_id: matched.map(|l| l.charge_id),
            unmatched_reason: matched.is_none().then(|| {
                let date = svc
                    .service_date
                    .map(|d| format!(" on {}", d.format("%-m/%-d/%Y")))
                    .unwrap_or_default();
                format!(
                    "Claim {pcn} has no line {}{date} for {} that this payment could be matched to.",
                    svc.procedure_code,
                    dollars(svc.charge_cents)
                )
            }),
        });
    }
    if rows.iter().all(|r| r.charge_id.is_none()) {
        return Err(format!(
            "No line of claim {pcn} matched a line we sent: nothing of it was posted."
        ));
    }
    // Claim-level adjustments land on the claim's first matched line. The lines' payments add up
    // to the claim's payment plus what these adjustments take back, so that much of the lines'
    // payments is taken back first: the claim posts exactly CLP04.
    if let Some(first) = rows.iter().find_map(|r| Some((r.charge_id?, r.id))) {
        if let Some(line) = ours.iter().find(|l| l.charge_id == first.0) {
            let taken_back: i64 = clp.adjustments.iter().map(|a| a.amount_cents).sum();
            posting.entry(
                line,
                Some(first.1),
                Party::Insurance,
                EntryKind::InsurancePayment,
                taken_back,
                Some("Taken back by a claim-level adjustment".into()),
            );
            posting.line(line, Some(first.1), 0, &clp.adjustments, denied);
        }
    }
    Ok(rows)
}

fn reverse(
    clp: &ClaimPayment,
    claim: &ClaimMatch,
    era_claim: EraClaimId,
    known: &Known,
    reversed_here: &mut Vec<EraClaimId>,
    plan: &mut Plan,
    owes: &mut HashMap<ChargeId, i64>,
) -> Result<Vec<EraLineRow>, String> {
    let pcn = &clp.patient_control_number;
    let prior = known
        .priors
        .get(&claim.id)
        .filter(|p| !reversed_here.contains(&p.era_claim_id))
        .ok_or_else(|| format!("Claim {pcn}: this reverses a payment that was never posted."))?;
    if prior.paid_cents != -clp.paid_cents {
        return Err(format!(
            "Claim {pcn}: the reversal ({}) does not match the payment it reverses ({}).",
            dollars(clp.paid_cents),
            dollars(prior.paid_cents)
        ));
    }
    reversed_here.push(prior.era_claim_id);
    plan.reversed.push((prior.era_claim_id, era_claim));
    for e in &prior.entries {
        if let (Party::Insurance, Some(charge)) = (e.party, e.charge_id) {
            *owes.entry(charge).or_default() -= e.amount_cents;
        }
        plan.entries.push(NewEntry {
            client_id: e.client_id,
            charge_id: e.charge_id,
            party: e.party,
            kind: EntryKind::Reversal,
            amount_cents: -e.amount_cents,
            era_claim_id: Some(era_claim),
            era_line_id: None,
            reversal_of: Some(e.id),
            reason: Some("The payer reversed this posting".into()),
        });
    }
    plan.posted_cents -= prior.paid_cents;
    Ok(clp
        .lines
        .iter()
        .enumerate()
        .map(|(j, _)| EraLineRow {
            id: Uuid::new_v4(),
            era_claim_id: era_claim,
            position: j as i32 + 1,
            charge_id: None,
            unmatched_reason: Some("A reversal line: the earlier posting was undone whole.".into()),
        })
        .collect())
}

fn status_after(
    clp: &ClaimPayment,
    claim: ClaimId,
    now: ClaimStatus,
    ours: &[&LineMatch],
    owes: &HashMap<ChargeId, i64>,
) -> Option<StatusChange> {
    let remaining: i64 = ours
        .iter()
        .map(|l| owes.get(&l.charge_id).copied().unwrap_or(0))
        .sum();
    let denial_words = || {
        clp.adjustments
            .iter()
            .chain(clp.lines.iter().flat_map(|l| &l.adjustments))
            .find(|a| a.group != "PR")
            .map(|a| adjustment_words(&a.group, &a.reason))
            .unwrap_or_else(|| "no reason given".into())
    };
    let (to, reason) = if clp.is_reversal() {
        (
            ClaimStatus::Accepted,
            "The payer reversed its payment".to_owned(),
        )
    } else if clp.is_denial() || (clp.paid_cents == 0 && remaining > 0) {
        (ClaimStatus::Denied, format!("Denied: {}", denial_words()))
    } else if remaining <= 0 {
        (
            ClaimStatus::Paid,
            format!("Paid {}", dollars(clp.paid_cents)),
        )
    } else {
        (
            ClaimStatus::PartiallyPaid,
            format!(
                "Paid {}; {} still open",
                dollars(clp.paid_cents),
                dollars(remaining)
            ),
        )
    };
    (to != now).then_some(StatusChange {
        claim_id: claim,
        from: now,
        to,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::server::edi::remit::Remittance;

    fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
        Adjustment {
            group: group.into(),
            reason: reason.into(),
            amount_cents: cents,
            quantity: None,
        }
    }

    fn svc(
        code: &str,
        charge: i64,
        paid: i64,
        adjustments: Vec<Adjustment>,
        control: ChargeId,
    ) -> ServicePayment {
        ServicePayment {
            procedure_code: code.into(),
            modifiers: vec![],
            charge_cents: charge,
            paid_cents: paid,
            units: 1,
            service_date: None,
            control_number: Some(line_control_number(control)),
            adjustments,
            remark_codes: vec![],
        }
    }

    /// A $150 session and a $20 screening on one claim: the session is paid, the screening denied.
    #[test]
    fn an_unpaid_line_keeps_its_balance_and_the_claim_is_partly_paid() {
        let claim = ClaimId(Uuid::from_u128(1));
        let client = ClientId(Uuid::from_u128(2));
        let (session, screening) = (ChargeId(Uuid::from_u128(3)), ChargeId(Uuid::from_u128(4)));
        let claims: HashMap<String, ClaimMatch> = [(
            "MS1".to_owned(),
            ClaimMatch {
                id: claim,
                claim_number: "MS1".into(),
                client_id: client,
                status: ClaimStatus::Submitted,
                submitted: true,
                payer_id: PayerId(Uuid::from_u128(5)),
                payer_name: "Acme".into(),
            },
        )]
        .into();
        let line = |charge, code: &str, amount| LineMatch {
            claim_id: claim,
            charge_id: charge,
            service_code: code.into(),
            service_date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
            amount_cents: amount,
            insurance_owes: amount,
        };
        let lines = [
            line(session, "90834", 15000),
            line(screening, "96127", 2000),
        ];
        let r = Remittance {
            trace_number: "T".into(),
            payer_identifier: "1".into(),
            payer_name: "Acme".into(),
            payer_code: None,
            payee_name: String::new(),
            payee_npi: String::new(),
            payment_cents: 10000,
            payment_method: "ACH".into(),
            payment_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            claims: vec![ClaimPayment {
                patient_control_number: "MS1".into(),
                status_code: "1".into(),
                charge_cents: 17000,
                paid_cents: 10000,
                patient_share_cents: 2500,
                payer_claim_number: String::new(),
                patient_name: String::new(),
                adjustments: vec![],
                remark_codes: vec![],
                lines: vec![
                    svc(
                        "90834",
                        15000,
                        10000,
                        vec![adj("CO", "45", 2500), adj("PR", "3", 2500)],
                        session,
                    ),
                    svc("96127", 2000, 0, vec![adj("CO", "97", 2000)], screening),
                ],
            }],
            provider_adjustments: vec![],
        };
        let priors = HashMap::new();
        let plan = plan(
            &r,
            &Known {
                era_payer: None,
                claims: &claims,
                lines: &lines,
                priors: &priors,
            },
        );
        let moves: Vec<(ChargeId, Party, EntryKind, i64)> = plan
            .entries
            .iter()
            .map(|e| {
                (
                    e.charge_id.unwrap_or(session),
                    e.party,
                    e.kind,
                    e.amount_cents,
                )
            })
            .collect();
        assert_eq!(
            moves,
            [
                (
                    session,
                    Party::Insurance,
                    EntryKind::InsurancePayment,
                    -10000
                ),
                (session, Party::Insurance, EntryKind::Contractual, -2500),
                (session, Party::Insurance, EntryKind::Transfer, -2500),
                (session, Party::Client, EntryKind::Transfer, 2500),
            ],
            "the bundled screening's $20 is not written off"
        );
        assert_eq!(plan.posted_cents, 10000);
        assert_eq!(plan.statuses.len(), 1);
        assert_eq!(plan.statuses[0].to, ClaimStatus::PartiallyPaid);
        assert_eq!(plan.statuses[0].reason, "Paid $100.00; $20.00 still open");
        assert_eq!(plan.lines_unmatched(), 0);
    }

    /// $150 and $50 lines paid $150 and $0 (CO-45), and a claim-level CO-45 of $50: the payer sent
    /// $100, and the insurer owes nothing on either line.
    #[test]
    fn a_claim_level_adjustment_takes_back_part_of_the_lines_payments() {
        let claim = ClaimId(Uuid::from_u128(11));
        let (one, two) = (ChargeId(Uuid::from_u128(13)), ChargeId(Uuid::from_u128(14)));
        let claims: HashMap<String, ClaimMatch> = [(
            "MS2".to_owned(),
            ClaimMatch {
                id: claim,
                claim_number: "MS2".into(),
                client_id: ClientId(Uuid::from_u128(12)),
                status: ClaimStatus::Accepted,
                submitted: true,
                payer_id: PayerId(Uuid::from_u128(15)),
                payer_name: "Acme".into(),
            },
        )]
        .into();
        let line = |charge, amount| LineMatch {
            claim_id: claim,
            charge_id: charge,
            service_code: "90834".into(),
            service_date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
            amount_cents: amount,
            insurance_owes: amount,
        };
        let lines = [line(one, 15000), line(two, 5000)];
        let r = Remittance {
            trace_number: "T2".into(),
            payer_identifier: "1".into(),
            payer_name: "Acme".into(),
            payer_code: None,
            payee_name: String::new(),
            payee_npi: String::new(),
            payment_cents: 10000,
            payment_method: "ACH".into(),
            payment_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            claims: vec![ClaimPayment {
                patient_control_number: "MS2".into(),
                status_code: "1".into(),
                charge_cents: 20000,
                paid_cents: 10000,
                patient_share_cents: 0,
                payer_claim_number: String::new(),
                patient_name: String::new(),
                adjustments: vec![adj("CO", "45", 5000)],
                remark_codes: vec![],
                lines: vec![
                    svc("90834", 15000, 15000, vec![], one),
                    svc("90834", 5000, 0, vec![adj("CO", "45", 5000)], two),
                ],
            }],
            provider_adjustments: vec![],
        };
        crate::billing::server::edi::remit::check_balance(&r).unwrap_or_else(|e| panic!("{e}"));
        let priors = HashMap::new();
        let plan = plan(
            &r,
            &Known {
                era_payer: None,
                claims: &claims,
                lines: &lines,
                priors: &priors,
            },
        );
        let owed = |charge| -> i64 {
            lines
                .iter()
                .find(|l| l.charge_id == charge)
                .map_or(0, |l| l.amount_cents)
                + plan
                    .entries
                    .iter()
                    .filter(|e| e.charge_id == Some(charge) && e.party == Party::Insurance)
                    .map(|e| e.amount_cents)
                    .sum::<i64>()
        };
        assert_eq!((owed(one), owed(two)), (0, 0));
        assert_eq!(plan.posted_cents, 10000, "exactly what the payer sent");
        assert_eq!(plan.statuses[0].to, ClaimStatus::Paid);
    }
}
