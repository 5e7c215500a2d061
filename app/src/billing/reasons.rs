//! Adjustment reason codes (CARC) and remark codes (RARC) a behavioural-health practice meets most,
//! in our own words. An unknown code is shown as its number: the payer's letter explains it.

/// What a CAS group means for whoever owes the money.
pub fn group_words(group: &str) -> &'static str {
    match group {
        "CO" => "contractual (the practice writes it off)",
        "PR" => "client responsibility",
        "OA" => "other adjustment",
        "PI" => "payer-initiated reduction",
        "CR" => "correction",
        _ => "adjustment",
    }
}

/// A claim adjustment reason code in words.
pub fn carc_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "Deductible",
        "2" => "Coinsurance",
        "3" => "Copay",
        "4" => "The modifier does not fit the service",
        "5" => "The procedure code does not fit the place of service",
        "11" => "The diagnosis does not support the service",
        "16" => "The claim lacks information the payer needs",
        "18" => "Duplicate claim or service",
        "22" => "Another payer may be primary (coordination of benefits)",
        "23" => "Already adjusted by a prior payer",
        "26" => "Service before the coverage began",
        "27" => "Service after the coverage ended",
        "29" => "Filed after the payer's time limit",
        "31" => "The payer cannot identify the client as its member",
        "45" => "The charge exceeds the contracted fee",
        "50" => "Not deemed medically necessary",
        "96" => "Not a covered service",
        "97" => "Included in another service already paid",
        "109" => "Not covered by this payer",
        "119" => "The benefit maximum has been reached",
        "151" => "The number of services exceeds what the payer allows",
        "167" => "The diagnosis is not covered",
        "170" => "Not paid when this type of provider renders it",
        "185" => "The rendering provider is not eligible",
        "197" => "Prior authorization was missing",
        "204" => "Not covered under the client's current plan",
        "242" => "The provider is not in the payer's network",
        "253" => "Sequestration (federal reduction)",
        _ => return None,
    })
}

/// A remark code in words.
pub fn rarc_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "M15" => "Separately billed services were bundled",
        "M76" => "Missing or invalid diagnosis",
        "MA04" => "Secondary payment cannot be made without the primary's payment",
        "MA130" => "The claim is incomplete and cannot be appealed; correct and resubmit it",
        "N130" => "Consult the plan's benefit documents",
        "N290" => "Missing or invalid rendering provider",
        "N362" => "The number of days or units exceeds what is allowed",
        "N381" => "Consult the payer's contract terms",
        "N522" => "Duplicate of a claim already processed",
        _ => return None,
    })
}

/// `CO-45: The charge exceeds the contracted fee`, or `CO-999` for a code we do not know.
pub fn adjustment_words(group: &str, reason: &str) -> String {
    match carc_words(reason) {
        Some(words) => format!("{group}-{reason}: {words}"),
        None => format!("{group}-{reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_read_as_words_and_unknown_as_numbers() {
        assert_eq!(
            adjustment_words("CO", "45"),
            "CO-45: The charge exceeds the contracted fee"
        );
        assert_eq!(adjustment_words("PR", "3"), "PR-3: Copay");
        assert_eq!(adjustment_words("OA", "999"), "OA-999");
        assert_eq!(
            rarc_words("N130"),
            Some("Consult the plan's benefit documents")
        );
    }
}
