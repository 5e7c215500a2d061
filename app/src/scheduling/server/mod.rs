//! Server side of scheduling.

pub mod holds;
pub mod outbox;
pub mod reminders;
pub mod repo;
pub mod series;
pub mod service;
pub mod waitlist;
