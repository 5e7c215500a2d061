//! Writing, reading and verifying the audit trail.

pub mod repo;
pub mod service;

pub use service::{record, AuditEvent};
