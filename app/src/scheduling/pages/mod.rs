pub mod booking;
pub mod grid;
pub mod panel;
pub mod typeahead;
pub mod views;
pub mod waitlist;
pub mod week;
