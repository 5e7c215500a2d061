pub mod booking;
pub mod panel;
pub mod views;
pub mod week;
