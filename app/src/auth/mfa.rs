//! Two-step sign-in as the browser and the server both see it: what a sign-in asks for next, the
//! enrolment DTOs, and the parser of a typed second-factor code (it runs in WASM for instant feedback).

use crate::auth::types::{Role, SessionUser};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a sign-in stands after the password was accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SignInStep {
    /// Signed in: the session cookie is set.
    Done { user: SessionUser },
    /// The account uses two-step sign-in: send a code to `auth/mfa_verify`.
    Code,
    /// The practice requires two-step sign-in for this role and it is not set up yet: enrol through
    /// `auth/mfa_begin` and `auth/mfa_confirm`, which then sign in.
    Enrol,
}

/// A fresh authenticator secret waiting for its first code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaEnrolment {
    /// The secret in base32, in groups of four, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://totp/…` address an app reads from the QR code.
    pub otpauth_uri: String,
    /// The QR code of `otpauth_uri`, as an SVG document made on the server.
    pub qr_svg: String,
}

/// Enrolment confirmed: the recovery codes, shown this once, and (when enrolment was the last step
/// of a sign-in) the person now signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaConfirmed {
    pub recovery_codes: Vec<String>,
    pub signed_in: Option<SessionUser>,
}

/// The current user's two-step sign-in, for My account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaSummary {
    pub enabled_at: Option<DateTime<Utc>>,
    pub recovery_codes_left: i64,
    /// The practice requires it for this person's role (so it cannot be turned off).
    pub required: bool,
}

/// Which roles must use two-step sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaRequirement {
    pub required_roles: Vec<Role>,
}

/// What the code step answers (the plain-form sign-in maps them to refusal codes).
pub const WRONG_CODE: &str =
    "That code is not right. Use the newest code your app shows: codes change \
every 30 seconds and each one works only once.";
pub const CHALLENGE_ENDED: &str =
    "This sign-in has expired or ended after too many wrong codes. Sign in again with your email and password.";
pub const CODE_LOCKED: &str =
    "Too many wrong codes in a row: two-step sign-in for this account is locked \
for 15 minutes. Ask an administrator if you have lost your authenticator.";
/// How many recovery codes an enrolment makes.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Characters of a recovery code (shown as two groups of five).
pub const RECOVERY_CODE_LEN: usize = 10;
/// The alphabet of recovery codes: lower-case letters and digits without look-alikes (0/o, 1/l/i).
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// What the code step accepts, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits from an authenticator app.
    Totp(String),
    /// A recovery code, normalised (lower case, no spaces or dashes).
    Recovery(String),
}

pub const CODE_FORMAT: &str =
    "Enter the 6-digit code from your authenticator app, or one of your recovery codes.";

/// Accepts "123 456", "123456", and recovery codes in any case with spaces or dashes.
pub fn parse_second_factor(raw: &str) -> Result<SecondFactor, String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    if compact.is_empty() {
        return Err(CODE_FORMAT.into());
    }
    if compact.chars().all(|c| c.is_ascii_digit()) {
        return if compact.len() == 6 {
            Ok(SecondFactor::Totp(compact))
        } else {
            Err(format!(
                "An authenticator code has 6 digits; this has {}.",
                compact.len()
            ))
        };
    }
    let in_alphabet = compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
    if compact.len() == RECOVERY_CODE_LEN && in_alphabet {
        Ok(SecondFactor::Recovery(compact))
    } else {
        Err(CODE_FORMAT.into())
    }
}

/// A recovery code as shown to people: `abcde-fghjk`.
pub fn format_recovery_code(code: &str) -> String {
    let half = RECOVERY_CODE_LEN / 2;
    let first: String = code.chars().take(half).collect();
    let rest: String = code.chars().skip(half).collect();
    format!("{first}-{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_with_spaces_and_recovery_codes_in_any_case() {
        assert_eq!(
            parse_second_factor(" 123 456 "),
            Ok(SecondFactor::Totp("123456".into()))
        );
        assert_eq!(
            parse_second_factor("ABCDE-FGHJK"),
            Ok(SecondFactor::Recovery("abcdefghjk".into()))
        );
        assert!(parse_second_factor("12345").unwrap_err().contains("5."));
        assert_eq!(parse_second_factor("").unwrap_err(), CODE_FORMAT);
        // a look-alike letter is not in the alphabet
        assert_eq!(parse_second_factor("abcde-fghj1").unwrap_err(), CODE_FORMAT);
        assert_eq!(parse_second_factor("ÄÄÄÄÄ-ÄÄÄÄÄ").unwrap_err(), CODE_FORMAT);
    }

    #[test]
    fn recovery_codes_show_in_two_groups() {
        assert_eq!(format_recovery_code("abcdefghjk"), "abcde-fghjk");
    }
}
