//! The audit trail's names for what happens in practice settings: every event of this module is
//! recorded under one of these (reports and the activity tab read them back).

pub const BILLING_IDENTITY_UPDATE: &str = "settings.billing_identity_update";
pub const LOCATION_ADD: &str = "settings.location_add";
pub const PAYER_ACTIVE: &str = "settings.payer_active";
pub const PAYER_ADD: &str = "settings.payer_add";
pub const PRACTICE_UPDATE: &str = "settings.practice_update";
pub const ROOM_ADD: &str = "settings.room_add";
