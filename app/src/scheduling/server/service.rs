//! Booking, moving and the lifecycle of appointments, and the calendar views. Admin and front desk
//! manage the calendar. A double booking is refused by PostgreSQL (no-overlap constraints); the
//! refusal comes back as a sentence naming the appointment in the way. Each job has its own file;
//! this is what the server functions and other modules call.

pub use super::booking::{book, instant};
pub use super::calendar::{day, month, week};
pub use super::details::details;
pub use super::lifecycle::{change_status, reschedule, Move};
pub use super::repo::{NewAppointment, Overlap};
