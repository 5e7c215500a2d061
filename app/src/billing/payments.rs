//! Money in, as both sides see it: remittances and what they posted, client payments, and the
//! ledger every balance is computed from.

use crate::ids::{ChargeId, ClaimId, ClientId, EraClaimId, EraId, PaymentId};
use crate::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Whose share of a charge a ledger row moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Insurance,
    Client,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Insurance => "insurance",
            Party::Client => "client",
        }
    }

    pub fn parse(raw: &str) -> Result<Party, String> {
        match raw.trim() {
            "insurance" => Ok(Party::Insurance),
            "client" => Ok(Party::Client),
            _ => Err("Choose insurance or client.".into()),
        }
    }
}

/// What a ledger row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Charge,
    InsurancePayment,
    Contractual,
    InsuranceAdjustment,
    Transfer,
    ClientPayment,
    Allocation,
    Refund,
    WriteOff,
    Adjustment,
    Reversal,
}

impl EntryKind {
    pub const ALL: [EntryKind; 11] = [
        EntryKind::Charge,
        EntryKind::InsurancePayment,
        EntryKind::Contractual,
        EntryKind::InsuranceAdjustment,
        EntryKind::Transfer,
        EntryKind::ClientPayment,
        EntryKind::Allocation,
        EntryKind::Refund,
        EntryKind::WriteOff,
        EntryKind::Adjustment,
        EntryKind::Reversal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Charge => "charge",
            EntryKind::InsurancePayment => "insurance_payment",
            EntryKind::Contractual => "contractual",
            EntryKind::InsuranceAdjustment => "insurance_adjustment",
            EntryKind::Transfer => "transfer",
            EntryKind::ClientPayment => "client_payment",
            EntryKind::Allocation => "allocation",
            EntryKind::Refund => "refund",
            EntryKind::WriteOff => "write_off",
            EntryKind::Adjustment => "adjustment",
            EntryKind::Reversal => "reversal",
        }
    }

    pub fn parse(raw: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Charge => "Charge",
            EntryKind::InsurancePayment => "Insurance payment",
            EntryKind::Contractual => "Contractual adjustment",
            EntryKind::InsuranceAdjustment => "Insurance adjustment",
            EntryKind::Transfer => "Moved to client",
            EntryKind::ClientPayment => "Client payment",
            EntryKind::Allocation => "Payment applied",
            EntryKind::Refund => "Refund",
            EntryKind::WriteOff => "Write-off",
            EntryKind::Adjustment => "Adjustment",
            EntryKind::Reversal => "Reversal",
        }
    }
}

/// How a client paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Check,
    Card,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Check => "check",
            PaymentMethod::Card => "card",
        }
    }

    pub fn parse(raw: &str) -> Result<PaymentMethod, String> {
        match raw.trim() {
            "cash" => Ok(PaymentMethod::Cash),
            "check" => Ok(PaymentMethod::Check),
            "card" => Ok(PaymentMethod::Card),
            _ => Err("Choose cash, check or card.".into()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Check => "Check",
            PaymentMethod::Card => "Card",
        }
    }
}

/// A card is recorded by the terminal's reference or its last four digits, never its number:
/// anything with nine or more digits is refused.
pub fn parse_card_reference(raw: &str) -> Result<String, String> {
    let reference = raw.trim();
    if reference.is_empty() {
        return Err("Enter the card terminal's reference or the card's last four digits.".into());
    }
    if reference.chars().filter(char::is_ascii_digit).count() >= 9 {
        return Err(
            "Never record a card number: enter the terminal's reference or the last four digits."
                .into(),
        );
    }
    if reference.chars().count() > 40 {
        return Err("Keep the reference under 40 characters.".into());
    }
    Ok(reference.to_owned())
}

pub fn parse_check_number(raw: &str) -> Result<String, String> {
    let number = raw.trim();
    let fine = !number.is_empty()
        && number.len() <= 20
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if fine {
        Ok(number.to_owned())
    } else {
        Err("Enter the check number (letters, digits and dashes, up to 20).".into())
    }
}

/// A payment the front desk records, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    pub client: String,
    pub method: String,
    pub amount: String,
    pub check_number: String,
    pub card_reference: String,
    /// The session it is collected for (a copay at check-in); empty for none.
    pub appointment: String,
    pub note: String,
    /// Checked: apply it to the client's open charges, oldest first (else it stays as credit).
    pub apply: Option<String>,
}

/// A refund as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundInput {
    pub amount: String,
    pub method: String,
    pub check_number: String,
    pub reason: String,
}

