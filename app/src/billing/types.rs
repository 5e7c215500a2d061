//! Billing as both sides see it: service codes, sessions to bill, charges, claims and batches.

use crate::ids::{AppointmentId, BatchId, ChargeId, ClaimId, ClientId, NoteId, PayerId};
use crate::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use super::payments::*;

/// A CPT/HCPCS code the practice bills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceCode {
    pub code: String,
    pub description: String,
    /// Documented minutes a time-based code needs (`None`: not timed).
    pub min_minutes: Option<i32>,
    pub max_minutes: Option<i32>,
    /// Billed only beside a primary code (90785, 90840, 90833 …).
    pub add_on: bool,
    pub default_fee: Money,
    pub active: bool,
}

/// Why a completed session cannot be charged yet, in the biller's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    NoteMissing,
    NoteUnsigned,
    AwaitingCosign,
    NoActivePolicy,
    AuthorizationUsedUp,
    NoDiagnosis,
}

impl BlockReason {
    pub fn label(self) -> &'static str {
        match self {
            BlockReason::NoteMissing => "No progress note has been written for this session.",
            BlockReason::NoteUnsigned => "The progress note is not signed yet.",
            BlockReason::AwaitingCosign => "The note waits for the supervisor's co-signature.",
            BlockReason::NoActivePolicy => {
                "The client has no active insurance policy for this date and is not marked self-pay."
            }
            BlockReason::AuthorizationUsedUp => {
                "Every visit of the prior authorization for this date has been used."
            }
            BlockReason::NoDiagnosis => "The client has no current billable diagnosis.",
        }
    }

    /// Who must act before the session can be billed.
    pub fn who_acts(self) -> &'static str {
        match self {
            BlockReason::NoteMissing | BlockReason::NoteUnsigned => "The clinician",
            BlockReason::AwaitingCosign => "The supervisor",
            BlockReason::NoActivePolicy => {
                "The front desk (add the policy) or the biller (mark self-pay)"
            }
            BlockReason::AuthorizationUsedUp => "The front desk (record a new authorization)",
            BlockReason::NoDiagnosis => "The clinician (add a diagnosis)",
        }
    }
}

/// A completed session that has no charge yet: ready to bill, or blocked with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillableSession {
    pub appointment_id: AppointmentId,
    pub client_id: ClientId,
    pub client_name: String,
    pub clinician_name: String,
    pub service_date: NaiveDate,
    /// The session's length, as scheduled and completed.
    pub minutes: i32,
    pub telehealth: bool,
    pub note_id: Option<NoteId>,
    /// The payer billed, or `None` for a self-pay client.
    pub payer_name: Option<String>,
    pub self_pay: bool,
    /// The code the session's length (and its appointment type) suggests.
    pub suggested_code: Option<String>,
    pub blocked: Option<BlockReason>,
}

/// Where one of a clinician's sessions stands in billing. Clinicians see this for their own
/// sessions only, and never an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", content = "detail", rename_all = "snake_case")]
pub enum BillingStage {
    Blocked(BlockReason),
    /// Nothing stops it: the biller will charge it.
    Ready,
    /// Charged to the client, who pays it themselves.
    SelfPay,
    /// Charged to insurance, on no claim yet.
    Charged,
    Claim(ClaimStatus),
}

impl BillingStage {
    pub fn words(self) -> String {
        match self {
            BillingStage::Blocked(reason) => reason.label().to_owned(),
            BillingStage::Ready => "Ready: the biller will charge it.".into(),
            BillingStage::SelfPay => "Charged to the client (self-pay).".into(),
            BillingStage::Charged => "Charged: it goes on the next claim.".into(),
            BillingStage::Claim(ClaimStatus::Void) => "Voided at the payer.".into(),
            BillingStage::Claim(status) => format!("Claim {}.", status.label().to_lowercase()),
        }
    }

    /// The session waits on the clinician who held it (or on their supervisor's co-signature).
    pub fn waits_on_clinician(self) -> bool {
        matches!(
            self,
            BillingStage::Blocked(
                BlockReason::NoteMissing
                    | BlockReason::NoteUnsigned
                    | BlockReason::NoDiagnosis
                    | BlockReason::AwaitingCosign
            )
        )
    }
}

