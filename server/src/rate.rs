//! Rate limits of the API beyond sign-in's own: per signed-in person and per client IP, with
//! searches and lists (which read many records) held to a smaller pair. Over a limit the answer is
//! 429 with `Retry-After`. The counters are this replica's (GCRA, `governor`): with N replicas a
//! person gets at most N times the rate, which still bounds a runaway script.

use app::auth::server::{CurrentUser, RequestMeta};
use app::config::ApiRate;
use app::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::HeaderValue;
use std::num::NonZeroU32;
use std::sync::Arc;

/// Keys kept before the stores drop those back at full capacity.
const PRUNE_ABOVE: usize = 50_000;

/// A client IP gets this many times a person's limits.
const PER_IP_FACTOR: u32 = 10;

pub struct ApiLimits {
    general: DefaultKeyedRateLimiter<String>,
    bulk: DefaultKeyedRateLimiter<String>,
}

fn quota(per_second: NonZeroU32, burst: NonZeroU32, factor: u32) -> Quota {
    let scale = |n: NonZeroU32| n.saturating_mul(NonZeroU32::MIN.saturating_add(factor - 1));
    Quota::per_second(scale(per_second)).allow_burst(scale(burst))
}

impl ApiLimits {
    pub fn new(rate: &ApiRate) -> Arc<Self> {
        Arc::new(ApiLimits {
            // one store per kind, sized for an IP; a person's key pays PER_IP_FACTOR cells a call
            general: RateLimiter::keyed(quota(rate.per_second, rate.burst, PER_IP_FACTOR)),
            bulk: RateLimiter::keyed(quota(rate.bulk_per_second, rate.bulk_burst, PER_IP_FACTOR)),
        })
    }

    /// Seconds to wait when `keys` are over the limit of `path`'s kind.
    fn check(&self, path: &str, keys: &[(String, u32)]) -> Option<u64> {
        let limiter = if is_bulk(path) {
            &self.bulk
        } else {
            &self.general
        };
        for (key, cells) in keys {
            let cost = NonZeroU32::new(*cells).unwrap_or(NonZeroU32::MIN);
            match limiter.check_key_n(key, cost) {
                Ok(Ok(())) => {}
                Ok(Err(not_until)) => {
                    let wait = not_until.wait_time_from(DefaultClock::default().now());
                    return Some(wait.as_secs().max(1));
                }
                // more than the whole burst at once: cannot happen with these costs
                Err(_) => return Some(1),
            }
        }
        None
    }

    /// Forgets keys that are back to full (the store would otherwise grow with every IP seen).
    pub fn prune(&self) {
        self.general.retain_recent();
        self.bulk.retain_recent();
    }
}

/// Searches and lists read many records at once.
pub fn is_bulk(path: &str) -> bool {
    let action = path.rsplit('/').next().unwrap_or_default();
    action.starts_with("list_") || action.ends_with("search")
}

/// Paths with limits of their own (sign-in counts attempts per IP in the database) or that are
/// only a clock (the idle warning's poll).
fn exempt(path: &str) -> bool {
    matches!(
        path,
        "/api/auth/login" | "/api/auth/token" | "/api/auth/session_status" | "/api/auth/me"
    )
}

pub async fn limit(State(limits): State<Arc<ApiLimits>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/") || exempt(path) {
        return next.run(req).await;
    }
    let mut keys = Vec::with_capacity(2);
    if let Some(user) = req.extensions().get::<CurrentUser>() {
        keys.push((format!("user:{}", user.id), PER_IP_FACTOR));
    }
    if let Some(ip) = req.extensions().get::<RequestMeta>().and_then(|m| m.ip) {
        keys.push((format!("ip:{ip}"), 1));
    }
    if limits.general.len() + limits.bulk.len() > PRUNE_ABOVE {
        limits.prune();
    }
    let Some(wait) = limits.check(path, &keys) else {
        return next.run(req).await;
    };
    tracing::warn!(route = %crate::middleware::route_of(path), "rate limited");
    let mut res = AppError::RateLimited.into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(http::header::RETRY_AFTER, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(per_second: u32, burst: u32) -> ApiRate {
        let n = |v| NonZeroU32::new(v).unwrap();
        ApiRate {
            per_second: n(per_second),
            burst: n(burst),
            bulk_per_second: n(1),
            bulk_burst: n(2),
        }
    }

    #[test]
    fn a_person_gets_the_burst_then_waits_and_searches_have_their_own_limit() {
        let limits = ApiLimits::new(&rate(1, 3));
        let me = [("user:a".to_owned(), PER_IP_FACTOR)];
        for _ in 0..3 {
            assert_eq!(limits.check("/api/clients/chart", &me), None);
        }
        assert!(limits.check("/api/clients/chart", &me).is_some());
        // another person is not held up
        assert_eq!(
            limits.check(
                "/api/clients/chart",
                &[("user:b".to_owned(), PER_IP_FACTOR)]
            ),
            None
        );
        // searches: a burst of 2
        let other = [("user:c".to_owned(), PER_IP_FACTOR)];
        assert_eq!(limits.check("/api/clients/search", &other), None);
        assert_eq!(limits.check("/api/clients/search", &other), None);
        assert!(limits.check("/api/clients/search", &other).is_some());
    }

    #[test]
    fn an_ip_shared_by_a_practice_gets_ten_times_a_persons_burst() {
        let limits = ApiLimits::new(&rate(1, 3));
        let office = |n: u32| {
            vec![
                (format!("user:{n}"), PER_IP_FACTOR),
                ("ip:10.0.0.1".to_owned(), 1),
            ]
        };
        // ten people, three calls each: all within the IP's 30
        for person in 0..10 {
            for _ in 0..3 {
                assert_eq!(limits.check("/api/clients/chart", &office(person)), None);
            }
        }
        assert!(limits.check("/api/clients/chart", &office(11)).is_some());
    }

    #[test]
    fn searches_and_lists_are_bulk() {
        assert!(is_bulk("/api/clients/search"));
        assert!(is_bulk("/api/clients/icd10_search"));
        assert!(is_bulk("/api/auth/list_users"));
        assert!(!is_bulk("/api/clients/chart"));
    }
}
