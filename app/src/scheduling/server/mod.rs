//! Server side of scheduling.

pub mod repo;
pub mod service;
