//! The server side of documentation: rules and authorization (notes, lists, measures, process
//! notes), access decisions, key rotation, and the SQL.

pub mod access;
pub mod alerts;
mod drafting;
pub mod keys;
pub mod lists;
pub mod measures;
pub mod notes;
pub mod plans;
pub mod process;
mod reading;
pub mod release;
pub mod repo;
pub mod sealing;
mod signing;