/// A recorded payment or refund.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentTaken {
    pub id: PaymentId,
    pub receipt_number: i64,
    /// How much of it went onto charges at once; the rest is credit on the account.
    pub applied: Money,
}

/// One row of a client's ledger, with the balances after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The day it was posted, in the practice's time zone.
    pub posted_on: NaiveDate,
    pub kind: EntryKind,
    pub charge_id: Option<ChargeId>,
    pub service_date: Option<NaiveDate>,
    pub service_code: Option<String>,
    /// What the row says beyond its kind: the adjustment's reason, the payment's method.
    pub detail: String,
    /// The change to what the insurer owes, and to what the client owes (credit counts against it).
    pub insurance: Money,
    pub client: Money,
    pub insurance_balance: Money,
    pub client_balance: Money,
}

/// A charge with something still owed on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwedCharge {
    pub charge_id: ChargeId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub amount: Money,
    pub insurance_owes: Money,
    pub client_owes: Money,
    pub claim: Option<ClaimId>,
}

/// A payment or refund on the client's account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentSummary {
    pub id: PaymentId,
    pub receipt_number: i64,
    pub refund: bool,
    pub method: PaymentMethod,
    pub amount: Money,
    pub received_at: DateTime<Utc>,
    pub received_by: String,
}

/// A client's money: every posting in order, what is open, and the totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientLedger {
    pub client_id: ClientId,
    pub client_name: String,
    pub lines: Vec<LedgerLine>,
    pub open_charges: Vec<OwedCharge>,
    pub payments: Vec<PaymentSummary>,
    /// What insurers still owe.
    pub insurance_balance: Money,
    /// What the client owes on charges.
    pub client_owes: Money,
    /// Money the client has on account, not applied to any charge.
    pub credit: Money,
    /// The copay expected for today's sessions that is not yet collected.
    pub copay_due: Money,
}

impl ClientLedger {
    /// What the client owes after their credit is counted.
    pub fn client_balance(&self) -> Money {
        Money(self.client_owes.cents() - self.credit.cents())
    }
}

/// The answer to an 835 import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EraImported {
    pub era_id: EraId,
    /// The same remittance was imported before: nothing was posted now.
    pub duplicate: bool,
    pub claims_matched: i64,
    pub claims_unmatched: i64,
    pub lines_unmatched: i64,
    pub posted_cents: i64,
}

/// A remittance in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EraSummary {
    pub id: EraId,
    pub payer_name: String,
    pub trace_number: String,
    pub payment_method: String,
    pub payment_date: NaiveDate,
    pub payment: Money,
    pub claim_count: i64,
    pub unmatched_count: i64,
    /// What was posted to clients' charges (payments on matched lines).
    pub posted: Money,
    pub imported_at: DateTime<Utc>,
}

/// One adjustment of a claim or line, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdjustmentView {
    pub group: String,
    pub reason: String,
    /// `CO-45: The charge exceeds the contracted fee`.
    pub words: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EraLineView {
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub service_date: Option<NaiveDate>,
    pub charge: Money,
    pub paid: Money,
    pub units: i32,
    pub adjustments: Vec<AdjustmentView>,
    pub remarks: Vec<String>,
    pub unmatched_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EraClaimView {
    pub id: EraClaimId,
    pub patient_control_number: String,
    pub claim_id: Option<ClaimId>,
    pub client_id: Option<ClientId>,
    pub client_name: Option<String>,
    /// `Processed as primary`, `Denied`, `Reversal of an earlier payment` …
    pub status: String,
    pub denied: bool,
    pub charge: Money,
    pub paid: Money,
    pub client_share: Money,
    pub adjustments: Vec<AdjustmentView>,
    pub remarks: Vec<String>,
    pub lines: Vec<EraLineView>,
    pub unmatched_reason: Option<String>,
    pub reversed: bool,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderAdjustmentView {
    pub reason: String,
    pub reference: String,
    pub amount: Money,
}

/// A remittance as a person reads it: who paid what for which session, and why not the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EraDetail {
    pub summary: EraSummary,
    pub claims: Vec<EraClaimView>,
    pub provider_adjustments: Vec<ProviderAdjustmentView>,
}

/// A claim or line of a remittance that posted nothing, waiting for a biller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnmatchedItem {
    pub era_claim_id: EraClaimId,
    pub era_id: EraId,
    pub payer_name: String,
    pub payment_date: NaiveDate,
    pub patient_control_number: String,
    pub patient_name: Option<String>,
    pub paid: Money,
    pub reason: String,
}

