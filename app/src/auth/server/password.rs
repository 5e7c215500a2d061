//! Password hashing (argon2id, on a blocking thread) and the strength policy.

use crate::auth::types::check_password_length;
use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// A hash that no password matches, verified against when the email is unknown so that the time a
/// failed login takes does not reveal whether the account exists.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Y4ABNyyDaZT2JvAg1AHMj4ALUEy4Qth00emOMV+DCfs";

pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// True when `password` matches `stored` (a PHC string); an unreadable hash never matches.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
    let password = password.to_owned();
    let stored = stored.unwrap_or(DUMMY_HASH).to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Length plus zxcvbn: refuses passwords that are common or built from the person's own details.
pub fn check_strength(password: &str, personal: &[&str]) -> Result<(), String> {
    check_password_length(password)?;
    let estimate = zxcvbn::zxcvbn(password, personal);
    if estimate.score() < zxcvbn::Score::Three {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| format!(" {w}")))
            .unwrap_or_default();
        return Err(format!(
            "This password is too easy to guess.{hint} Try a longer phrase of unrelated words."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery staple").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", Some(&h)).await);
        assert!(!verify("correct horse battery stapler", Some(&h)).await);
        assert!(!verify("anything", None).await);
        assert!(!verify("anything", Some("not a hash")).await);
    }

    #[test]
    fn weak_and_personal_passwords_are_refused() {
        assert!(check_strength("password1234", &[]).is_err());
        assert!(check_strength("aaaaaaaaaaaa", &[]).is_err());
        assert!(check_strength("ann.smith@example.com", &["ann.smith@example.com"]).is_err());
        assert!(check_strength("violet-harbor-canyon-47", &[]).is_ok());
    }
}
