//! Every parser of outside input under random input: none may panic, and what one accepts it
//! accepts again unchanged (the stored form is a fixed point). The 835 reader also gets random
//! balanced remittances (written, read back, equal) and random damage to a valid file (refused or
//! still balanced, never a panic). `FUZZ_CASES` sets the cases per property: the test command
//! runs a short pass, `scripts/fuzz.sh` 100,000 each.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

use app::billing::server::edi::remit::{
    check_balance, parse_835, parse_amount, write_835, Adjustment, ClaimPayment,
    ProviderAdjustment, Remittance, ServicePayment,
};
use app::money::Money;
use chrono::NaiveDate;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What a person or a file might type: any text, and text made of the characters these fields use.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 ./:()+$,#*~^-]{0,24}",
        "[A-Za-z0-9 .,'@_-]{0,40}",
        "[0-9]{0,12}",
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// A parser to a `String` must accept its own output and give it back unchanged.
fn fixed_point(parse: impl Fn(&str) -> Result<String, String>, raw: &str) {
    if let Ok(stored) = parse(raw) {
        assert_eq!(parse(&stored).as_ref(), Ok(&stored), "input {raw:?}");
    }
}

fn fixed_point_optional(parse: impl Fn(&str) -> Result<Option<String>, String>, raw: &str) {
    if let Ok(Some(stored)) = parse(raw) {
        assert_eq!(parse(&stored), Ok(Some(stored.clone())), "input {raw:?}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn money_reads_back_what_it_prints(raw in hostile()) {
        if let Ok(m) = Money::parse(&raw) {
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }
        let _ = Money::parse_or_zero(&raw);
    }

    #[test]
    fn dates_and_times_never_panic(raw in hostile()) {
        let _ = app::fields::parse_date(&raw);
        let _ = app::fields::parse_required_date(&raw, "The date");
        let _ = app::fields::parse_date_of_birth(&raw, today());
        let _ = app::scheduling::types::parse_day(&raw);
        let _ = app::scheduling::types::parse_start(&raw);
        let _ = app::scheduling::types::parse_minutes(&raw);
        let _ = app::staff::types::parse_time_of_day(&raw);
        let _ = app::staff::types::parse_weekday(&raw);
        let _ = app::scheduling::waitlist::parse_weekdays(&raw);
        let _ = app::billing::server::statements::parse_period(&raw, &raw);
    }

    #[test]
    fn contact_fields_are_fixed_points(raw in hostile()) {
        fixed_point_optional(app::fields::parse_phone, &raw);
        fixed_point_optional(app::fields::parse_zip, &raw);
        fixed_point_optional(app::fields::parse_state, &raw);
        fixed_point(app::fields::parse_email, &raw);
        fixed_point(|r| app::fields::parse_name(r, "The name"), &raw);
        fixed_point(|r| app::fields::parse_identifier(r, "The member id", 2), &raw);
        fixed_point_optional(|r| app::fields::parse_optional(r, 40), &raw);
    }

    #[test]
    fn provider_and_billing_codes_are_fixed_points(raw in hostile()) {
        fixed_point(app::codes::parse_npi, &raw);
        if let Ok(npi) = app::codes::parse_npi(&raw) {
            prop_assert!(npi.len() == 10 && npi.bytes().all(|b| b.is_ascii_digit()));
        }
        fixed_point_optional(app::codes::parse_tax_id, &raw);
        fixed_point_optional(app::codes::parse_taxonomy, &raw);
        fixed_point(app::codes::parse_payer_code, &raw);
        fixed_point(app::billing::types::parse_service_code, &raw);
        fixed_point(app::billing::payments::parse_card_reference, &raw);
        fixed_point(app::billing::payments::parse_check_number, &raw);
        fixed_point_optional(app::settings::types::parse_zip_plus_four, &raw);
        fixed_point_optional(app::settings::types::parse_submitter_id, &raw);
        fixed_point(app::staff::types::parse_license_number, &raw);
        fixed_point(app::staff::types::parse_color, &raw);
        let _ = app::billing::coding::parse_modifiers(&raw);
        let _ = app::billing::coding::parse_units(&raw);
    }

    #[test]
    fn repeat_rules_never_panic(
        repeat in prop_oneof![Just(String::new()), Just("weekly".to_owned()), Just("monthly_day".to_owned()), hostile()],
        every in hostile(),
        ends in prop_oneof![Just("count".to_owned()), Just("until".to_owned()), hostile()],
        count in hostile(),
        until in hostile(),
    ) {
        let _ = app::scheduling::recurrence::parse_repeat(today(), &repeat, &every, &ends, &count, &until);
    }

    #[test]
    fn remittance_amounts_never_panic(raw in hostile()) {
        if let Some(cents) = parse_amount(&raw) {
            prop_assert!(cents.abs() <= 9_999_999_999);
        }
    }

    #[test]
    fn any_text_as_an_835_is_refused_or_read_whole(raw in hostile()) {
        if let Ok(r) = parse_835(&raw) {
            written_again_reads_the_same(&r)?;
        }
    }

    #[test]
    fn a_balanced_remittance_reads_back_as_written(r in remittance()) {
        prop_assert_eq!(check_balance(&r), Ok(()));
        let file = write_835(&r, 7, written_at());
        prop_assert_eq!(parse_835(&file), Ok(r));
    }

    #[test]
    fn a_damaged_835_is_refused_or_read_whole(
        r in remittance(),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0u8..3), 1..6),
    ) {
        let mut file: Vec<char> = write_835(&r, 7, written_at()).chars().collect();
        for (at, c, how) in damage {
            let i = at.index(file.len());
            match how {
                0 => file[i] = c,
                1 => { file.remove(i); }
                _ => file.insert(i, c),
            }
        }
        let file: String = file.into_iter().collect();
        if let Ok(read) = parse_835(&file) {
            written_again_reads_the_same(&read)?;
        }
    }
}

