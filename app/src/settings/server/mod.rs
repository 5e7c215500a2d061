//! Server side of practice settings.

pub mod clock;
pub mod repo;
pub mod service;
