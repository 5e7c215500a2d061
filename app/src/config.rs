//! Typed configuration from the environment, with a clear error for each bad value.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub db_max_connections: u32,
    /// HMAC key that signs session JWTs; shared by every replica.
    pub jwt_secret: Vec<u8>,
    /// Scheme, host and port people use to reach the app; state-changing requests must come from it.
    pub public_origin: String,
    pub cookie_secure: bool,
    /// A session ends this long after sign-in, however active.
    pub session_absolute: Duration,
    /// Login attempts allowed per client IP per minute.
    pub login_attempts_per_minute: u32,
    /// Server-function calls allowed per signed-in person: a steady rate per second and a burst;
    /// searches and lists have their own, smaller pair. Each client IP gets ten times these (a
    /// practice's staff may share one address).
    pub api_rate: ApiRate,
    /// Take the client IP from X-Forwarded-For (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    pub log_format: LogFormat,
    /// Where reminders are sent by email (`smtp://…` or `smtps://user:pass@host`); none: they are
    /// marked "no transport configured".
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    /// `GET /metrics` answers a request carrying `Authorization: Bearer <this>`…
    pub metrics_token: Option<String>,
    /// …or one whose peer address is in these networks (loopback unless `METRICS_ALLOW` says).
    pub metrics_allow: Vec<sqlx::types::ipnetwork::IpNetwork>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("db_max_connections", &self.db_max_connections)
            .field("public_origin", &self.public_origin)
            .field("cookie_secure", &self.cookie_secure)
            .field("session_absolute", &self.session_absolute)
            .field("login_attempts_per_minute", &self.login_attempts_per_minute)
            .field("api_rate", &self.api_rate)
            .field("trust_proxy_headers", &self.trust_proxy_headers)
            .field("log_format", &self.log_format)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration: {var} {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/mentalspace";

fn bad(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// The database URL alone, for commands that need nothing else.
pub fn database_url_from(lookup: &impl Fn(&str) -> Option<String>) -> String {
    lookup("DATABASE_URL")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned())
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Parses configuration from any key → value source (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |k: &str| lookup(k).filter(|v| !v.trim().is_empty());

        let jwt_secret = get("JWT_SECRET")
            .ok_or_else(|| bad("JWT_SECRET", "must be set (at least 32 random characters)"))?;
        if jwt_secret.len() < 32 {
            return Err(bad("JWT_SECRET", "must be at least 32 characters long"));
        }

        let public_origin = get("PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:3000".into());
        let public_origin = origin_of(&public_origin).ok_or_else(|| {
            bad(
                "PUBLIC_URL",
                format!(
                    "must be an http(s) URL like https://ehr.example.com, not {public_origin:?}"
                ),
            )
        })?;

        let cookie_secure = match get("COOKIE_SECURE") {
            None => public_origin.starts_with("https://"),
            Some(v) => parse_bool("COOKIE_SECURE", &v)?,
        };

        let session_hours: u64 =
            parse_num("SESSION_ABSOLUTE_HOURS", get("SESSION_ABSOLUTE_HOURS"), 12)?;
        if !(1..=24).contains(&session_hours) {
            return Err(bad("SESSION_ABSOLUTE_HOURS", "must be between 1 and 24"));
        }

        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(bad(
                    "LOG_FORMAT",
                    format!("must be human or json, not {other:?}"),
                ))
            }
        };

        let trust_proxy_headers = get("TRUST_PROXY_HEADERS")
            .map(|v| parse_bool("TRUST_PROXY_HEADERS", &v))
            .transpose()?
            .unwrap_or(false);

        Ok(Config {
            database_url: database_url_from(&lookup),
            db_max_connections: parse_num("DB_MAX_CONNECTIONS", get("DB_MAX_CONNECTIONS"), 10)?,
            jwt_secret: jwt_secret.into_bytes(),
            public_origin,
            cookie_secure,
            session_absolute: Duration::from_secs(session_hours * 3600),
            login_attempts_per_minute: parse_num(
                "LOGIN_RATE_LIMIT_PER_MINUTE",
                get("LOGIN_RATE_LIMIT_PER_MINUTE"),
                10,
            )?,
            api_rate: ApiRate {
                per_second: at_least_one("API_RATE_PER_SECOND", get("API_RATE_PER_SECOND"), 20)?,
                burst: at_least_one("API_RATE_BURST", get("API_RATE_BURST"), 300)?,
                bulk_per_second: at_least_one(
                    "API_BULK_RATE_PER_SECOND",
                    get("API_BULK_RATE_PER_SECOND"),
                    5,
                )?,
                bulk_burst: at_least_one("API_BULK_RATE_BURST", get("API_BULK_RATE_BURST"), 60)?,
            },
            trust_proxy_headers,
            log_format,
            smtp_url: get("SMTP_URL"),
            smtp_from: get("SMTP_FROM")
                .unwrap_or_else(|| "MentalSpace EHR <no-reply@localhost>".into()),
            metrics_token: match get("METRICS_TOKEN") {
                Some(t) if t.len() < 24 => {
                    return Err(bad("METRICS_TOKEN", "must be at least 24 characters long"))
                }
                token => token,
            },
            // behind a proxy, its connections come from loopback too: no network by default
            metrics_allow: parse_networks(
                "METRICS_ALLOW",
                get("METRICS_ALLOW")
                    .as_deref()
                    .unwrap_or(if trust_proxy_headers {
                        "none"
                    } else {
                        "127.0.0.1/32,::1/128"
                    }),
            )?,
        })
    }
}

