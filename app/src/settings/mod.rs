//! Practice settings (admin): the practice's name, time zone, billing identity and idle timeout; its
//! locations and rooms; the payer list.

pub mod actions;
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
