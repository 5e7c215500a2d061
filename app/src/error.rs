//! The one error type of the application, shared by services, server functions and the UI.
//!
//! On the wire it is a small JSON object — `{"error": "validation", "message": "...", "fields": {...}}` —
//! so API clients get a stable kind, a human sentence and per-field messages. Nothing in it ever carries
//! SQL, stack traces or PHI.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Messages per input field, keyed by the field's form name.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "WireError", from = "WireError")]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("That record was not found.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Validation { fields: FieldErrors },
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Please wait a minute and try again.")]
    RateLimited,
    /// A request the server could not read at all (malformed body, wrong types).
    #[error("The request could not be understood: {0}")]
    BadRequest(String),
    /// A request over its route's size limit (body, address or headers): the sentence says the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Releasing records or changing security settings, with the last proof of identity in this
    /// session older than a few minutes: the person confirms again, then retries.
    #[error(
        "For this, confirm it is you: enter your password again (and a code from your app if you \
use two-step sign-in)."
    )]
    StepUpRequired,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The server is up but cannot serve now: every database connection is busy, or the database
    /// cannot be reached. Answered at once (with Retry-After) rather than left hanging.
    #[error("The system is busy or briefly unavailable. Please try again in a few seconds.")]
    Unavailable,
    /// Only produced in the browser: the server could not be reached.
    #[error("The server could not be reached. Check your connection and try again.")]
    Network,
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![message.into()]);
        AppError::Validation { fields }
    }

    /// A validation error with these (field, message) problems.
    pub fn fields<F: AsRef<str>, M: Into<String>>(
        problems: impl IntoIterator<Item = (F, M)>,
    ) -> Self {
        let mut fields = FieldErrors::new();
        for (field, message) in problems {
            fields
                .entry(field.as_ref().to_owned())
                .or_default()
                .push(message.into());
        }
        AppError::Validation { fields }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::BadRequest(_) => 400,
            AppError::TooLarge(_) => 413,
            AppError::StepUpRequired => 403,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
            AppError::Network => 503,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Validation { .. } => "validation",
            AppError::Conflict(_) => "conflict",
            AppError::RateLimited => "rate_limited",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge(_) => "too_large",
            AppError::StepUpRequired => "step_up_required",
            AppError::Internal => "internal",
            AppError::Unavailable => "unavailable",
            AppError::Network => "network",
        }
    }

    /// The messages for one field, if this is a validation error that names it.
    pub fn field_messages(&self, field: &str) -> Option<&[String]> {
        match self {
            AppError::Validation { fields } => fields.get(field).map(Vec::as_slice),
            _ => None,
        }
    }
}

/// The JSON shape of an [`AppError`].
#[derive(Serialize, Deserialize)]
struct WireError {
    error: String,
    message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    fields: FieldErrors,
}

impl From<AppError> for WireError {
    fn from(e: AppError) -> Self {
        let message = e.to_string();
        let error = e.kind().to_owned();
        let fields = match e {
            AppError::Validation { fields } => fields,
            _ => FieldErrors::new(),
        };
        WireError {
            error,
            message,
            fields,
        }
    }
}

