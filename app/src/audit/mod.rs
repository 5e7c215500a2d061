//! The append-only, hash-chained audit trail: the API every module records PHI access with, and the
//! admin page that browses it.

pub mod actions;
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
