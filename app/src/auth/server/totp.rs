//! The authenticator side of two-step sign-in: TOTP secrets and codes (RFC 6238 through `totp-rs`:
//! SHA-1, 6 digits, 30-second steps, as every authenticator app expects), the QR code of an
//! enrolment, recovery codes and challenge tokens.

use crate::auth::mfa::{MfaEnrolment, RECOVERY_ALPHABET, RECOVERY_CODE_COUNT, RECOVERY_CODE_LEN};
use crate::error::AppError;
use base64::Engine;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

pub const STEP_SECS: u64 = 30;
/// Steps either side of now that are still accepted (phones' clocks drift).
const SKEW_STEPS: u64 = 1;
/// 160 bits, as RFC 4226 recommends.
const SECRET_LEN: usize = 20;
const ISSUER: &str = "MentalSpace EHR";

pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_LEN];
    OsRng.fill_bytes(&mut secret);
    secret
}

fn totp(secret: Vec<u8>, account: &str) -> Result<TOTP, AppError> {
    // the label may not hold ':' (it separates issuer and account in the address)
    let account = account.replace(':', " ");
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS,
        secret,
        Some(ISSUER.into()),
        account,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "an authenticator secret was refused");
        AppError::Internal
    })
}

/// What a person scans or types into their app.
pub fn enrolment(secret: &[u8], account: &str) -> Result<MfaEnrolment, AppError> {
    let totp = totp(secret.to_vec(), account)?;
    let otpauth_uri = totp.get_url();
    let qr = qrcode::QrCode::with_error_correction_level(&otpauth_uri, qrcode::EcLevel::M)
        .map_err(|e| {
            tracing::error!(error = %e, "the enrolment QR code could not be made");
            AppError::Internal
        })?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    let grouped = totp
        .get_secret_base32()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(MfaEnrolment {
        secret: grouped,
        otpauth_uri,
        qr_svg,
    })
}

/// The time step whose code `code` is, within one step of `now` (Unix seconds), if any.
pub fn matching_step(secret: &[u8], code: &str, now: u64) -> Result<Option<u64>, AppError> {
    let totp = totp(secret.to_vec(), "check")?;
    let current = now / STEP_SECS;
    Ok((current.saturating_sub(SKEW_STEPS)..=current + SKEW_STEPS)
        .find(|step| totp.check(code, step * STEP_SECS)))
}

pub fn unix_now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

/// Fresh recovery codes (normalised: no dash).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            (0..RECOVERY_CODE_LEN)
                .map(|_| char::from(RECOVERY_ALPHABET[OsRng.gen_range(0..RECOVERY_ALPHABET.len())]))
                .collect()
        })
        .collect()
}

/// What the database keeps of a recovery code: bound to the enrolment, so a hash is worthless
/// anywhere else.
pub fn recovery_hash(user_mfa_id: uuid::Uuid, normalised_code: &str) -> Vec<u8> {
    Sha256::new()
        .chain_update(b"mentalspace recovery code\0")
        .chain_update(user_mfa_id.as_bytes())
        .chain_update(normalised_code.as_bytes())
        .finalize()
        .to_vec()
}

/// A new challenge token for the browser, and the hash the database keeps.
pub fn new_challenge_token() -> (String, Vec<u8>) {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let hash = challenge_hash(&token);
    (token, hash)
}

pub fn challenge_hash(token: &str) -> Vec<u8> {
    Sha256::new()
        .chain_update(b"mentalspace mfa challenge\0")
        .chain_update(token.as_bytes())
        .finalize()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890"; its 8-digit codes end in these
    // six digits at the listed times.
    #[test]
    fn codes_match_the_rfc_6238_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59u64, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(matching_step(secret, code, time).unwrap(), Some(time / 30));
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = b"12345678901234567890";
        // 287082 is the code of step 1 (t = 30..59)
        assert_eq!(matching_step(secret, "287082", 89).unwrap(), Some(1));
        assert_eq!(matching_step(secret, "287082", 5).unwrap(), Some(1));
        assert_eq!(matching_step(secret, "287082", 90).unwrap(), None);
        assert_eq!(matching_step(secret, "000000", 59).unwrap(), None);
    }

    #[test]
    fn enrolment_names_the_issuer_and_draws_a_qr_code() {
        let e = enrolment(&new_secret(), "ann@example.com").unwrap();
        assert!(e
            .otpauth_uri
            .starts_with("otpauth://totp/MentalSpace%20EHR:ann%40example.com?"));
        assert!(e.qr_svg.contains("<svg"));
        assert_eq!(e.secret.replace(' ', "").len(), 32);
    }

    #[test]
    fn recovery_codes_are_distinct_and_from_the_alphabet() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        for c in &codes {
            assert_eq!(c.len(), RECOVERY_CODE_LEN);
            assert!(c.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)));
        }
    }
}
