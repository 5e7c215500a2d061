//! What the app counts for Prometheus (`GET /metrics`). The server binary installs the recorder;
//! without one (tests, CLI commands) these are no-ops. Labels come from small fixed sets only,
//! never from people's input.

use crate::audit::types::Outcome;

/// An audit row was appended (counted when its insert succeeded, before its transaction commits).
pub fn audit_event_written(action: &str, outcome: Outcome) {
    metrics::counter!("audit_events_written_total", "outcome" => outcome.as_str()).increment(1);
    if action == crate::auth::actions::LOGIN && outcome == Outcome::Failure {
        metrics::counter!("auth_sign_in_failures_total").increment(1);
    }
    if action == crate::auth::actions::LOCKOUT {
        metrics::counter!("auth_lockouts_total").increment(1);
    }
}

/// Every counter above at 0, before anything happened.
pub fn register_counters() {
    for outcome in [Outcome::Success, Outcome::Failure, Outcome::Denied] {
        metrics::counter!("audit_events_written_total", "outcome" => outcome.as_str()).increment(0);
    }
    metrics::counter!("auth_sign_in_failures_total").increment(0);
    metrics::counter!("auth_lockouts_total").increment(0);
    for kind in ["unavailable", "internal"] {
        metrics::counter!("db_errors_total", "kind" => kind).increment(0);
    }
}

/// A query failed: `unavailable` (pool exhausted or database unreachable) or `internal`.
pub fn db_error(kind: &'static str) {
    metrics::counter!("db_errors_total", "kind" => kind).increment(1);
}
