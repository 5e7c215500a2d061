//! Writing, reading and verifying the audit trail.

pub mod access_report;
pub mod event;
pub mod repo;
pub mod service;

pub use event::AuditEvent;
pub use service::{record, record_refusal};
