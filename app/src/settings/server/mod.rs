//! Server side of practice settings.

pub mod repo;
pub mod service;
