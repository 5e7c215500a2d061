//! Times as people at the practice read them: in the practice's IANA time zone.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

/// The practice's time zone (New York if the stored name is not a zone, which the settings form
/// prevents).
pub async fn practice_zone(conn: &mut PgConnection) -> Result<Tz, AppError> {
    let name: String = sqlx::query_scalar!("SELECT time_zone FROM practice")
        .fetch_one(conn)
        .await?;
    Ok(name.parse().unwrap_or(chrono_tz::America::New_York))
}

/// `11/25/2026 9:05 AM CST`
pub fn date_time(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%m/%d/%Y %-I:%M %p %Z")
        .to_string()
}

/// `11/25/2026`, the day it was at the practice.
pub fn date(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%m/%d/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_read_in_the_practice_zone_across_daylight_saving() {
        let chicago = chrono_tz::America::Chicago;
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 3, 30, 0).unwrap();
        assert_eq!(date_time(winter, chicago), "01/14/2026 9:30 PM CST");
        assert_eq!(date(winter, chicago), "01/14/2026");
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 15, 5, 0).unwrap();
        assert_eq!(date_time(summer, chicago), "07/15/2026 10:05 AM CDT");
    }
}
