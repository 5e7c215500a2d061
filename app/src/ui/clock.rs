//! The person's own calendar day, in the browser (and, during server rendering, on the server).

/// Today as the person using the app sees it; for defaults and "not in the future" checks in forms.
pub fn today_local() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
