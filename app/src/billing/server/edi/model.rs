//! What an 837P says, as plain data: the service fills it from the database, the writer turns it
//! into segments, and claim validation reads the same values.

use chrono::{NaiveDate, NaiveDateTime};

/// One interchange (ISA…IEA) to one receiver.
#[derive(Debug, Clone, PartialEq)]
pub struct Interchange {
    /// ISA13, GS06 and BHT03: unique and increasing per batch.
    pub control_number: i32,
    pub created_at: NaiveDateTime,
    /// `P` (production) or `T` (test) in ISA15.
    pub production: bool,
    pub billing: BillingProvider,
    pub receiver: Receiver,
    pub claims: Vec<ClaimOut>,
}

/// The practice: submitter (1000A) and billing provider (2010AA).
#[derive(Debug, Clone, PartialEq)]
pub struct BillingProvider {
    pub name: String,
    pub npi: String,
    /// `12-3456789` or nine digits.
    pub tax_id: String,
    pub taxonomy: String,
    pub address: Address,
    /// Ten digits, for PER04.
    pub phone: String,
    pub submitter_id: String,
}

/// The payer (or its clearinghouse) receiving the file (1000B, ISA08).
#[derive(Debug, Clone, PartialEq)]
pub struct Receiver {
    pub name: String,
    pub payer_code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: String,
    /// `12345` or `12345-6789`.
    pub zip: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
    Unknown,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Unknown => "U",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub last_name: String,
    pub first_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub address: Option<Address>,
}

/// The patient's relationship to the subscriber (SBR02 / PAT01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// The patient is the subscriber.
    Own,
    Spouse,
    Child,
    Other,
}

impl Relationship {
    pub fn parse(stored: &str) -> Option<Relationship> {
        Some(match stored {
            "self" => Relationship::Own,
            "spouse" => Relationship::Spouse,
            "child" => Relationship::Child,
            "other" => Relationship::Other,
            _ => return None,
        })
    }

    pub fn pat_code(self) -> &'static str {
        match self {
            Relationship::Own => "18",
            Relationship::Spouse => "01",
            Relationship::Child => "19",
            Relationship::Other => "G8",
        }
    }
}

/// The rendering provider when it is not the billing provider (2310B).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderingProvider {
    pub last_name: String,
    pub first_name: String,
    pub npi: String,
    pub taxonomy: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimOut {
    /// CLM01, the patient control number the 835 echoes.
    pub claim_number: String,
    /// CLM05-3: 1 original, 7 replacement, 8 void.
    pub frequency: String,
    /// REF*F8 of a replacement or void: the payer's claim control number for the original.
    pub original_claim_number: Option<String>,
    pub relationship: Relationship,
    pub subscriber: Person,
    pub member_id: String,
    pub group_number: Option<String>,
    /// The client (used when not the subscriber).
    pub patient: Person,
    pub payer_name: String,
    pub payer_code: String,
    /// SBR09: the kind of plan (CI commercial, MB Medicare Part B, MC Medicaid …).
    pub filing_indicator: String,
    pub place_of_service: String,
    /// ICD-10-CM codes, primary first (HI: ABK then ABF), at most 12.
    pub diagnoses: Vec<String>,
    pub prior_auth: Option<String>,
    pub rendering: Option<RenderingProvider>,
    pub lines: Vec<LineOut>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineOut {
    pub code: String,
    pub modifiers: Vec<String>,
    pub amount_cents: i64,
    pub units: i32,
    /// 1-based positions in the claim's diagnoses, at most four.
    pub pointers: Vec<usize>,
    pub service_date: NaiveDate,
    pub place_of_service: String,
    /// REF*6R, echoed back on the remittance (at most 50 characters).
    pub control_number: String,
}
