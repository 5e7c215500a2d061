pub mod account;
pub mod confirm;
pub mod login;
pub mod two_step;
pub mod users;
