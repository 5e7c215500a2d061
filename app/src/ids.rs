//! ID newtypes: a `UserId` can never be passed where a `SessionId` is meant.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_newtype {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// Query macros read ids as `Uuid`; the column decides which id it is.
        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                $name(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }
    )*};
}

id_newtype!(
    /// A staff member's login account.
    UserId,
    /// One signed-in browser or API client.
    SessionId,
    /// A client (patient) of the practice.
    ClientId,
    /// One diagnosis on a client's chart.
    DiagnosisId,
    /// A payer (insurance company) on the practice's list.
    PayerId,
    /// One insurance policy of a client.
    PolicyId,
    /// A prior authorization of visits under a policy.
    PriorAuthId,
    /// One of the practice's offices.
    LocationId,
    /// A room at a location.
    RoomId,
    /// A license a staff member holds.
    LicenseId,
    /// One weekly block of a staff member's working hours.
    WorkingHoursId,
    /// A kind of appointment the practice offers.
    AppointmentTypeId,
    /// One appointment on the calendar.
    AppointmentId,
    /// A clinical note (intake, progress, treatment plan, discharge, contact, cancellation).
    NoteId,
    /// A signed addendum to a signed note.
    AddendumId,
    /// A psychotherapy (process) note, apart from the record.
    ProcessNoteId,
    /// One administration of a scored measure (PHQ-9, GAD-7).
    MeasureId,
    /// An alert that needs a clinician's eyes (a PHQ-9 item 9 above zero).
    AlertId,
    /// A client waiting for a time on the waitlist.
    WaitlistEntryId,
    /// A contact person on a client's chart.
    ContactId,
    /// An alert flag on a client's chart.
    FlagId,
    /// One billed service of a client's session.
    ChargeId,
    /// A claim to a payer: one client, policy and rendering provider.
    ClaimId,
    /// One 837P submission (interchange) of claims to a payer.
    BatchId,
    /// A payer's contracted amount for a code over a period.
    PayerFeeId,
    /// One imported remittance advice (835 transaction set).
    EraId,
    /// One claim decision (CLP loop) of a remittance.
    EraClaimId,
    /// A client's payment or refund.
    PaymentId,
    /// One emergency access ("break the glass") to a chart outside the holder's caseload.
    EmergencyAccessId,
);