/// One of the signed-in clinician's completed sessions and where it stands in billing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionBilling {
    pub appointment_id: AppointmentId,
    pub client_id: ClientId,
    pub client_name: String,
    pub service_date: NaiveDate,
    /// The codes charged (none yet while it is not charged).
    pub codes: Vec<String>,
    /// The session's note, while it is what stops billing.
    pub note_id: Option<NoteId>,
    pub stage: BillingStage,
}

/// The biller's queue: sessions ready to charge and those still blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkQueue {
    pub ready: Vec<BillableSession>,
    pub blocked: Vec<BillableSession>,
    pub codes: Vec<ServiceCode>,
}

/// The charge form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChargeInput {
    pub appointment_id: String,
    pub client_id: String,
    pub service_code: String,
    /// Comma- or space-separated: `95, HO`.
    pub modifiers: String,
    pub units: String,
}

/// A charge as the biller and the front desk see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeSummary {
    pub id: ChargeId,
    pub client_id: ClientId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub modifiers: Vec<String>,
    pub units: i32,
    pub amount: Money,
    pub client_share: Money,
    pub payer_name: Option<String>,
    /// The claim it is on, with that claim's status.
    pub claim: Option<(ClaimId, ClaimStatus)>,
    /// Set when the documented minutes do not support the code.
    pub time_warning: Option<String>,
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Draft,
    Ready,
    Submitted,
    Accepted,
    Rejected,
    Paid,
    PartiallyPaid,
    Denied,
    Appealed,
    Closed,
    Void,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 11] = [
        ClaimStatus::Draft,
        ClaimStatus::Ready,
        ClaimStatus::Submitted,
        ClaimStatus::Accepted,
        ClaimStatus::Rejected,
        ClaimStatus::Paid,
        ClaimStatus::PartiallyPaid,
        ClaimStatus::Denied,
        ClaimStatus::Appealed,
        ClaimStatus::Closed,
        ClaimStatus::Void,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Ready => "ready",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::Accepted => "accepted",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Paid => "paid",
            ClaimStatus::PartiallyPaid => "partially_paid",
            ClaimStatus::Denied => "denied",
            ClaimStatus::Appealed => "appealed",
            ClaimStatus::Closed => "closed",
            ClaimStatus::Void => "void",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "Draft",
            ClaimStatus::Ready => "Ready",
            ClaimStatus::Submitted => "Submitted",
            ClaimStatus::Accepted => "Accepted",
            ClaimStatus::Rejected => "Rejected",
            ClaimStatus::Paid => "Paid",
            ClaimStatus::PartiallyPaid => "Partially paid",
            ClaimStatus::Denied => "Denied",
            ClaimStatus::Appealed => "Appealed",
            ClaimStatus::Closed => "Closed",
            ClaimStatus::Void => "Void",
        }
    }

    pub fn parse(raw: &str) -> Result<ClaimStatus, String> {
        ClaimStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| "Choose one of the listed statuses.".to_owned())
    }

    /// The changes a person may make by hand (submission and acknowledgements move the rest).
    pub fn may_become(self, next: ClaimStatus) -> bool {
        use ClaimStatus::*;
        matches!(
            (self, next),
            (Draft, Ready)
                | (Ready, Draft)
                | (Draft | Ready, Void)
                | (Submitted, Accepted | Rejected)
                | (Accepted, Paid | PartiallyPaid | Denied | Rejected)
                | (Rejected, Draft)
                | (Denied, Appealed | Closed)
                | (Appealed, Paid | PartiallyPaid | Denied)
                | (PartiallyPaid, Appealed)
                | (Paid | PartiallyPaid, Closed)
        )
    }
}

/// A claim in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub id: ClaimId,
    pub claim_number: String,
    pub status: ClaimStatus,
    pub payer_id: PayerId,
    pub payer_name: String,
    pub client_id: ClientId,
    pub client_name: String,
    pub first_service_date: NaiveDate,
    pub last_service_date: NaiveDate,
    /// The sum of its lines, in cents.
    pub total_cents: i64,
    pub line_count: i64,
}