/// What the reader accepted, written out again, is accepted again, and from then on reads the
/// same. (The writer keeps to X12's basic characters, so the first writing may normalise; patients'
/// names are split into last and first by whitespace, so they are left out of the comparison.)
fn written_again_reads_the_same(r: &Remittance) -> Result<(), TestCaseError> {
    let read_back = |r: &Remittance| {
        let file = write_835(r, 7, written_at());
        parse_835(&file).map_err(|e| TestCaseError::fail(format!("{e}\n{file}")))
    };
    let without_names = |mut r: Remittance| {
        r.claims.iter_mut().for_each(|c| c.patient_name.clear());
        r
    };
    let once = read_back(r)?;
    let twice = read_back(&once)?;
    prop_assert_eq!(without_names(twice), without_names(once));
    Ok(())
}

fn written_at() -> chrono::NaiveDateTime {
    today().and_hms_opt(9, 30, 0).unwrap()
}

/// A service line whose charge is its payment plus a contractual and a client-share adjustment.
fn line() -> impl Strategy<Value = ServicePayment> {
    (
        1i64..=500_000,
        0u32..=100,
        0u32..=100,
        prop::sample::select(vec!["90791", "90834", "90837", "90846"]),
        1i32..=4,
        0i64..400,
        "[0-9A-F]{32}",
    )
        .prop_map(|(charge, paid_pct, share_pct, code, units, day, control)| {
            let paid = charge * i64::from(paid_pct) / 100;
            let share = (charge - paid) * i64::from(share_pct) / 100;
            let contractual = charge - paid - share;
            let adjustments = [("CO", "45", contractual), ("PR", "2", share)]
                .into_iter()
                .filter(|(_, _, amount)| *amount > 0)
                .map(|(group, reason, amount_cents)| Adjustment {
                    group: group.into(),
                    reason: reason.into(),
                    amount_cents,
                    quantity: None,
                })
                .collect();
            ServicePayment {
                procedure_code: code.into(),
                modifiers: vec![],
                charge_cents: charge,
                paid_cents: paid,
                units,
                service_date: Some(today() - chrono::Duration::days(day)),
                control_number: Some(control),
                adjustments,
                remark_codes: vec![],
            }
        })
}

fn claim() -> impl Strategy<Value = ClaimPayment> {
    (prop::collection::vec(line(), 1..4), "[0-9]{4,9}").prop_map(|(lines, number)| {
        let paid: i64 = lines.iter().map(|l| l.paid_cents).sum();
        ClaimPayment {
            patient_control_number: format!("MS{number}"),
            status_code: if paid == 0 { "4" } else { "1" }.into(),
            charge_cents: lines.iter().map(|l| l.charge_cents).sum(),
            paid_cents: paid,
            patient_share_cents: lines
                .iter()
                .flat_map(|l| &l.adjustments)
                .filter(|a| a.group == "PR")
                .map(|a| a.amount_cents)
                .sum(),
            payer_claim_number: format!("PCN{number}"),
            patient_name: "ANN CARTER".into(),
            adjustments: vec![],
            remark_codes: vec![],
            lines,
        }
    })
}

/// Claims, and perhaps a provider-level withholding of part of what they were paid.
fn remittance() -> impl Strategy<Value = Remittance> {
    (
        prop::collection::vec(claim(), 1..5),
        0u32..=30,
        "[0-9A-Z]{6,20}",
    )
        .prop_map(|(claims, withheld_pct, trace)| {
            let paid: i64 = claims.iter().map(|c| c.paid_cents).sum();
            let withheld = paid * i64::from(withheld_pct) / 100;
            let provider_adjustments = if withheld > 0 {
                vec![ProviderAdjustment {
                    reason: "WO".into(),
                    reference: "RECOUP1".into(),
                    amount_cents: withheld,
                }]
            } else {
                vec![]
            };
            Remittance {
                trace_number: trace,
                payer_identifier: "1999999999".into(),
                // the writer keeps to X12's basic character set (capitals)
                payer_name: "ACME HEALTH".into(),
                payer_code: Some("ACME1".into()),
                payee_name: "RIVERBEND COUNSELING".into(),
                payee_npi: "1245319599".into(),
                payment_cents: paid - withheld,
                payment_method: if paid - withheld > 0 { "ACH" } else { "NON" }.into(),
                payment_date: today(),
                claims,
                provider_adjustments,
            }
        })
}
