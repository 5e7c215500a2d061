//! Parsers for the fields people type anywhere in the app (names, optional text, choices, email,
//! phone, US addresses, dates): each returns the value in its canonical form or a sentence for the
//! field. The same code runs in the browser for instant feedback and on the server as the rule.

use chrono::{Datelike, NaiveDate};

/// A required name part: trimmed, 1–80 characters.
pub fn parse_name(raw: &str, what: &str) -> Result<String, String> {
    let v = raw.trim();
    match v.chars().count() {
        0 => Err(format!("Enter the {what}.")),
        1..=80 => Ok(v.to_owned()),
        _ => Err(format!("The {what} is at most 80 characters.")),
    }
}

/// An optional short text: empty becomes `None`.
pub fn parse_optional(raw: &str, max: usize) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        Ok(None)
    } else if v.chars().count() > max {
        Err(format!("At most {max} characters."))
    } else {
        Ok(Some(v.to_owned()))
    }
}

/// A date of birth: ISO (1990-04-23) or US (04/23/1990), not in the future, not before 1900.
pub fn parse_date_of_birth(raw: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Enter the date of birth.".into());
    }
    let date = parse_date(v).ok_or("Enter the date as MM/DD/YYYY, e.g. 04/23/1990.")?;
    if date > today {
        return Err("The date of birth cannot be in the future.".into());
    }
    if date.year() < 1900 {
        return Err("The date of birth must be in 1900 or later.".into());
    }
    Ok(date)
}

/// `YYYY-MM-DD` or `MM/DD/YYYY`.
pub fn parse_date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%m/%d/%Y"))
        .ok()
}

/// A US phone number in any common format, stored as E.164 (`+15551234567`); empty is `None`.
pub fn parse_phone(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars()
        .any(|c| !(c.is_ascii_digit() || " ()-.+".contains(c)))
    {
        return Err("Use digits only, like (555) 123-4567.".into());
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('1') => &digits[1..],
        _ => return Err("A US phone number has 10 digits, like (555) 123-4567.".into()),
    };
    if national.starts_with(['0', '1']) {
        return Err("A US area code cannot start with 0 or 1.".into());
    }
    Ok(Some(format!("+1{national}")))
}

/// `+15551234567` → `(555) 123-4567`.
pub fn format_phone(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(n) if n.len() == 10 => format!("({}) {}-{}", &n[..3], &n[3..6], &n[6..]),
        _ => e164.to_owned(),
    }
}

/// A ZIP or ZIP+4; empty is `None`.
pub fn parse_zip(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    // byte positions below: only ASCII can be a ZIP code
    let ok = v.is_ascii()
        && match v.len() {
            5 => v.chars().all(|c| c.is_ascii_digit()),
            10 => {
                v[..5].chars().all(|c| c.is_ascii_digit())
                    && &v[5..6] == "-"
                    && v[6..].chars().all(|c| c.is_ascii_digit())
            }
            _ => false,
        };
    if ok {
        Ok(Some(v.to_owned()))
    } else {
        Err("A ZIP code is 5 digits, or ZIP+4 like 60614-1234.".into())
    }
}

/// US states, DC and the territories with USPS codes.
pub const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
];

pub fn parse_state(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Ok(None);
    }
    if US_STATES.iter().any(|(code, _)| *code == v) {
        Ok(Some(v))
    } else {
        Err("Choose a US state.".into())
    }
}

pub fn parse_choice(raw: &str, choices: &[(&str, &str)]) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    choices
        .iter()
        .find(|(code, _)| *code == v)
        .map(|(code, _)| Some((*code).to_owned()))
        .ok_or_else(|| "Choose one of the listed options.".to_owned())
}

pub fn label_of(choices: &'static [(&str, &str)], code: &str) -> &'static str {
    choices
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("—", |(_, l)| l)
}

/// A member, group or authorization number: letters, digits and hyphens, stored upper-case.
pub fn parse_identifier(raw: &str, what: &str, min: usize) -> Result<String, String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("The {what} has only letters, digits and hyphens."));
    }
    match v.len() {
        n if n < min => Err(format!("The {what} has at least {min} characters.")),
        n if n > 30 => Err(format!("The {what} has at most 30 characters.")),
        _ => Ok(v),
    }
}