impl From<WireError> for AppError {
    fn from(w: WireError) -> Self {
        match w.error.as_str() {
            "unauthenticated" => AppError::Unauthenticated,
            "forbidden" => AppError::Forbidden,
            "not_found" => AppError::NotFound,
            "validation" => AppError::Validation { fields: w.fields },
            "conflict" => AppError::Conflict(w.message),
            "rate_limited" => AppError::RateLimited,
            "bad_request" => AppError::BadRequest(
                w.message
                    .trim_start_matches("The request could not be understood: ")
                    .to_owned(),
            ),
            "too_large" => AppError::TooLarge(w.message),
            "step_up_required" => AppError::StepUpRequired,
            "network" => AppError::Network,
            "unavailable" => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::MissingArg(field) => AppError::field(&field, "This field is required."),
            E::Args(detail) => match missing_field(&detail) {
                Some(field) => AppError::field(field, "This field is required."),
                None => AppError::BadRequest(detail),
            },
            E::Request(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

/// The field serde names in "missing field `email`", so a form that omits a field hears which.
fn missing_field(detail: &str) -> Option<&str> {
    let rest = &detail[detail.find("missing field `")? + "missing field `".len()..];
    rest.split('`').next().filter(|f| !f.is_empty())
}

#[cfg(feature = "ssr")]
fn tracing_error(what: &str) {
    tracing::error!("{what}");
}
#[cfg(not(feature = "ssr"))]
fn tracing_error(_: &str) {}

/// Builds a [`AppError::Validation`] from several checks, so a form reports every bad field at once.
#[derive(Debug, Default)]
pub struct Validator {
    fields: FieldErrors,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Keeps the parsed value, or records the message under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Ends the checks: every problem at once, or what `build` makes of the checked values. Once no
    /// check failed each of them is `Some`, so `build` takes them out with `?` (no panics).
    pub fn finish_with<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, AppError> {
        self.finish()?;
        build().ok_or_else(|| {
            tracing_error("a check passed without its value");
            AppError::Internal
        })
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation {
                fields: self.fields,
            })
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    /// A sentence for each named constraint a person can run into.
    fn constraint_error(constraint: &str) -> Option<AppError> {
        Some(match constraint {
            "users_email_key" => AppError::field("email", "A user with this email already exists."),
            "client_diagnoses_one_primary" => AppError::field(
                "kind",
                "This client already has a current primary diagnosis: resolve it first, or add this one as secondary.",
            ),
            "client_diagnoses_code_once" => AppError::field("code", "This diagnosis is already on the chart."),
            "client_contacts_client_id_fkey" | "insurance_policies_client_id_fkey" => AppError::NotFound,
            "insurance_policies_one_per_priority" => AppError::field(
                "priority",
                "This client already has an active policy of this priority: end it first, or choose the other priority.",
            ),
            "prior_authorizations_number_once" => AppError::field(
                "auth_number",
                "This authorization number is already recorded on the policy.",
            ),
            "locations_name_key" => AppError::field("name", "A location with this name already exists."),
            "rooms_name_per_location" => AppError::field("room_name", "This location already has a room of that name."),
            "staff_profiles_npi_key" => AppError::field("npi", "Another staff member has this NPI."),
            "staff_licenses_once" => AppError::field("license_number", "This license is already recorded."),
            "staff_working_hours_no_overlap" => AppError::field(
                "starts_at",
                "These hours overlap hours already set for that day.",
            ),
            "waitlist_one_open_per_client" => AppError::field(
                "client_id",
                "This client is already on the waitlist: withdraw that entry to change it.",
            ),
            "waitlist_entries_client_id_fkey" => AppError::field("client_id", "Choose the client from the list."),
            "clinical_notes_locked" => AppError::Conflict(
                "This note is signed and locked: add an addendum instead.".into(),
            ),
            "note_addenda_signed_note" => AppError::Conflict("An addendum is added to a signed note.".into()),
            "charges_signed_note" => AppError::Conflict(
                "A charge needs a completed session documented by a signed (and, where required, co-signed) note of that client.".into(),
            ),
            "charges_billable_diagnoses" => AppError::Conflict(
                "A charge names only billable ICD-10-CM codes: a clinician must make the diagnosis more specific.".into(),
            ),
            "charges_once_per_code" => AppError::Conflict("This session is already charged with this code.".into()),
            "prior_authorizations_visits_left" => AppError::Conflict(
                "Every visit of the prior authorization has been used: record a new authorization before billing this session.".into(),
            ),
            "service_codes_pkey" => AppError::field("code", "This code is already on the list."),
            "payer_fees_code_fkey" | "appointment_types_service_code_fkey" => AppError::field(
                "code",
                "Add this code to the practice's codes first.",
            ),
            "payer_fees_payer_id_fkey" => AppError::field("payer_id", "Choose a payer from the list."),
            "claim_lines_charge_once" => AppError::Conflict("This charge is already on another claim.".into()),
            "claim_batches_file_fixed" => AppError::Conflict("A submitted batch file never changes.".into()),
            "eras_once" => AppError::Conflict("This remittance was imported already: nothing was posted again.".into()),
            "ledger_entries_fixed" => AppError::Conflict("A ledger entry never changes: post a correction instead.".into()),
            "ledger_client_share_not_negative" => AppError::Conflict(
                "That would apply more to a charge than the client owes on it (perhaps someone else just applied a payment): reload and try again.".into(),
            ),
            "ledger_credit_not_negative" => AppError::Conflict(
                "That would take more off the account than the credit it holds (perhaps someone else just used it): reload and try again.".into(),
            ),
            "charges_amount_fixed" => AppError::Conflict("A posted charge never changes: write it off, adjust it, or send a corrected claim instead.".into()),
            "claims_one_live_correction" => AppError::Conflict(
                "This claim already has a correction: correct or void that one instead.".into(),
            ),
            "claims_correction_quotes_payer_number" => AppError::Conflict(
                "A corrected or void claim quotes the payer's claim number for the original.".into(),
            ),
            "claim_batches_settled_once" | "batch_acknowledgements_batch_id_key" => AppError::Conflict(
                "This batch has been acknowledged already: its answer stands.".into(),
            ),
            "client_payments_no_card_number" => AppError::field(
                "card_reference",
                "Never record a card number: enter the terminal's reference or the last four digits.",
            ),
            "payer_fees_no_overlap" => AppError::field(
                "effective_from",
                "This payer already has an amount for this code on these dates: end it first.",
            ),
            "emergency_access_holder_role" => AppError::Conflict(
                "Emergency access is for active clinicians and supervisors only.".into(),
            ),
            "emergency_access_kept" => AppError::Conflict(
                "An emergency access record is kept as it was: only its review is added, once.".into(),
            ),
            "emergency_access_review_after_end" => AppError::Conflict(
                "This emergency access is still open: review it once it has ended.".into(),
            ),
            "emergency_access_not_self_reviewed" | "emergency_access_reviewer_role" => AppError::Conflict(
                "Emergency access is reviewed by an administrator other than the person who used it.".into(),
            ),
            "payers_payer_code_key" => AppError::field("payer_code", "A payer with this payer id is already on the list."),
            _ => return None,
        })
    }

    /// SQLSTATEs of a database that is going away or cannot take the work now: shutting down or
    /// starting (57P01, 57P03), out of connections (53300), a connection failure (class 08), or a
    /// lock that timed out (55P03). Trying again shortly is the right answer to each.
    fn is_outage(code: &str) -> bool {
        matches!(code, "57P01" | "57P03" | "53300" | "55P03") || code.starts_with("08")
    }

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            match &e {
                sqlx::Error::RowNotFound => return AppError::NotFound,
                // no connection free within the pool's acquire timeout (an unreachable database
                // ends there too), or none to be had
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                    tracing::warn!(error = %e, "database unavailable");
                    crate::telemetry::db_error("unavailable");
                    return AppError::Unavailable;
                }
                _ => {}
            }
            if let Some(code) = e.as_database_error().and_then(|db| db.code()) {
                if is_outage(&code) {
                    tracing::warn!(error = %e, "database unavailable");
                    crate::telemetry::db_error("unavailable");
                    return AppError::Unavailable;
                }
            }
            if let Some(db) = e.as_database_error() {
                if let Some(mapped) = db.constraint().and_then(constraint_error) {
                    return mapped;
                }
            }
            tracing::error!(error = %e, "database error");
            crate::telemetry::db_error("internal");
            AppError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json_with_a_message() {
        let e = AppError::field("email", "Enter an email address.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"], "validation");
        assert_eq!(json["message"], "Please correct the highlighted fields.");
        assert_eq!(json["fields"]["email"][0], "Enter an email address.");
        assert_eq!(serde_json::from_value::<AppError>(json).unwrap(), e);

        let c = AppError::Conflict("Already booked.".into());
        let back: AppError = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let b = AppError::BadRequest("expected a string".into());
        let back: AppError = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(back, b);
    }

    #[test]
    fn a_missing_argument_becomes_a_field_error() {
        use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args(
            "missing field `password`".into(),
        ));
        assert_eq!(
            e.field_messages("password").unwrap(),
            ["This field is required."]
        );
        let other = AppError::from_server_fn_error(ServerFnErrorErr::Args("invalid type".into()));
        assert!(matches!(other, AppError::BadRequest(_)));
    }

    #[test]
    fn every_kind_has_its_status() {
        assert_eq!(AppError::Unauthenticated.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::field("x", "y").status_code(), 422);
        assert_eq!(AppError::RateLimited.status_code(), 429);
        assert_eq!(AppError::Unavailable.status_code(), 503);
        let wire = serde_json::to_value(AppError::Unavailable).unwrap();
        assert_eq!(
            serde_json::from_value::<AppError>(wire).unwrap(),
            AppError::Unavailable
        );
    }
}
