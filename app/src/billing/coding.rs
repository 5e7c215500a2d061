//! Which code a session's documented time supports, and the charge form's parsers. Runs in the
//! browser (the warning shows as the biller picks a code) and on the server (it is stored with the
//! charge and shown on the claim).

use super::types::ServiceCode;

/// Psychotherapy codes chosen by documented time: the stand-alone family and the add-ons billed
/// with an E/M visit. Within a family exactly one code fits any number of minutes from 16 up.
const TIMED_FAMILIES: [[&str; 3]; 2] = [["90832", "90834", "90837"], ["90833", "90836", "90838"]];

/// The code a session of `minutes` should be billed with, starting from the code its appointment
/// type names: within a timed family the one whose range holds the minutes; any other code as it is.
/// `None` when the session is too short for any psychotherapy code (under 16 minutes).
pub fn suggest_code(
    default_code: Option<&str>,
    minutes: i32,
    codes: &[ServiceCode],
) -> Option<String> {
    let default_code = default_code.unwrap_or("90834");
    let Some(family) = TIMED_FAMILIES.iter().find(|f| f.contains(&default_code)) else {
        return Some(default_code.to_owned());
    };
    family
        .iter()
        .filter_map(|c| codes.iter().find(|s| s.code == *c))
        .find(|s| fits(s, minutes))
        .map(|s| s.code.clone())
}

fn fits(code: &ServiceCode, minutes: i32) -> bool {
    code.min_minutes.is_none_or(|min| minutes >= min)
        && code.max_minutes.is_none_or(|max| minutes <= max)
}

/// A sentence when `minutes` of documented time do not support `code`; `None` when they do (or the
/// code is not timed).
pub fn time_warning(code: &ServiceCode, minutes: i32, codes: &[ServiceCode]) -> Option<String> {
    if fits(code, minutes) {
        return None;
    }
    let better = TIMED_FAMILIES
        .iter()
        .find(|f| f.contains(&code.code.as_str()))
        .and_then(|family| {
            family
                .iter()
                .filter_map(|c| codes.iter().find(|s| s.code == *c))
                .find(|s| fits(s, minutes))
        });
    let range = match (code.min_minutes, code.max_minutes) {
        (Some(min), Some(max)) => format!("{min}–{max} minutes"),
        (Some(min), None) => format!("at least {min} minutes"),
        (None, Some(max)) => format!("at most {max} minutes"),
        (None, None) => String::new(),
    };
    let mut message = format!(
        "The session lasted {minutes} minutes, but {} needs {range}.",
        code.code
    );
    match better {
        Some(b) => message.push_str(&format!(" {} fits {minutes} minutes.", b.code)),
        None if minutes < code.min_minutes.unwrap_or(0) => {
            message.push_str(" No psychotherapy code fits a session this short.")
        }
        None => {}
    }
    Some(message)
}

/// Up to four two-character modifiers, separated by commas or spaces (`95, HO`).
pub fn parse_modifiers(raw: &str) -> Result<Vec<String>, String> {
    let list: Vec<String> = raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    if let Some(bad) = list
        .iter()
        .find(|m| m.len() != 2 || !m.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(format!(
            "\"{bad}\" is not a modifier: a modifier is two letters or digits, like 95 or HO."
        ));
    }
    if list.len() > 4 {
        return Err("A line takes at most four modifiers.".into());
    }
    let mut seen = list.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != list.len() {
        return Err("Each modifier is listed once.".into());
    }
    Ok(list)
}

/// Units of service: 1 to 99 (96127 counts instruments; most codes are 1).
pub fn parse_units(raw: &str) -> Result<i32, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(1);
    }
    match raw.parse::<i32>() {
        Ok(n) if (1..=99).contains(&n) => Ok(n),
        _ => Err("Units are a whole number from 1 to 99.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    fn code(code: &str, min: Option<i32>, max: Option<i32>) -> ServiceCode {
        ServiceCode {
            code: code.into(),
            description: String::new(),
            min_minutes: min,
            max_minutes: max,
            add_on: false,
            default_fee: Money(100),
            active: true,
        }
    }

    /// The migration's ranges for the timed codes (CPT's time rule: 16–37, 38–52, 53+).
    fn codes() -> Vec<ServiceCode> {
        vec![
            code("90832", Some(16), Some(37)),
            code("90834", Some(38), Some(52)),
            code("90837", Some(53), None),
            code("90833", Some(16), Some(37)),
            code("90836", Some(38), Some(52)),
            code("90838", Some(53), None),
            code("90791", None, None),
        ]
    }

    /// Every minute from 1 to 240, against the ranges written out by hand.
    #[test]
    fn every_length_suggests_the_code_of_its_range() {
        let codes = codes();
        for minutes in 1..=240 {
            let expected = match minutes {
                ..=15 => None,
                16..=37 => Some("90832"),
                38..=52 => Some("90834"),
                _ => Some("90837"),
            };
            assert_eq!(
                suggest_code(Some("90834"), minutes, &codes).as_deref(),
                expected,
                "{minutes} minutes"
            );
            let with_em = expected.map(|c| match c {
                "90832" => "90833",
                "90834" => "90836",
                _ => "90838",
            });
            assert_eq!(
                suggest_code(Some("90836"), minutes, &codes).as_deref(),
                with_em
            );
        }
    }

    #[test]
    fn untimed_codes_are_suggested_as_the_type_names_them() {
        assert_eq!(
            suggest_code(Some("90791"), 5, &codes()).as_deref(),
            Some("90791")
        );
        assert_eq!(suggest_code(None, 45, &codes()).as_deref(), Some("90834"));
    }

    #[test]
    fn a_code_the_minutes_do_not_support_is_named_with_the_one_they_do() {
        let codes = codes();
        let c90837 = &codes[2];
        let warning = time_warning(c90837, 45, &codes).unwrap();
        assert_eq!(
            warning,
            "The session lasted 45 minutes, but 90837 needs at least 53 minutes. 90834 fits 45 minutes."
        );
        let c90832 = &codes[0];
        assert!(time_warning(c90832, 10, &codes)
            .unwrap()
            .contains("No psychotherapy code fits"));
        assert_eq!(time_warning(c90832, 16, &codes), None);
        assert_eq!(time_warning(c90832, 37, &codes), None);
        assert!(time_warning(c90832, 38, &codes)
            .unwrap()
            .contains("90834 fits"));
        assert_eq!(time_warning(&codes[6], 3, &codes), None);
    }

    #[test]
    fn modifiers_parse_or_say_why_not() {
        assert_eq!(parse_modifiers(" 95, ho ").unwrap(), ["95", "HO"]);
        assert_eq!(parse_modifiers("").unwrap(), Vec::<String>::new());
        assert!(parse_modifiers("9").unwrap_err().contains("two letters"));
        assert!(parse_modifiers("95 95").unwrap_err().contains("once"));
        assert!(parse_modifiers("95 GT HO HN AJ")
            .unwrap_err()
            .contains("four"));
        assert_eq!(parse_units(""), Ok(1));
        assert_eq!(parse_units("3"), Ok(3));
        assert!(parse_units("0").is_err());
        assert!(parse_units("1.5").is_err());
    }
}
