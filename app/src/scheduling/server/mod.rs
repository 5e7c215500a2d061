//! Server side of scheduling.

mod booking;
mod calendar;
mod clashes;
mod details;
pub mod feeds;
pub mod holds;
mod lifecycle;
pub mod outbox;
pub mod reminders;
pub mod reply;
pub mod repo;
pub mod series;
pub mod service;
pub mod waitlist;
