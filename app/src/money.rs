//! Money as whole cents (never floating point), parsed from what people type.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of US dollars in cents.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(transparent))]
#[serde(transparent)]
pub struct Money(pub i64);

/// The largest amount a form accepts: $1,000,000.00.
pub const MAX_CENTS: i64 = 100_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn cents(self) -> i64 {
        self.0
    }

    /// A non-negative amount such as `25`, `$25.50` or `1,200.00`.
    pub fn parse(raw: &str) -> Result<Money, String> {
        let v = raw.trim();
        let v = v.strip_prefix('$').unwrap_or(v).trim();
        if v.is_empty() {
            return Err("Enter an amount, like 25.00.".into());
        }
        if v.starts_with('-') {
            return Err("The amount cannot be negative.".into());
        }
        let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
        let whole: String = whole.chars().filter(|c| *c != ',').collect();
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(&whole) || !(frac.is_empty() || digits(frac)) {
            return Err("Enter an amount in dollars and cents, like 25.00.".into());
        }
        if frac.len() > 2 {
            return Err("Use at most two digits for cents.".into());
        }
        if whole.len() > 7 {
            return Err("The amount is too large.".into());
        }
        let dollars: i64 = whole.parse().map_err(|_| "The amount is too large.")?;
        let cents: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let total = dollars * 100 + cents;
        if total > MAX_CENTS {
            return Err("The amount is at most $1,000,000.00.".into());
        }
        Ok(Money(total))
    }

    /// Like [`Money::parse`], with an empty field meaning zero.
    pub fn parse_or_zero(raw: &str) -> Result<Money, String> {
        if raw.trim().is_empty() {
            Ok(Money::ZERO)
        } else {
            Money::parse(raw)
        }
    }
}

impl fmt::Display for Money {
    /// `$1,234.50`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let dollars = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}${grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_from_common_forms() {
        assert_eq!(Money::parse("25"), Ok(Money(2500)));
        assert_eq!(Money::parse("$25.5"), Ok(Money(2550)));
        assert_eq!(Money::parse(" 1,200.05 "), Ok(Money(120005)));
        assert_eq!(Money::parse("0.99"), Ok(Money(99)));
        assert_eq!(Money::parse_or_zero(""), Ok(Money::ZERO));
    }

    #[test]
    fn bad_amounts_are_explained() {
        assert!(Money::parse("").unwrap_err().contains("Enter"));
        assert!(Money::parse("-5").unwrap_err().contains("negative"));
        assert!(Money::parse("12.345").unwrap_err().contains("two digits"));
        assert!(Money::parse("twelve").unwrap_err().contains("dollars"));
        assert!(Money::parse("1.2.3").is_err());
        assert!(Money::parse("2000000").unwrap_err().contains("1,000,000"));
    }

    #[test]
    fn amounts_display_with_separators() {
        assert_eq!(Money(123450).to_string(), "$1,234.50");
        assert_eq!(Money(5).to_string(), "$0.05");
        assert_eq!(Money(100_000_000).to_string(), "$1,000,000.00");
    }
}
