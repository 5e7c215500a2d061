//! Clinical documentation: notes that are drafted, signed and locked; co-signature; addenda;
//! psychotherapy notes kept apart; scored measures (PHQ-9, GAD-7).

pub mod actions;
pub mod api;
pub mod measures;
pub mod pages;
pub mod plan;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
