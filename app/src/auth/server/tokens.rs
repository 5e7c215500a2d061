//! Session JWTs: signed (HS256) claims whose `jti` names a row in `sessions`.

use crate::error::AppError;
use crate::ids::{SessionId, UserId};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "mentalspace-ehr";
pub const COOKIE_NAME: &str = "ms_session";
/// The cookie of a sign-in waiting for its second step (a challenge token, not a session).
pub const CHALLENGE_COOKIE_NAME: &str = "ms_sign_in";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: uuid::Uuid,
    jti: uuid::Uuid,
    iss: String,
    iat: i64,
    exp: i64,
}

pub fn issue(
    secret: &[u8],
    user: UserId,
    session: SessionId,
    issued_at: i64,
    expires_at: i64,
) -> Result<String, AppError> {
    let claims = Claims {
        sub: user.0,
        jti: session.0,
        iss: ISSUER.into(),
        iat: issued_at,
        exp: expires_at,
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(|e| {
        tracing::error!(error = %e, "signing a session token failed");
        AppError::Internal
    })
}

/// The session a token names, if its signature, issuer and expiry are good.
pub fn verify(secret: &[u8], token: &str) -> Option<(UserId, SessionId)> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 0;
    decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .ok()
        .map(|data| (UserId(data.claims.sub), SessionId(data.claims.jti)))
}

/// The `Set-Cookie` value that stores a token, or (with `None`) clears it.
pub fn cookie(token: Option<&str>, max_age_secs: i64, secure: bool) -> String {
    named_cookie(COOKIE_NAME, token, max_age_secs, secure)
}

/// The `Set-Cookie` value that stores a sign-in challenge, or (with `None`) clears it.
pub fn challenge_cookie(token: Option<&str>, max_age_secs: i64, secure: bool) -> String {
    named_cookie(CHALLENGE_COOKIE_NAME, token, max_age_secs, secure)
}

fn named_cookie(name: &str, token: Option<&str>, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let (value, max_age) = match token {
        Some(t) => (t, max_age_secs),
        None => ("", 0),
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The session token of a request: the bearer token, else the session cookie.
pub fn from_headers(headers: &http::HeaderMap) -> Option<String> {
    if let Some(bearer) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_owned());
    }
    cookie_value(headers, COOKIE_NAME)
}

/// The value of the cookie `wanted`, if the request sent one.
pub fn cookie_value(headers: &http::HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == wanted && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn tokens_verify_only_with_their_secret_and_before_expiry() {
        let now = chrono::Utc::now().timestamp();
        let (u, s) = (
            UserId(uuid::Uuid::new_v4()),
            SessionId(uuid::Uuid::new_v4()),
        );
        let t = issue(SECRET, u, s, now, now + 60).unwrap();
        assert_eq!(verify(SECRET, &t), Some((u, s)));
        assert_eq!(verify(b"another-secret-another-secret-xx", &t), None);
        let expired = issue(SECRET, u, s, now - 120, now - 60).unwrap();
        assert_eq!(verify(SECRET, &expired), None);
        assert_eq!(verify(SECRET, "garbage"), None);
    }

    #[test]
    fn bearer_wins_over_cookie() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=b; ms_session=cookie-token".parse().unwrap(),
        );
        assert_eq!(from_headers(&h).as_deref(), Some("cookie-token"));
        h.insert(
            http::header::AUTHORIZATION,
            "Bearer bearer-token".parse().unwrap(),
        );
        assert_eq!(from_headers(&h).as_deref(), Some("bearer-token"));
    }

    #[test]
    fn cookie_is_http_only_and_strict() {
        let c = cookie(Some("t"), 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        assert!(!cookie(Some("t"), 60, false).contains("Secure"));
    }
}
