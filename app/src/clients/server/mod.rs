//! Server side of client records: rules, caseload access, audit, SQL.

pub mod activity;
pub mod contacts;
pub mod diagnoses;
pub mod emergency;
pub mod emergency_repo;
pub mod flags;
pub mod insurance;
pub mod insurance_repo;
pub mod record;
pub mod record_repo;
pub mod repo;
pub mod service;
