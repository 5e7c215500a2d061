//! Set-up shared by the service tests: signed-in staff and clients on a fresh database.
#![allow(dead_code)] // each test file uses its own part

pub mod billing;
pub mod documents;
pub mod scheduling;
pub mod totp;

use app::auth::server::service as auth;
use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::clients::server::service as clients;
use app::clients::types::ClientInput;
use app::config::Config;
use app::ids::ClientId;
use chrono::NaiveDate;
use sqlx::PgPool;

pub const PASSWORD: &str = "quiet-river-lantern-42";

/// The date the tests pretend it is.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub fn meta() -> RequestMeta {
    RequestMeta::default()
}

/// The server's configuration in tests: a fixed signing secret, and sign-in limits no test reaches.
pub fn config() -> Config {
    Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("test-secret-test-secret-test-secret!".into()),
        "LOGIN_RATE_LIMIT_PER_MINUTE" => Some("1000".into()),
        _ => None,
    })
    .unwrap()
}

/// Creates an account of `role` and returns it signed in.
pub async fn staff(pool: &PgPool, email: &str, role: Role) -> CurrentUser {
    let cfg = config();
    auth::upsert_account(pool, email, email, role, PASSWORD, false)
        .await
        .unwrap();
    let s = auth::login(pool, &cfg, &RequestMeta::default(), email, PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .unwrap();
    auth::authenticate(pool, &cfg, &s.token, false)
        .await
        .unwrap()
        .unwrap()
        .user
}

pub fn input(first: &str, last: &str) -> ClientInput {
    ClientInput {
        legal_first_name: first.into(),
        legal_last_name: last.into(),
        date_of_birth: "04/23/1990".into(),
        ..Default::default()
    }
}

pub async fn create(
    pool: &PgPool,
    by: &CurrentUser,
    mut client: ClientInput,
    clinician: Option<&CurrentUser>,
) -> ClientId {
    client.primary_clinician_id = clinician.map(|c| c.id.to_string()).unwrap_or_default();
    clients::create(pool, by, &RequestMeta::default(), &client, today())
        .await
        .unwrap()
}

/// The actions recorded in the audit trail, oldest first.
pub async fn audit_actions(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_events ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// Every string in an uncompressed PDF (literal or hex), one per line, bytes read as Latin-1.
pub fn pdf_text(pdf: &[u8]) -> String {
    let mut strings = Vec::new();
    let mut i = 0;
    while i < pdf.len() {
        match pdf[i] {
            b'(' => {
                let mut s = Vec::new();
                let mut depth = 1;
                i += 1;
                while depth > 0 {
                    match pdf[i] {
                        b'\\' => {
                            i += 1;
                            s.push(pdf[i]);
                        }
                        b'(' => {
                            depth += 1;
                            s.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth > 0 {
                                s.push(b')');
                            }
                        }
                        b => s.push(b),
                    }
                    i += 1;
                }
                strings.push(s);
            }
            b'<' if pdf.get(i + 1) != Some(&b'<') => {
                let end = i + pdf[i..].iter().position(|b| *b == b'>').unwrap();
                let hex = std::str::from_utf8(&pdf[i + 1..end]).unwrap();
                strings.push(
                    (0..hex.len())
                        .step_by(2)
                        .map(|k| u8::from_str_radix(&hex[k..k + 2], 16).unwrap())
                        .collect(),
                );
                i = end + 1;
            }
            b'<' => i += 2,
            _ => i += 1,
        }
    }
    strings
        .iter()
        .map(|s| s.iter().map(|b| *b as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}
