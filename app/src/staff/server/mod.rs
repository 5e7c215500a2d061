//! Server side of staff profiles.

pub mod repo;
pub mod service;
