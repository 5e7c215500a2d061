//! Billing, part 1: service codes and fees, charges from signed sessions, claims with their
//! validation and history, 837P batches.

pub mod actions;
pub mod api;
pub mod coding;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
