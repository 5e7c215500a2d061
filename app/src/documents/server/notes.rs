//! A note's life: started (from an appointment or the chart), drafted with autosave, signed with the
//! author's password and locked (the database refuses changes), co-signed by a supervisor or returned
//! with comments, and amended only by signed addenda. Who may read what is decided in [`super::access`].

pub use super::drafting::{discard, save, start, NewNote};
pub use super::reading::{history, read, view, Purpose};
pub use super::signing::{add_addendum, review, sign, Decision};