/// The Payments page: remittances and the unmatched queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentsOverview {
    pub eras: Vec<EraSummary>,
    pub unmatched: Vec<UnmatchedItem>,
}

/// CLP02 in words.
pub fn claim_status_words(code: &str) -> &'static str {
    match code {
        "1" => "Processed as primary",
        "2" => "Processed as secondary",
        "3" => "Processed as tertiary",
        "4" => "Denied",
        "19" => "Processed as primary, forwarded to another payer",
        "20" => "Processed as secondary, forwarded to another payer",
        "21" => "Processed as tertiary, forwarded to another payer",
        "22" => "Reversal of an earlier payment",
        "23" => "Not our claim: forwarded to another payer",
        _ => "Processed",
    }
}

/// Greedy allocation: `credit` cents over `owed` (in the order given, oldest first), each charge
/// getting at most what it owes. Returns what each charge gets; the rest stays as credit.
pub fn allocate_oldest_first(credit: i64, owed: &[(ChargeId, i64)]) -> Vec<(ChargeId, i64)> {
    let mut left = credit.max(0);
    let mut out = Vec::new();
    for &(charge, owes) in owed {
        if left == 0 {
            break;
        }
        let take = owes.min(left);
        if take > 0 {
            out.push((charge, take));
            left -= take;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn card_numbers_are_refused_and_references_kept() {
        assert!(parse_card_reference("4111 1111 1111 1111").is_err());
        assert!(parse_card_reference("411111111").is_err());
        assert_eq!(parse_card_reference(" ****1111 ").unwrap(), "****1111");
        assert_eq!(
            parse_card_reference("AUTH 0042 / 1111").unwrap(),
            "AUTH 0042 / 1111"
        );
        assert!(parse_card_reference("  ").is_err());
    }

    #[test]
    fn oldest_charges_are_paid_first_and_never_past_what_they_owe() {
        let a = ChargeId(Uuid::from_u128(1));
        let b = ChargeId(Uuid::from_u128(2));
        let c = ChargeId(Uuid::from_u128(3));
        let owed = [(a, 2000), (b, 0), (c, 5000)];
        assert_eq!(
            allocate_oldest_first(3000, &owed),
            vec![(a, 2000), (c, 1000)]
        );
        assert_eq!(
            allocate_oldest_first(9000, &owed),
            vec![(a, 2000), (c, 5000)]
        );
        assert_eq!(allocate_oldest_first(0, &owed), vec![]);
        assert_eq!(allocate_oldest_first(-5, &owed), vec![]);
    }
}

/// The aging buckets, by days since the date of service.
pub const AGING_BUCKETS: [&str; 5] = ["0–30 days", "31–60", "61–90", "91–120", "Over 120"];

/// What one payer or client owes, by age.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgingRow {
    /// The payer's or the client's id (the list behind the row).
    pub id: uuid::Uuid,
    pub name: String,
    pub buckets: [Money; 5],
    pub total: Money,
}

/// Unbilled sessions (completed, no charge yet) by age.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnbilledAge {
    pub counts: [i64; 5],
}

/// Denied claims still open, by the payer's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenialReason {
    /// `CO-50: Not deemed medically necessary`.
    pub words: String,
    pub claims: i64,
    pub amount: Money,
}

/// One remittance's deposit against what it posted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub era_id: EraId,
    pub payer_name: String,
    pub trace_number: String,
    pub payment_date: NaiveDate,
    pub deposit: Money,
    /// Paid on claims that matched and posted.
    pub posted: Money,
    /// Paid on claims that did not match (waiting in the queue).
    pub unposted: Money,
    /// Provider-level adjustments (positive: withheld).
    pub withheld: Money,
}

impl Reconciliation {
    /// What the deposit leaves unexplained (zero for every file that balanced).
    pub fn difference(&self) -> Money {
        Money(
            self.deposit.cents()
                - (self.posted.cents() + self.unposted.cents() - self.withheld.cents()),
        )
    }
}

/// The biller's view of money owed and coming in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receivables {
    pub as_of: NaiveDate,
    pub by_payer: Vec<AgingRow>,
    pub payer_totals: [Money; 5],
    /// The clients who owe most (at most 200), and the totals over all of them.
    pub by_client: Vec<AgingRow>,
    pub client_totals: [Money; 5],
    pub clients_owing: i64,
    pub credit_on_accounts: Money,
    pub unbilled: UnbilledAge,
    pub denials: Vec<DenialReason>,
    pub insurance_paid_this_month: Money,
    pub client_paid_this_month: Money,
    pub reconciliation: Vec<Reconciliation>,
}
