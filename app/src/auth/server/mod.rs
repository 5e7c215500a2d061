//! Server side of sign-in, sessions and staff accounts.

pub mod current;
pub mod mfa;
pub mod mfa_repo;
pub mod password;
pub mod policy;
pub mod repo;
pub mod service;
pub mod step_up;
pub mod tokens;
pub mod totp;

pub use current::{current_user, request_meta, CurrentUser, RequestMeta};
