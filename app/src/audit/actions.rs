//! The audit trail's names for what happens in the audit log itself: every event of this module is
//! recorded under one of these (reports and the activity tab read them back).

pub const VIEW: &str = "audit.view";