/// A comma-separated list of networks (`10.0.0.0/8, 127.0.0.1/32`); `none` for an empty list.
fn parse_networks(
    var: &'static str,
    v: &str,
) -> Result<Vec<sqlx::types::ipnetwork::IpNetwork>, ConfigError> {
    if v.trim().eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    v.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            n.parse().map_err(|_| {
                bad(
                    var,
                    format!("must list networks like 10.0.0.0/8, not {n:?}"),
                )
            })
        })
        .collect()
}

fn parse_bool(var: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(bad(var, format!("must be true or false, not {other:?}"))),
    }
}

/// The API's rate limits (see [`Config::api_rate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiRate {
    pub per_second: std::num::NonZeroU32,
    pub burst: std::num::NonZeroU32,
    pub bulk_per_second: std::num::NonZeroU32,
    pub bulk_burst: std::num::NonZeroU32,
}

fn at_least_one(
    var: &'static str,
    v: Option<String>,
    default: u32,
) -> Result<std::num::NonZeroU32, ConfigError> {
    std::num::NonZeroU32::new(parse_num(var, v, default)?)
        .ok_or_else(|| bad(var, "must be at least 1".to_owned()))
}

fn parse_num<T: std::str::FromStr>(
    var: &'static str,
    v: Option<String>,
    default: T,
) -> Result<T, ConfigError> {
    match v {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| bad(var, format!("must be a whole number, not {v:?}"))),
    }
}

/// `https://host:port/path` → `https://host:port`.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() || host.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(move |k| map.get(k).cloned())
    }

    const SECRET: (&str, &str) = ("JWT_SECRET", "0123456789abcdef0123456789abcdef");

    #[test]
    fn defaults_apply_when_only_the_secret_is_set() {
        let c = parse(&[SECRET]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.public_origin, "http://127.0.0.1:3000");
        assert!(!c.cookie_secure);
        assert_eq!(c.session_absolute, Duration::from_secs(12 * 3600));
    }

    #[test]
    fn metrics_are_for_loopback_unless_told() {
        let c = parse(&[SECRET]).unwrap();
        assert_eq!(c.metrics_token, None);
        let loopback: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let outside: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        assert!(c.metrics_allow.iter().any(|n| n.contains(loopback)));
        assert!(!c.metrics_allow.iter().any(|n| n.contains(outside)));
        let c = parse(&[SECRET, ("METRICS_ALLOW", "10.0.0.0/8, 203.0.113.0/24")]).unwrap();
        assert!(c.metrics_allow.iter().any(|n| n.contains(outside)));
        assert!(parse(&[SECRET, ("METRICS_ALLOW", "none")])
            .unwrap()
            .metrics_allow
            .is_empty());
        // behind a proxy every connection is the proxy's: no network unless named
        let proxied = parse(&[SECRET, ("TRUST_PROXY_HEADERS", "true")]).unwrap();
        assert!(proxied.metrics_allow.is_empty());
        assert_eq!(
            parse(&[SECRET, ("METRICS_ALLOW", "everyone")])
                .unwrap_err()
                .var,
            "METRICS_ALLOW"
        );
        assert_eq!(
            parse(&[SECRET, ("METRICS_TOKEN", "short")])
                .unwrap_err()
                .var,
            "METRICS_TOKEN"
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        assert_eq!(parse(&[]).unwrap_err().var, "JWT_SECRET");
        assert_eq!(
            parse(&[("JWT_SECRET", "short")]).unwrap_err().var,
            "JWT_SECRET"
        );
        assert_eq!(
            parse(&[SECRET, ("PUBLIC_URL", "ftp://x")]).unwrap_err().var,
            "PUBLIC_URL"
        );
        assert_eq!(
            parse(&[SECRET, ("COOKIE_SECURE", "maybe")])
                .unwrap_err()
                .var,
            "COOKIE_SECURE"
        );
        assert_eq!(
            parse(&[SECRET, ("DB_MAX_CONNECTIONS", "ten")])
                .unwrap_err()
                .var,
            "DB_MAX_CONNECTIONS"
        );
        assert_eq!(
            parse(&[SECRET, ("LOG_FORMAT", "xml")]).unwrap_err().var,
            "LOG_FORMAT"
        );
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let c = parse(&[SECRET, ("PUBLIC_URL", "https://EHR.example.com/app")]).unwrap();
        assert_eq!(c.public_origin, "https://ehr.example.com");
        assert!(c.cookie_secure);
    }
}
