//! Billing: service codes and fees, charges from signed sessions, claims with their validation
//! and history, 837P batches; remittances (835) posted to a ledger, client payments and balances.

pub mod actions;
pub mod api;
pub mod coding;
pub mod pages;
pub mod payments;
pub mod reasons;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