/// One line of a claim, with the diagnoses it points at (1-based, into the claim's list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimLineView {
    pub line_number: i32,
    pub charge_id: ChargeId,
    pub service_date: NaiveDate,
    pub service_code: String,
    pub modifiers: Vec<String>,
    pub units: i32,
    pub amount: Money,
    pub place_of_service: String,
    pub pointers: Vec<usize>,
}

/// Something that stops a claim from going out, said so a biller can act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimProblem {
    pub message: String,
    /// Where it is fixed: a page of the app.
    pub fix_at: Option<String>,
}

/// One status change of a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimHistoryEntry {
    pub from_status: Option<ClaimStatus>,
    pub to_status: ClaimStatus,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// A claim's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDetail {
    pub summary: ClaimSummary,
    pub frequency: String,
    /// The claim this one corrects or voids (ours, and the payer's number for it).
    pub replaces: Option<(ClaimId, String)>,
    /// The live claim that corrects or voids this one.
    pub replaced_by: Option<(ClaimId, String)>,
    /// The payer's own number for this claim, from its latest remittance.
    pub payer_claim_number: Option<String>,
    pub rendering_provider: String,
    pub member_id: String,
    pub diagnoses: Vec<String>,
    pub lines: Vec<ClaimLineView>,
    pub problems: Vec<ClaimProblem>,
    pub history: Vec<ClaimHistoryEntry>,
    pub batch_id: Option<BatchId>,
}

/// Filters of the claims list (empty: all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimFilter {
    pub status: Option<ClaimStatus>,
    pub payer_id: Option<PayerId>,
}

/// A payer's claims that are ready to go out in a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadyForBatch {
    pub payer_id: PayerId,
    pub payer_name: String,
    pub claims: i64,
    pub total_cents: i64,
}

/// Where a batch stands: sent, then accepted or rejected by the receiver's acknowledgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    Submitted,
    Accepted,
    Rejected,
}

impl BatchStatus {
    pub fn label(self) -> &'static str {
        match self {
            BatchStatus::Submitted => "Submitted",
            BatchStatus::Accepted => "Accepted",
            BatchStatus::Rejected => "Rejected",
        }
    }
}

/// A submitted 837P file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: BatchId,
    pub payer_name: String,
    pub control_number: i32,
    pub claim_count: i32,
    pub total_cents: i64,
    pub status: BatchStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// When the receiver's 999 came in, and what it found wrong.
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub ack_errors: Vec<String>,
}

/// What one 999 said of one batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckOutcome {
    pub batch_id: BatchId,
    pub control_number: i32,
    pub accepted: bool,
    /// The batch had this answer already: nothing changed now.
    pub duplicate: bool,
    /// Claims moved from submitted to accepted or rejected.
    pub claims_changed: usize,
    pub errors: Vec<String>,
}

/// The answer to a 999 import: one outcome per batch it acknowledges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckImported {
    pub batches: Vec<AckOutcome>,
}

/// A claim sent again in place of one the payer has answered (837P frequency 7), or a request to
/// cancel it (frequency 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    Replace,
    Void,
}

impl Correction {
    /// CLM05-3.
    pub fn frequency(self) -> &'static str {
        match self {
            Correction::Replace => "7",
            Correction::Void => "8",
        }
    }
}

/// The batches page: what can go out, and what went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchesOverview {
    pub ready: Vec<ReadyForBatch>,
    pub batches: Vec<BatchSummary>,
}

/// What building claims from the open charges made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsBuilt {
    pub claims: usize,
    pub lines: usize,
}

/// A payer's contracted amount for a code over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerFee {
    pub id: crate::ids::PayerFeeId,
    pub payer_name: String,
    pub code: String,
    pub amount: Money,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

/// An appointment type and the code its sessions are billed with by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeCode {
    pub id: crate::ids::AppointmentTypeId,
    pub name: String,
    pub default_minutes: i32,
    pub service_code: Option<String>,
}

/// The fee schedule page: codes with the practice's fees, payers' contracted amounts and claim
/// rules, and the appointment types' default codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeSchedule {
    pub codes: Vec<ServiceCode>,
    pub payer_fees: Vec<PayerFee>,
    pub types: Vec<TypeCode>,
    /// The active payers, each with how it wants its claims.
    pub payer_rules: Vec<PayerRules>,
}

