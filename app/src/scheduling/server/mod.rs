//! Server side of scheduling.

pub mod feeds;
pub mod holds;
pub mod outbox;
pub mod reminders;
pub mod reply;
pub mod repo;
pub mod series;
pub mod service;
pub mod waitlist;
