//! The audit trail's names for what happens in the calendar, the waitlist, reminders and calendar
//! feeds: every event of this module is recorded under one of these (reports and the activity tab
//! read them back).

pub const APPOINTMENT_VIEW: &str = "scheduling.appointment_view";
pub const BOOK: &str = "scheduling.book";
pub const CLIENT_REPLY: &str = "scheduling.client_reply";
pub const DAY_VIEW: &str = "scheduling.day_view";
pub const FEED_ENABLE: &str = "scheduling.feed_enable";
pub const FEED_READ: &str = "scheduling.feed_read";
pub const FEED_REVOKE: &str = "scheduling.feed_revoke";
pub const MONTH_VIEW: &str = "scheduling.month_view";
pub const RESCHEDULE: &str = "scheduling.reschedule";
pub const STATUS_CHANGE: &str = "scheduling.status_change";
pub const WAITLIST_ADD: &str = "scheduling.waitlist_add";
pub const WAITLIST_MATCHES: &str = "scheduling.waitlist_matches";
pub const WAITLIST_OFFER: &str = "scheduling.waitlist_offer";
pub const WAITLIST_VIEW: &str = "scheduling.waitlist_view";
pub const WAITLIST_WITHDRAW: &str = "scheduling.waitlist_withdraw";
pub const WEEK_VIEW: &str = "scheduling.week_view";