/// A required date, MM/DD/YYYY or YYYY-MM-DD.
pub fn parse_required_date(raw: &str, what: &str) -> Result<NaiveDate, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    parse_date(v).ok_or_else(|| "Enter the date as MM/DD/YYYY, e.g. 01/31/2026.".to_owned())
}

/// A period of whole days as typed (`from`, `to`: MM/DD/YYYY or YYYY-MM-DD, both included), at most
/// five years long; each problem under its own field.
pub fn parse_period(
    from: &str,
    to: &str,
) -> Result<(NaiveDate, NaiveDate), crate::error::AppError> {
    let mut v = crate::error::Validator::new();
    let from = v.check("from", parse_required_date(from, "first day"));
    let to = v.check("to", parse_required_date(to, "last day"));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            v.add("to", "The period ends before it begins.");
        } else if (t - f).num_days() > 5 * 366 {
            v.add("to", "Choose a period of at most five years.");
        }
    }
    v.finish_with(|| Some((from?, to?)))
}

/// An optional date; empty is `None`.
pub fn parse_optional_date(raw: &str) -> Result<Option<NaiveDate>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    parse_date(v)
        .map(Some)
        .ok_or_else(|| "Enter the date as MM/DD/YYYY, e.g. 01/31/2026.".to_owned())
}

/// Parses an email address into its canonical (trimmed, lower-case) form.
pub fn parse_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err("Enter an email address.".into());
    }
    if email.len() > 254 {
        return Err("An email address is at most 254 characters.".into());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("An email address needs an @, like name@example.com.".into());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || !domain_ok || email.chars().any(char::is_whitespace) {
        return Err("Enter an email address like name@example.com.".into());
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn phones_are_normalised_and_bad_ones_explained() {
        assert_eq!(
            parse_phone("(555) 234-5678").unwrap().as_deref(),
            Some("+15552345678")
        );
        assert_eq!(
            parse_phone("1-555-234-5678").unwrap().as_deref(),
            Some("+15552345678")
        );
        assert_eq!(parse_phone("  ").unwrap(), None);
        assert!(parse_phone("555-1234").unwrap_err().contains("10 digits"));
        assert!(parse_phone("(055) 234-5678")
            .unwrap_err()
            .contains("area code"));
        assert!(parse_phone("call me").unwrap_err().contains("digits"));
        assert_eq!(format_phone("+15552345678"), "(555) 234-5678");
    }

    #[test]
    fn dates_of_birth_accept_two_formats_and_refuse_the_future() {
        let d = NaiveDate::from_ymd_opt(1990, 4, 23).unwrap();
        assert_eq!(parse_date_of_birth("1990-04-23", today()), Ok(d));
        assert_eq!(parse_date_of_birth("04/23/1990", today()), Ok(d));
        assert!(parse_date_of_birth("2027-01-01", today())
            .unwrap_err()
            .contains("future"));
        assert!(parse_date_of_birth("02/30/1990", today())
            .unwrap_err()
            .contains("MM/DD/YYYY"));
        assert!(parse_date_of_birth("1899-12-31", today())
            .unwrap_err()
            .contains("1900"));
        assert!(parse_date_of_birth("", today())
            .unwrap_err()
            .contains("Enter"));
    }

    #[test]
    fn zips_and_states() {
        assert_eq!(parse_zip("60614").unwrap().as_deref(), Some("60614"));
        assert_eq!(
            parse_zip("60614-1234").unwrap().as_deref(),
            Some("60614-1234")
        );
        assert!(
            parse_zip("6061").is_err()
                && parse_zip("60614-12").is_err()
                && parse_zip("ABCDE").is_err()
        );
        assert_eq!(parse_state("il").unwrap().as_deref(), Some("IL"));
        assert!(parse_state("XX").is_err());
    }
}
