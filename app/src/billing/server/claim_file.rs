//! From stored rows to what a claim says: its diagnosis list and line pointers, the problems that
//! stop it going out (in words a biller can act on), and its 837P loops.

use super::edi::{
    Address, BillingProvider, ClaimOut, LineOut, Person, Relationship, RenderingProvider, Sex,
};
use super::repo::{ClaimFileRow, LineRow, PracticeRow};
use crate::billing::types::ClaimProblem;
use crate::codes::parse_npi;
use crate::ids::ChargeId;
use chrono::NaiveDate;

/// The claim's diagnoses (each line's codes in line order, once, at most 12) and each line's
/// pointers into them (its first four codes).
pub fn diagnoses_and_pointers(lines: &[LineRow]) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut list: Vec<String> = Vec::new();
    for code in lines.iter().flat_map(|l| &l.diagnosis_codes) {
        if !list.contains(code) {
            list.push(code.clone());
        }
    }
    let pointers = lines
        .iter()
        .map(|l| {
            l.diagnosis_codes
                .iter()
                .filter_map(|c| list.iter().position(|d| d == c).map(|i| i + 1))
                .take(4)
                .collect()
        })
        .collect();
    (list, pointers)
}

fn problem(message: impl Into<String>, fix_at: impl Into<String>) -> ClaimProblem {
    ClaimProblem {
        message: message.into(),
        fix_at: Some(fix_at.into()),
    }
}

/// What stops this claim from being billed, every problem at once (empty: it can go out).
pub fn validate(
    practice: &PracticeRow,
    claim: &ClaimFileRow,
    lines: &[LineRow],
    today: NaiveDate,
) -> Vec<ClaimProblem> {
    let mut out = practice_problems(practice);
    let chart = format!("/clients/{}", claim.client_id);
    let insurance = format!("/clients/{}?tab=insurance", claim.client_id);
    if claim.member_id.trim().is_empty() {
        out.push(problem(
            "The client's subscriber id is missing — open the insurance tab.",
            &insurance,
        ));
    }
    let Some(relationship) = Relationship::parse(&claim.relationship) else {
        out.push(problem(
            "The policy's subscriber relationship is not one a claim can carry — open the insurance tab.",
            &insurance,
        ));
        return out;
    };
    if relationship != Relationship::Own
        && (claim.subscriber_name.is_none() || claim.subscriber_dob.is_none())
    {
        out.push(problem(
            "The subscriber's name and date of birth are missing — open the insurance tab.",
            &insurance,
        ));
    }
    if !claim.payer_active {
        out.push(problem(
            format!(
                "{} is retired from the payer list — reactivate it in Settings.",
                claim.payer_name
            ),
            "/admin/settings",
        ));
    }
    if client_address(claim).is_none() {
        out.push(problem(
            "The client's street address, city, state and ZIP are needed on a claim — open the client's details.",
            format!("{chart}/edit"),
        ));
    }
    match claim.rendering_npi.as_deref().map(parse_npi) {
        None => out.push(problem(
            format!(
                "{} has no NPI — add it on their staff profile.",
                claim.rendering_name
            ),
            format!("/staff/{}", claim.rendering_id),
        )),
        Some(Err(why)) => out.push(problem(
            format!("{}'s NPI is not valid: {why}", claim.rendering_name),
            format!("/staff/{}", claim.rendering_id),
        )),
        Some(Ok(_)) => {}
    }
    line_problems(claim, lines, today, &insurance, &chart, &mut out);
    out
}

