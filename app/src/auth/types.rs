//! Roles, permissions and the account DTOs shared by the browser and the server.

use crate::error::AppError;
use crate::ids::{SessionId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every staff member has exactly one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "user_role", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Clinician,
    Intern,
    Supervisor,
    FrontDesk,
    Biller,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Clinician,
        Role::Intern,
        Role::Supervisor,
        Role::FrontDesk,
        Role::Biller,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clinician => "clinician",
            Role::Intern => "intern",
            Role::Supervisor => "supervisor",
            Role::FrontDesk => "front_desk",
            Role::Biller => "biller",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Clinician => "Clinician",
            Role::Intern => "Intern",
            Role::Supervisor => "Supervisor",
            Role::FrontDesk => "Front desk",
            Role::Biller => "Biller",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| "Choose one of the listed roles.".to_owned())
    }

    pub fn can(self, permission: Permission) -> bool {
        permissions_of(self).contains(&permission)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a role may do. Services call `require(permission)`; the navigation shows what a role can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// List, create and change staff accounts.
    ManageUsers,
    /// Browse the audit trail.
    ViewAudit,
    /// Change practice-wide settings.
    ManageSettings,
    /// Change staff profiles, licenses and working hours.
    ManageStaff,
    /// See every client's demographics (others see only their caseload).
    ViewAllClients,
    /// Create clients and change demographics, contacts, insurance and status.
    EditClientDemographics,
    /// Read diagnosis codes (billers: codes only; clinical staff: of their caseload).
    ReadDiagnosisCodes,
    /// Read and write clinical parts of a chart (diagnoses, clinical flags) — caseload only.
    EditClinical,
    /// Merge a duplicate client record into another.
    MergeClients,
    /// Book, move, cancel and check in appointments on anyone's calendar.
    ManageSchedule,
    /// Have a calendar of one's own (appointments booked with them) and its private feed.
    OwnCalendar,
    /// All of billing: charges, claims, 837P batches, fee schedule.
    ManageBilling,
    /// See a client's charges and expected copay, and mark a client self-pay.
    BillClients,
}

/// The one table of role → permissions.
pub fn permissions_of(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::Admin => &[
            ManageUsers,
            ViewAudit,
            ManageSettings,
            ManageStaff,
            ViewAllClients,
            EditClientDemographics,
            MergeClients,
            ManageSchedule,
            ManageBilling,
            BillClients,
        ],
        Role::FrontDesk => &[
            ViewAllClients,
            EditClientDemographics,
            ManageSchedule,
            BillClients,
        ],
        Role::Biller => &[
            ViewAllClients,
            ReadDiagnosisCodes,
            ManageBilling,
            BillClients,
        ],
        // clinical staff reach clients through their caseload (a relationship rule in the service)
        Role::Clinician | Role::Intern | Role::Supervisor => {
            &[ReadDiagnosisCodes, EditClinical, OwnCalendar]
        }
    }
}

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 128;

/// The length rules of a new password; the server adds a strength check (zxcvbn).
pub fn check_password_length(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        Err(format!(
            "Use at least {MIN_PASSWORD_LEN} characters ({n} so far)."
        ))
    } else if n > MAX_PASSWORD_LEN {
        Err(format!("Use at most {MAX_PASSWORD_LEN} characters."))
    } else {
        Ok(())
    }
}

pub fn parse_display_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    match name.chars().count() {
        0 => Err("Enter the person's name.".into()),
        1..=120 => Ok(name.to_owned()),
        _ => Err("A name is at most 120 characters.".into()),
    }
}

/// The one message for every failed sign-in, so it never reveals whether an email has an account.
pub const LOGIN_FAILED: &str =
    "That email and password did not match an active account. After 5 failed \
attempts an account is locked for 15 minutes.";

/// Why a sign-in sent as a plain form post (before the WASM loaded) was refused. The sign-in page
/// gets it as a short code in its address and says it in our words: an address anyone can craft
/// must never put words of theirs on our page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    Email,
    Password,
    Failed,
    Busy,
    Unavailable,
    Error,
    /// The code step: a wrong code, a code that is not one, the sign-in ended, too many wrong codes.
    Code,
    CodeFormat,
    Ended,
    CodeLocked,
}

