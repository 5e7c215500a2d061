//! Sign-in, sessions, roles and permissions, and staff accounts.

pub mod actions;
pub mod api;
pub mod mfa;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
