//! The 837P writer read back by our reader, over generated claims: envelopes and segment counts
//! hold, every claim's total is the sum of its lines, and no cent is created or lost between the
//! charges and the file. Claims are grouped so that every charge lands on exactly one claim.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::billing::server::claims::{group_into_claims, MAX_DIAGNOSES, MAX_LINES};
use app::billing::server::edi::*;
use app::billing::server::repo::OpenCharge;
use app::ids::{ChargeId, ClientId, PayerId, PolicyId, UserId};
use chrono::NaiveDate;
use proptest::prelude::*;

/// "150.5" → 15050, written independently of the writer's formatting.
fn cents(amount: &str) -> i64 {
    let (whole, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

fn address() -> Address {
    Address {
        line1: "100 Main St".into(),
        line2: None,
        city: "Springfield".into(),
        state: "IL".into(),
        zip: "62701-1234".into(),
    }
}

fn person(last: &str) -> Person {
    Person {
        last_name: last.into(),
        first_name: "Ann".into(),
        date_of_birth: NaiveDate::from_ymd_opt(1990, 4, 23).unwrap(),
        sex: Sex::Female,
        address: Some(address()),
    }
}

fn claim(n: usize, dependent: bool, lines: &[(i64, i32)]) -> ClaimOut {
    ClaimOut {
        claim_number: format!("MS{}", 100_001 + n),
        frequency: "1".into(),
        original_claim_number: None,
        relationship: if dependent {
            Relationship::Child
        } else {
            Relationship::Own
        },
        subscriber: person("Parent"),
        member_id: "W123456789".into(),
        group_number: Some("GRP-1".into()),
        patient: person("Child"),
        payer_name: "Acme Health".into(),
        payer_code: "ACME1".into(),
        filing_indicator: "CI".into(),
        place_of_service: "11".into(),
        diagnoses: vec!["F41.1".into()],
        prior_auth: None,
        rendering: None,
        lines: lines
            .iter()
            .map(|&(amount_cents, units)| LineOut {
                code: "90834".into(),
                modifiers: vec![],
                amount_cents,
                units,
                pointers: vec![1],
                service_date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                place_of_service: "11".into(),
                control_number: format!("LINE{amount_cents}"),
            })
            .collect(),
    }
}

fn interchange(control: i32, claims: Vec<ClaimOut>) -> Interchange {
    Interchange {
        control_number: control,
        created_at: NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap(),
        production: true,
        billing: BillingProvider {
            name: "Riverbend Counseling".into(),
            npi: "1245319599".into(),
            tax_id: "12-3456789".into(),
            taxonomy: "101YM0800X".into(),
            address: address(),
            phone: "2175550100".into(),
            submitter_id: "RIVERBEND01".into(),
        },
        receiver: Receiver {
            name: "Acme Health".into(),
            payer_code: "ACME1".into(),
        },
        claims,
    }
}

proptest! {
    #[test]
    fn every_claim_total_is_the_sum_of_its_lines(
        control in 1..999_999_999i32,
        shapes in prop::collection::vec(
            (any::<bool>(), prop::collection::vec((1..100_000_000i64, 1..99i32), 1..8)),
            1..12,
        ),
    ) {
        let claims: Vec<ClaimOut> = shapes
            .iter()
            .enumerate()
            .map(|(i, (dependent, lines))| claim(i, *dependent, lines))
            .collect();
        let text = write_837p(&interchange(control, claims));
        let parsed = read(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(parsed.control_number, control as u32);
        let isa = &parsed.segments[0];
        prop_assert_eq!(isa.el(13).len(), 9);
        prop_assert_eq!(isa.el(6).len(), 15);
        // walk the claims: CLM02 against the SV102s after it, and both against the input
        let mut totals: Vec<(i64, i64)> = Vec::new();
        for seg in &parsed.segments {
            match seg.id.as_str() {
                "CLM" => totals.push((cents(seg.el(2)), 0)),
                "SV1" => totals.last_mut().unwrap().1 += cents(seg.el(2)),
                _ => {}
            }
        }
        prop_assert_eq!(totals.len(), shapes.len());
        for ((claimed, lines), (_, input)) in totals.iter().zip(&shapes) {
            let expected: i64 = input.iter().map(|(c, _)| c).sum();
            prop_assert_eq!(*claimed, *lines);
            prop_assert_eq!(*claimed, expected);
        }
        let dependents = shapes.iter().filter(|(d, _)| *d).count();
        prop_assert_eq!(parsed.segments.iter().filter(|s| s.id == "PAT").count(), dependents);
        // one HL for the billing provider, one per subscriber, one per dependent patient
        prop_assert_eq!(
            parsed.segments.iter().filter(|s| s.id == "HL").count(),
            1 + shapes.len() + dependents
        );
    }

    #[test]
    fn charges_are_grouped_into_claims_once_each(
        keys in prop::collection::vec((0..3u8, 0..2u8, 0..2u8), 0..200),
    ) {
        let id = |n: u128| uuid::Uuid::from_u128(n);
        let mut keys = keys;
        keys.sort();
        let charges: Vec<OpenCharge> = keys
            .iter()
            .enumerate()
            .map(|(i, (c, p, r))| OpenCharge {
                id: ChargeId(id(1000 + i as u128)),
                client_id: ClientId(id(u128::from(*c))),
                policy_id: PolicyId(id(10 + u128::from(*p) + 2 * u128::from(*c))),
                payer_id: PayerId(id(99)),
                rendering_provider_id: UserId(id(50 + u128::from(*r))),
                prior_auth_id: None,
                diagnosis_codes: vec!["F41.1".into()],
            })
            .collect();
        let groups = group_into_claims(&charges);
        let placed: usize = groups.iter().map(|g| g.len()).sum();
        prop_assert_eq!(placed, charges.len());
        let mut seen = std::collections::HashSet::new();
        for g in &groups {
            prop_assert!(!g.is_empty() && g.len() <= MAX_LINES);
            for c in g.iter() {
                prop_assert!(seen.insert(c.id));
                prop_assert_eq!((c.client_id, c.policy_id, c.rendering_provider_id),
                    (g[0].client_id, g[0].policy_id, g[0].rendering_provider_id));
            }
        }
        // the fewest claims: one per key, plus one per 50 lines beyond the first
        let mut expected = 0;
        let mut i = 0;
        while i < keys.len() {
            let run = keys[i..].iter().take_while(|k| **k == keys[i]).count();
            expected += run.div_ceil(MAX_LINES);
            i += run;
        }
        prop_assert_eq!(groups.len(), expected);
    }
}

#[test]
fn a_file_whose_counts_do_not_balance_is_refused() {
    let text = write_837p(&interchange(7, vec![claim(0, false, &[(12000, 1)])]));
    assert!(read(&text).is_ok());
    let short = text.replacen("LX*1~\n", "", 1);
    assert!(read(&short).unwrap_err().contains("SE01"));
    let wrong_iea = text.replace("IEA*1*000000007", "IEA*1*000000008");
    assert!(read(&wrong_iea).unwrap_err().contains("IEA02"));
    assert!(read("hello").is_err());
}

#[test]
fn a_cms1500_holds_six_lines_a_page_with_the_total_on_the_last() {
    use app::billing::server::cms1500;
    let ic = interchange(1, vec![]);
    let seven = claim(0, true, &[(12000, 1); 7]);
    let pdf = cms1500::render(&seven, &ic.billing);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF-"));
    assert!(text.contains("/Count 2"));
    assert!(text.contains("(PAGE 1 OF 2)") && text.contains("(PAGE 2 OF 2)"));
    assert!(text.contains("(CONTINUED)"));
    // 7 × $120.00, on the last page only
    assert_eq!(text.matches("(840 00)").count(), 1);
    assert!(text.contains("(X CHILD)"), "box 6 for a dependent");
    let six = claim(0, false, &[(12000, 1); 6]);
    let one_page = cms1500::render(&six, &ic.billing);
    assert!(String::from_utf8_lossy(&one_page).contains("/Count 1"));
}

/// Each charge names its own diagnoses: a claim closes before a charge would take it past twelve.
#[test]
fn a_claim_never_carries_more_than_twelve_diagnoses() {
    let id = |n: u128| uuid::Uuid::from_u128(n);
    let charges: Vec<OpenCharge> = (0..10u128)
        .map(|i| OpenCharge {
            id: ChargeId(id(1000 + i)),
            client_id: ClientId(id(1)),
            policy_id: PolicyId(id(2)),
            payer_id: PayerId(id(3)),
            rendering_provider_id: UserId(id(4)),
            prior_auth_id: None,
            // charge i names F0i and F1i: five charges make ten codes, six make twelve, seven fourteen
            diagnosis_codes: vec![format!("F0{i}"), format!("F1{i}")],
        })
        .collect();
    let groups = group_into_claims(&charges);
    let sizes: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    assert_eq!(sizes, [6, 4]);
    for g in groups {
        let mut codes: Vec<&String> = g.iter().flat_map(|c| &c.diagnosis_codes).collect();
        codes.sort();
        codes.dedup();
        assert!(codes.len() <= MAX_DIAGNOSES);
    }
}

proptest! {
    /// The reader takes files from outside: whatever the bytes, it answers, never panics.
    #[test]
    fn the_reader_never_panics(noise in "\\PC{0,400}", cut in 0usize..2000) {
        let good = write_837p(&interchange(3, vec![claim(0, true, &[(100, 1)])]));
        let _ = read(&noise);
        let cut = cut.min(good.len());
        if good.is_char_boundary(cut) {
            let _ = read(&good[..cut]);
            let mut spliced = good[..cut].to_owned();
            spliced.push_str(&noise);
            let _ = read(&spliced);
        }
    }
}