impl LoginRefusal {
    const ALL: [LoginRefusal; 10] = [
        LoginRefusal::Email,
        LoginRefusal::Password,
        LoginRefusal::Failed,
        LoginRefusal::Busy,
        LoginRefusal::Unavailable,
        LoginRefusal::Error,
        LoginRefusal::Code,
        LoginRefusal::CodeFormat,
        LoginRefusal::Ended,
        LoginRefusal::CodeLocked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LoginRefusal::Email => "email",
            LoginRefusal::Password => "password",
            LoginRefusal::Failed => "failed",
            LoginRefusal::Busy => "busy",
            LoginRefusal::Unavailable => "unavailable",
            LoginRefusal::Error => "error",
            LoginRefusal::Code => "code",
            LoginRefusal::CodeFormat => "code_format",
            LoginRefusal::Ended => "ended",
            LoginRefusal::CodeLocked => "code_locked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The refusal a sign-in error stands for.
    pub fn of(error: &AppError) -> Self {
        use crate::auth::mfa::{CHALLENGE_ENDED, CODE_LOCKED, WRONG_CODE};
        if let Some(messages) = error.field_messages("code") {
            let said = |m: &str| messages.iter().any(|x| x == m);
            return if said(WRONG_CODE) {
                LoginRefusal::Code
            } else if said(CHALLENGE_ENDED) {
                LoginRefusal::Ended
            } else if said(CODE_LOCKED) {
                LoginRefusal::CodeLocked
            } else {
                LoginRefusal::CodeFormat
            };
        }
        match error {
            AppError::Validation { .. } if error.field_messages("email").is_some() => {
                LoginRefusal::Email
            }
            AppError::Validation { .. }
                if error
                    .field_messages("password")
                    .is_some_and(|m| m.iter().any(|m| m == LOGIN_FAILED)) =>
            {
                LoginRefusal::Failed
            }
            AppError::Validation { .. } => LoginRefusal::Password,
            AppError::RateLimited => LoginRefusal::Busy,
            AppError::Unavailable => LoginRefusal::Unavailable,
            _ => LoginRefusal::Error,
        }
    }

    /// The error the sign-in form shows for it (next to its field where it has one).
    pub fn error(self) -> AppError {
        match self {
            LoginRefusal::Email => {
                AppError::field("email", "Enter an email address like name@example.com.")
            }
            LoginRefusal::Password => AppError::field("password", "Enter your password."),
            LoginRefusal::Failed => AppError::field("password", LOGIN_FAILED),
            LoginRefusal::Busy => AppError::RateLimited,
            LoginRefusal::Unavailable => AppError::Unavailable,
            LoginRefusal::Error => AppError::Internal,
            LoginRefusal::Code => AppError::field("code", crate::auth::mfa::WRONG_CODE),
            LoginRefusal::CodeFormat => AppError::field("code", crate::auth::mfa::CODE_FORMAT),
            LoginRefusal::Ended => AppError::field("code", crate::auth::mfa::CHALLENGE_ENDED),
            LoginRefusal::CodeLocked => AppError::field("code", crate::auth::mfa::CODE_LOCKED),
        }
    }
}

/// The signed-in person as the browser sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
}

/// What the app shell needs to know about the current visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: SessionUser,
    pub practice_name: String,
    /// Seconds of inactivity after which the server ends the session.
    pub idle_timeout_secs: i64,
    /// The practice's offset from UTC (minutes) when the page was made: "today" is the practice's
    /// day, whatever the server's or the browser's own clock zone.
    pub utc_offset_minutes: i32,
}

/// A staff account as the users admin page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub locked: bool,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    /// Two-step sign-in is set up.
    pub mfa_enabled: bool,
}

/// One of the current user's signed-in sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SessionSummary {
    pub id: SessionId,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

/// How long the current session has left, for the idle warning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub idle_remaining_secs: i64,
    pub absolute_remaining_secs: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::parse_email;

    #[test]
    fn emails_are_normalised_and_bad_ones_explained() {
        assert_eq!(
            parse_email("  Ann@Example.COM ").unwrap(),
            "ann@example.com"
        );
        assert!(parse_email("").unwrap_err().contains("Enter"));
        assert!(parse_email("ann.example.com").unwrap_err().contains("@"));
        assert!(parse_email("ann@localhost").is_err());
        assert!(parse_email("ann@exa mple.com").is_err());
    }

    #[test]
    fn roles_parse_from_their_names_only() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("superuser").is_err());
    }

    #[test]
    fn only_admins_manage_users() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::ManageUsers), role == Role::Admin);
        }
    }

    #[test]
    fn short_passwords_are_refused_with_a_count() {
        assert!(check_password_length("short")
            .unwrap_err()
            .contains("5 so far"));
        assert!(check_password_length("twelve chars").is_ok());
    }
}
