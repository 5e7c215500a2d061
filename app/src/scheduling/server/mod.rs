//! Server side of scheduling.

pub mod holds;
pub mod reminders;
pub mod repo;
pub mod series;
pub mod service;
