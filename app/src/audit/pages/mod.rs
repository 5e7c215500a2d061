pub mod access_report;
pub mod audit_log;
