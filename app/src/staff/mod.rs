//! Staff: profiles (identifiers, supervisor, scheduling defaults), licenses with expiry alerts, weekly
//! working hours per location, and the staff directory.

pub mod actions;
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
