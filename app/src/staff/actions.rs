//! The audit trail's names for what happens in staff profiles, licenses and working hours: every
//! event of this module is recorded under one of these (reports and the activity tab read them
//! back).

pub const DIRECTORY_VIEW: &str = "staff.directory_view";
pub const HOURS_ADD: &str = "staff.hours_add";
pub const HOURS_REMOVE: &str = "staff.hours_remove";
pub const LICENSE_ADD: &str = "staff.license_add";
pub const LICENSE_ALERTS_VIEW: &str = "staff.license_alerts_view";
pub const PROFILE_UPDATE: &str = "staff.profile_update";
pub const PROFILE_VIEW: &str = "staff.profile_view";