fn practice_problems(p: &PracticeRow) -> Vec<ClaimProblem> {
    let settings = "/admin/settings";
    let mut out = Vec::new();
    match p.billing_npi.as_deref().map(parse_npi) {
        None => out.push(problem(
            "The practice's billing NPI is missing — open Settings.",
            settings,
        )),
        Some(Err(why)) => out.push(problem(
            format!("The practice's billing NPI is not valid: {why}"),
            settings,
        )),
        Some(Ok(_)) => {}
    }
    if p.tax_id.is_none() {
        out.push(problem(
            "The practice's tax id (EIN) is missing — open Settings.",
            settings,
        ));
    }
    if p.billing_taxonomy.is_none() {
        out.push(problem(
            "The practice's taxonomy code is missing — open Settings.",
            settings,
        ));
    }
    if p.billing_address.is_none() || p.billing_city.is_none() || p.billing_state.is_none() {
        out.push(problem(
            "The practice's billing address is missing — open Settings.",
            settings,
        ));
    }
    if p.billing_zip.is_none() {
        out.push(problem(
            "The practice's billing ZIP+4 is missing (claims need all nine digits) — open Settings.",
            settings,
        ));
    }
    if p.billing_phone.is_none() {
        out.push(problem(
            "The practice's billing phone is missing — open Settings.",
            settings,
        ));
    }
    if p.submitter_id.is_none() {
        out.push(problem(
            "The practice's submitter id (from the clearinghouse) is missing — open Settings.",
            settings,
        ));
    }
    out
}

fn line_problems(
    claim: &ClaimFileRow,
    lines: &[LineRow],
    today: NaiveDate,
    insurance: &str,
    chart: &str,
    out: &mut Vec<ClaimProblem>,
) {
    if lines.is_empty() {
        out.push(ClaimProblem {
            message: "The claim has no lines.".into(),
            fix_at: None,
        });
        return;
    }
    if lines.len() > 50 {
        out.push(ClaimProblem {
            message: "A claim carries at most 50 lines.".into(),
            fix_at: None,
        });
    }
    let (diagnoses, pointers) = diagnoses_and_pointers(lines);
    if diagnoses.len() > 12 {
        out.push(problem(
            format!("The lines name {} diagnoses; a claim carries at most 12 — resolve old diagnoses on the chart.", diagnoses.len()),
            chart,
        ));
    }
    if let Some(bad) = diagnoses.iter().find(|d| !icd10_shape(d)) {
        out.push(problem(format!("{bad} is not an ICD-10-CM code."), chart));
    }
    for (line, pointers) in lines.iter().zip(&pointers) {
        let n = line.line_number;
        if pointers.is_empty() || pointers.iter().any(|p| *p > 12) {
            out.push(problem(
                format!("Line {n} points at no diagnosis on the claim."),
                chart,
            ));
        }
        if line.units < 1 {
            out.push(ClaimProblem {
                message: format!("Line {n} has no units."),
                fix_at: None,
            });
        }
        if line.amount_cents <= 0 {
            out.push(ClaimProblem {
                message: format!(
                    "Line {n} ({}) is for $0.00 — set the code's fee in Settings.",
                    line.service_code
                ),
                fix_at: Some("/admin/settings".into()),
            });
        }
        if line.service_date > today {
            out.push(ClaimProblem {
                message: format!("Line {n} is dated in the future."),
                fix_at: None,
            });
        }
        if line.service_date < claim.coverage_start
            || claim
                .coverage_end
                .is_some_and(|end| line.service_date > end)
        {
            out.push(problem(
                format!("Line {n} ({}) falls outside the policy's coverage dates — check the insurance tab.", line.service_date.format("%m/%d/%Y")),
                insurance,
            ));
        }
        if line.add_on && lines.iter().all(|l| l.add_on) {
            out.push(ClaimProblem {
                message: format!(
                    "Line {n} ({}) is an add-on code: the claim needs its primary code too.",
                    line.service_code
                ),
                fix_at: None,
            });
        }
    }
}

/// Letter, digit, then a letter or digit, optionally a dot and one to four more (F41.1, Z63.0).
fn icd10_shape(code: &str) -> bool {
    let (head, tail) = code.split_once('.').unwrap_or((code, ""));
    let h: Vec<char> = head.chars().collect();
    h.len() == 3
        && h[0].is_ascii_uppercase()
        && h[1].is_ascii_digit()
        && h[2].is_ascii_alphanumeric()
        && (code.len() == 3 || (1..=4).contains(&tail.len()))
        && tail.chars().all(|c| c.is_ascii_alphanumeric())
}

fn client_address(c: &ClaimFileRow) -> Option<Address> {
    Some(Address {
        line1: c.client_address.clone().filter(|a| !a.trim().is_empty())?,
        line2: c.client_address2.clone().filter(|a| !a.trim().is_empty()),
        city: c.client_city.clone().filter(|a| !a.trim().is_empty())?,
        state: c.client_state.clone()?,
        zip: c.client_zip.clone()?,
    })
}

