//! Identifiers and code sets defined outside the practice (CMS, IRS, NUCC), with the parsers both
//! the browser and the server run.

/// A National Provider Identifier: 10 digits whose last is a Luhn check digit computed over the
/// prefix 80840 and the first nine (CMS, "NPI check digit").
pub fn parse_npi(raw: &str) -> Result<String, String> {
    let v: String = raw.trim().chars().filter(|c| *c != ' ').collect();
    if v.len() != 10 || !v.chars().all(|c| c.is_ascii_digit()) {
        return Err("An NPI is 10 digits.".into());
    }
    if !npi_check_digit_ok(&v) {
        return Err("This NPI's check digit is wrong: check for a typo.".into());
    }
    Ok(v)
}

fn npi_check_digit_ok(npi: &str) -> bool {
    let digits: Vec<u32> = npi.chars().filter_map(|c| c.to_digit(10)).collect();
    // Luhn over the first nine digits, doubling from the rightmost; 24 accounts for "80840"
    let sum: u32 = digits[..9]
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let twice = d * 2;
                twice / 10 + twice % 10
            } else {
                d
            }
        })
        .sum::<u32>()
        + 24;
    (10 - sum % 10) % 10 == digits[9]
}

/// An optional NPI: empty is `None`.
pub fn parse_optional_npi(raw: &str) -> Result<Option<String>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_npi(raw).map(Some)
    }
}

/// A federal tax id (EIN), stored as `12-3456789`.
pub fn parse_tax_id(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let shape_ok = v.chars().all(|c| c.is_ascii_digit() || c == '-');
    if digits.len() != 9 || !shape_ok {
        return Err("A tax id (EIN) is 9 digits, like 12-3456789.".into());
    }
    Ok(Some(format!("{}-{}", &digits[..2], &digits[2..])))
}

/// A NUCC health care provider taxonomy code: 10 characters, 9 letters or digits and a final `X`
/// (e.g. `1041C0700X`, clinical social worker).
pub fn parse_taxonomy(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Ok(None);
    }
    let ok = v.len() == 10 && v.ends_with('X') && v[..9].chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(Some(v))
    } else {
        Err("A taxonomy code is 10 characters ending in X, like 1041C0700X.".into())
    }
}

/// CMS place-of-service codes a mental-health practice uses.
pub const PLACES_OF_SERVICE: &[(&str, &str)] = &[
    ("11", "11 · Office"),
    ("02", "02 · Telehealth (not in the patient's home)"),
    ("10", "10 · Telehealth in the patient's home"),
    ("03", "03 · School"),
    ("12", "12 · Home"),
    ("22", "22 · On-campus outpatient hospital"),
    ("53", "53 · Community mental health center"),
    ("99", "99 · Other place of service"),
];

/// US time zones by IANA name.
pub const US_TIME_ZONES: &[(&str, &str)] = &[
    ("America/New_York", "Eastern (New York)"),
    ("America/Detroit", "Eastern (Detroit)"),
    ("America/Indiana/Indianapolis", "Eastern (Indianapolis)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Boise", "Mountain (Boise)"),
    ("America/Phoenix", "Mountain, no DST (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("Pacific/Guam", "Chamorro (Guam)"),
];

pub fn parse_time_zone(raw: &str) -> Result<String, String> {
    let v = raw.trim();
    US_TIME_ZONES
        .iter()
        .find(|(z, _)| *z == v)
        .map(|(z, _)| (*z).to_owned())
        .ok_or_else(|| "Choose the practice's time zone from the list.".into())
}

/// An electronic payer id as used on claims: 2–10 letters or digits.
pub fn parse_payer_code(raw: &str) -> Result<String, String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.len() < 2 || v.len() > 10 || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("A payer id is 2–10 letters or digits, like 60054.".into());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npis_need_a_right_check_digit() {
        // the example of CMS's check-digit paper
        assert_eq!(parse_npi("1234567893").unwrap(), "1234567893");
        assert!(parse_npi("1234567890").unwrap_err().contains("check digit"));
        assert!(parse_npi("12345").unwrap_err().contains("10 digits"));
        assert!(parse_npi("12345678a3").unwrap_err().contains("10 digits"));
        assert_eq!(parse_optional_npi(" ").unwrap(), None);
    }

    #[test]
    fn tax_ids_and_taxonomy_codes() {
        assert_eq!(parse_tax_id("123456789").unwrap().unwrap(), "12-3456789");
        assert_eq!(parse_tax_id("12-3456789").unwrap().unwrap(), "12-3456789");
        assert!(parse_tax_id("12-34567").is_err());
        assert_eq!(parse_taxonomy("1041c0700x").unwrap().unwrap(), "1041C0700X");
        assert!(parse_taxonomy("1041C07000").is_err());
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert_eq!(
            parse_time_zone("America/Chicago").unwrap(),
            "America/Chicago"
        );
    }
}
