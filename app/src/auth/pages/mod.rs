pub mod account;
pub mod login;
pub mod two_step;
pub mod users;
