//! Shared pieces of the interface: the app frame, form fields, and loading/error states.

pub mod clock;
pub mod feedback;
pub mod form;
pub mod layout;