/// The practice as billing provider, once every part is there.
pub fn billing_provider(p: &PracticeRow) -> Option<BillingProvider> {
    Some(BillingProvider {
        name: p.name.clone(),
        npi: p.billing_npi.clone()?,
        tax_id: p.tax_id.clone()?,
        taxonomy: p.billing_taxonomy.clone()?,
        address: Address {
            line1: p.billing_address.clone()?,
            line2: None,
            city: p.billing_city.clone()?,
            state: p.billing_state.clone()?,
            zip: p.billing_zip.clone()?,
        },
        phone: p.billing_phone.clone()?.trim_start_matches("+1").to_owned(),
        submitter_id: p.submitter_id.clone()?,
    })
}

/// "Dana K. Lee" → ("Lee", "Dana K."): the last word is the family name.
fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    match full.rsplit_once(' ') {
        Some((first, last)) => (last.to_owned(), first.to_owned()),
        None => (full.to_owned(), String::new()),
    }
}

fn sex_of(stored: Option<&str>) -> Sex {
    match stored {
        Some("female") => Sex::Female,
        Some("male") => Sex::Male,
        _ => Sex::Unknown,
    }
}

/// The claim's 837P loops (call after [`validate`] found nothing).
pub fn claim_out(claim: &ClaimFileRow, lines: &[LineRow], billing_npi: &str) -> ClaimOut {
    let relationship = Relationship::parse(&claim.relationship).unwrap_or(Relationship::Own);
    let patient = Person {
        last_name: claim.client_last.clone(),
        first_name: claim.client_first.clone(),
        date_of_birth: claim.client_dob,
        sex: sex_of(claim.client_sex.as_deref()),
        address: client_address(claim),
    };
    let subscriber = if relationship == Relationship::Own {
        patient.clone()
    } else {
        let (last, first) = split_name(claim.subscriber_name.as_deref().unwrap_or_default());
        Person {
            last_name: last,
            first_name: first,
            date_of_birth: claim.subscriber_dob.unwrap_or(claim.client_dob),
            sex: Sex::Unknown,
            address: None,
        }
    };
    let (diagnoses, pointers) = diagnoses_and_pointers(lines);
    let place = lines
        .first()
        .map(|l| l.place_of_service.clone())
        .unwrap_or_else(|| "11".into());
    let rendering = claim
        .rendering_npi
        .clone()
        .filter(|npi| npi != billing_npi)
        .map(|npi| {
            // "Casey Morgan, LCSW": the credentials are not part of the name
            let name = claim.rendering_name.split(',').next().unwrap_or_default();
            let (last, first) = split_name(name.trim_start_matches("Dr. "));
            RenderingProvider {
                last_name: last,
                first_name: first,
                npi,
                taxonomy: claim.rendering_taxonomy.clone(),
            }
        });
    ClaimOut {
        claim_number: claim.claim_number.clone(),
        frequency: claim.frequency.clone(),
        original_claim_number: claim.original_payer_claim_number.clone(),
        relationship,
        subscriber,
        member_id: claim.member_id.clone(),
        group_number: claim.group_number.clone(),
        patient,
        payer_name: claim.payer_name.clone(),
        payer_code: claim.payer_code.clone(),
        filing_indicator: claim.filing_indicator.clone(),
        place_of_service: place,
        diagnoses,
        prior_auth: lines.iter().find_map(|l| l.prior_auth.clone()),
        rendering,
        lines: lines
            .iter()
            .zip(pointers)
            .map(|(l, pointers)| LineOut {
                code: l.service_code.clone(),
                modifiers: l.modifiers.clone(),
                amount_cents: l.amount_cents,
                units: l.units,
                pointers,
                service_date: l.service_date,
                place_of_service: l.place_of_service.clone(),
                control_number: line_control_number(l.charge_id),
            })
            .collect(),
    }
}

/// REF*6R of a claim line: the charge's id, which the payer echoes on the 835 so that its
/// payment lands on that charge.
pub fn line_control_number(charge: ChargeId) -> String {
    charge.0.simple().to_string()
}
