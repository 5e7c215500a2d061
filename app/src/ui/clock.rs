//! The practice's calendar day, the same in the browser and during server rendering.

use crate::auth::types::SessionInfo;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use leptos::prelude::use_context;

/// Today at the practice, `offset_minutes` from UTC.
pub fn practice_today(offset_minutes: i32) -> NaiveDate {
    day_at(Utc::now(), offset_minutes)
}

/// The practice's day at the instant `now`.
fn day_at(now: DateTime<Utc>, offset_minutes: i32) -> NaiveDate {
    (now + Duration::minutes(i64::from(offset_minutes))).date_naive()
}

/// A clock for "today at the practice", for defaults, "not in the future" checks and the calendar.
/// It reads the session's context once, so call it in a component's body; the function it returns
/// may then be called anywhere (resources, event handlers). The server's and the browser's own
/// clock zones never decide the day (at 8 PM in Chicago it is already tomorrow in UTC). Outside a
/// session (sign-in pages) it is UTC's day.
pub fn practice_clock() -> impl Fn() -> NaiveDate + Copy + Send + Sync + 'static {
    let offset = use_context::<SessionInfo>().map_or(0, |info| info.utc_offset_minutes);
    move || practice_today(offset)
}

/// Today in UTC, for instant form feedback only (a plain check function has no session to read);
/// the server's own check decides.
pub fn rough_today() -> NaiveDate {
    practice_today(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_practices_day_follows_its_offset_not_utcs() {
        use chrono::TimeZone;
        // 02:30 UTC on Monday 12/07/2026 is still Sunday evening in Chicago (UTC-6)
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 2, 30, 0).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(day_at(now, -360), day(2026, 12, 6));
        assert_eq!(day_at(now, 0), day(2026, 12, 7));
        // and at 22:00 UTC it is already tomorrow in Tokyo (UTC+9)
        let evening = Utc.with_ymd_and_hms(2026, 12, 7, 22, 0, 0).unwrap();
        assert_eq!(day_at(evening, 540), day(2026, 12, 8));
        assert_eq!(day_at(evening, -360), day(2026, 12, 7));
    }
}
