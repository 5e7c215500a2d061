pub mod booking;
pub mod panel;
pub mod week;
