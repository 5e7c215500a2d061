//! The audit trail's names for what happens in the audit log itself: every event of this module is
//! recorded under one of these (reports and the activity tab read them back).

pub const VIEW: &str = "audit.view";
pub const ACCESS_REPORT: &str = "audit.access_report";
pub const ACCESS_REPORT_RELEASE: &str = "audit.access_report_release";
