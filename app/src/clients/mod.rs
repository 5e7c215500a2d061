//! Clients: the people the practice serves — records, search, the chart.

pub mod actions;
pub mod api;
pub mod components;
pub mod emergency;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
