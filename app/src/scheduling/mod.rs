//! Scheduling: appointment types, booking without double-booking, and the appointment lifecycle.
//! (The calendar pages, recurring series, waitlist and reminders build on this.)

pub mod actions;
pub mod api;
pub mod pages;
pub mod recurrence;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
pub mod waitlist;