/// SBR09: the kind of plan a payer's claims are filed under; it also ticks box 1 of the CMS-1500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilingIndicator {
    Commercial,
    BlueCrossBlueShield,
    Hmo,
    Ppo,
    Pos,
    Epo,
    MedicareAdvantage,
    MedicarePartB,
    Medicaid,
    Tricare,
    Champva,
    OtherFederal,
    WorkersCompensation,
}

impl FilingIndicator {
    pub const ALL: [FilingIndicator; 13] = [
        FilingIndicator::Commercial,
        FilingIndicator::BlueCrossBlueShield,
        FilingIndicator::Hmo,
        FilingIndicator::Ppo,
        FilingIndicator::Pos,
        FilingIndicator::Epo,
        FilingIndicator::MedicareAdvantage,
        FilingIndicator::MedicarePartB,
        FilingIndicator::Medicaid,
        FilingIndicator::Tricare,
        FilingIndicator::Champva,
        FilingIndicator::OtherFederal,
        FilingIndicator::WorkersCompensation,
    ];

    /// The X12 code (SBR09).
    pub fn code(self) -> &'static str {
        use FilingIndicator::*;
        match self {
            Commercial => "CI",
            BlueCrossBlueShield => "BL",
            Hmo => "HM",
            Ppo => "12",
            Pos => "13",
            Epo => "14",
            MedicareAdvantage => "16",
            MedicarePartB => "MB",
            Medicaid => "MC",
            Tricare => "CH",
            Champva => "VA",
            OtherFederal => "OF",
            WorkersCompensation => "WC",
        }
    }

    pub fn label(self) -> &'static str {
        use FilingIndicator::*;
        match self {
            Commercial => "Commercial insurance",
            BlueCrossBlueShield => "Blue Cross / Blue Shield",
            Hmo => "HMO",
            Ppo => "PPO",
            Pos => "Point of service (POS)",
            Epo => "Exclusive provider (EPO)",
            MedicareAdvantage => "Medicare Advantage (HMO)",
            MedicarePartB => "Medicare Part B",
            Medicaid => "Medicaid",
            Tricare => "TRICARE",
            Champva => "CHAMPVA (VA)",
            OtherFederal => "Other federal program",
            WorkersCompensation => "Workers' compensation",
        }
    }

    pub fn parse(code: &str) -> Result<FilingIndicator, String> {
        FilingIndicator::ALL
            .into_iter()
            .find(|f| f.code() == code.trim())
            .ok_or_else(|| "Choose the kind of plan from the list.".to_owned())
    }

    /// Box 1 of the CMS-1500: the program the form is for.
    pub fn form_program(self) -> &'static str {
        use FilingIndicator::*;
        match self {
            MedicarePartB => "MEDICARE",
            Medicaid => "MEDICAID",
            Tricare => "TRICARE",
            Champva => "CHAMPVA",
            OtherFederal | WorkersCompensation => "OTHER",
            _ => "GROUP HEALTH PLAN",
        }
    }
}

/// How a payer wants its claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayerRules {
    pub payer_id: PayerId,
    pub name: String,
    pub filing_indicator: FilingIndicator,
    /// An intern's sessions are billed under the supervising clinician's NPI.
    pub supervisor_renders_for_interns: bool,
}

/// A new service code as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceCodeInput {
    pub code: String,
    pub description: String,
    pub default_fee: String,
    pub add_on: Option<String>,
}

/// A payer's contracted amount as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayerFeeInput {
    pub payer_id: String,
    pub code: String,
    pub amount: String,
    pub effective_from: String,
    pub effective_to: String,
}

/// A CPT code: four digits and a digit or letter (90834, 0591T).
pub fn parse_service_code(raw: &str) -> Result<String, String> {
    let v = raw.trim().to_ascii_uppercase();
    let cpt = v.len() == 5
        && v.is_ascii()
        && v[..4].chars().all(|c| c.is_ascii_digit())
        && v[4..].chars().all(|c| c.is_ascii_alphanumeric());
    if cpt {
        Ok(v)
    } else {
        Err("A service code is five characters, like 90834.".into())
    }
}
