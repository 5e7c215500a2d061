//! The 837P (005010X222A1) writer: one interchange, one functional group, one transaction set;
//! a subscriber loop per claim, with the patient loop beneath it when the patient is a dependent.

use super::model::*;
use std::fmt::Write;

/// The 837P file of `interchange`, segments ending in `~` and a line break.
pub fn write_837p(ic: &Interchange) -> String {
    let mut w = Writer::default();
    let sub = clean(&ic.billing.submitter_id, 15);
    let rcv = clean(&ic.receiver.payer_code, 15);
    let date8 = ic.created_at.format("%Y%m%d").to_string();
    let date6 = ic.created_at.format("%y%m%d").to_string();
    let time = ic.created_at.format("%H%M").to_string();
    let ctl = ic.control_number;
    // ISA is fixed-width: ids padded to 15, the control number to 9 digits
    w.raw(&format!(
        "ISA*00*{:10}*00*{:10}*ZZ*{sub:<15}*ZZ*{rcv:<15}*{date6}*{time}*^*00501*{ctl:09}*0*{}*:",
        "",
        "",
        if ic.production { "P" } else { "T" }
    ));
    w.raw(&format!(
        "GS*HC*{sub}*{rcv}*{date8}*{time}*{ctl}*X*005010X222A1"
    ));
    w.start_set();
    w.seg(&["ST", "837", "0001", "005010X222A1"]);
    w.seg(&["BHT", "0019", "00", &ctl.to_string(), &date8, &time, "CH"]);
    let b = &ic.billing;
    // 1000A submitter, 1000B receiver
    w.seg(&[
        "NM1",
        "41",
        "2",
        &clean(&b.name, 60),
        "",
        "",
        "",
        "",
        "46",
        &sub,
    ]);
    w.seg(&["PER", "IC", &clean(&b.name, 60), "TE", &b.phone]);
    w.seg(&[
        "NM1",
        "40",
        "2",
        &clean(&ic.receiver.name, 60),
        "",
        "",
        "",
        "",
        "46",
        &rcv,
    ]);
    // 2000A / 2010AA billing provider
    w.seg(&["HL", "1", "", "20", "1"]);
    w.seg(&["PRV", "BI", "PXC", &b.taxonomy]);
    w.seg(&[
        "NM1",
        "85",
        "2",
        &clean(&b.name, 60),
        "",
        "",
        "",
        "",
        "XX",
        &b.npi,
    ]);
    address(&mut w, &b.address);
    w.seg(&["REF", "EI", &b.tax_id.replace('-', "")]);
    let mut hl = 1;
    for claim in &ic.claims {
        hl += 1;
        let subscriber_hl = hl;
        let dependent = claim.relationship != Relationship::Own;
        w.seg(&[
            "HL",
            &subscriber_hl.to_string(),
            "1",
            "22",
            if dependent { "1" } else { "0" },
        ]);
        let group = claim
            .group_number
            .as_deref()
            .map(|g| clean(g, 50))
            .unwrap_or_default();
        w.seg(&[
            "SBR",
            "P",
            if dependent { "" } else { "18" },
            &group,
            "",
            "",
            "",
            "",
            "",
            &claim.filing_indicator,
        ]);
        person(&mut w, "IL", &claim.subscriber, Some(&claim.member_id));
        // the subscriber's address and demographics only when the subscriber is the patient
        if !dependent {
            if let Some(a) = &claim.subscriber.address {
                address(&mut w, a);
            }
            demographics(&mut w, &claim.subscriber);
        }
        w.seg(&[
            "NM1",
            "PR",
            "2",
            &clean(&claim.payer_name, 60),
            "",
            "",
            "",
            "",
            "PI",
            &clean(&claim.payer_code, 80),
        ]);
        if dependent {
            hl += 1;
            w.seg(&["HL", &hl.to_string(), &subscriber_hl.to_string(), "23", "0"]);
            w.seg(&["PAT", claim.relationship.pat_code()]);
            person(&mut w, "QC", &claim.patient, None);
            if let Some(a) = &claim.patient.address {
                address(&mut w, a);
            }
            demographics(&mut w, &claim.patient);
        }
        claim_loop(&mut w, claim);
    }
    let count = w.end_set();
    w.seg(&["SE", &count.to_string(), "0001"]);
    w.raw(&format!("GE*1*{ctl}"));
    w.raw(&format!("IEA*1*{ctl:09}"));
    w.out
}

/// 2300 claim and its 2310B / 2400 loops.
fn claim_loop(w: &mut Writer, claim: &ClaimOut) {
    let total: i64 = claim.lines.iter().map(|l| l.amount_cents).sum();
    let pos = format!("{}:B:{}", claim.place_of_service, claim.frequency);
    w.seg(&[
        "CLM",
        &clean(&claim.claim_number, 38),
        &amount(total),
        "",
        "",
        &pos,
        "Y",
        "A",
        "Y",
        "Y",
    ]);
    // the guide's order in loop 2300: prior authorization, then the payer's claim number
    if let Some(auth) = &claim.prior_auth {
        w.seg(&["REF", "G1", &clean(auth, 50)]);
    }
    if let Some(original) = &claim.original_claim_number {
        // quoted exactly as the payer wrote it: payers match corrections on it character for character
        // (the database holds no delimiter in it)
        w.seg(&["REF", "F8", original]);
    }
    let mut hi = vec!["HI".to_owned()];
    for (i, code) in claim.diagnoses.iter().enumerate() {
        let qualifier = if i == 0 { "ABK" } else { "ABF" };
        hi.push(format!("{qualifier}:{}", code.replace('.', "")));
    }
    w.seg_owned(&hi);
    if let Some(r) = &claim.rendering {
        w.seg(&[
            "NM1",
            "82",
            "1",
            &clean(&r.last_name, 60),
            &clean(&r.first_name, 35),
            "",
            "",
            "",
            "XX",
            &r.npi,
        ]);
        if let Some(t) = &r.taxonomy {
            w.seg(&["PRV", "PE", "PXC", t]);
        }
    }
    for (i, line) in claim.lines.iter().enumerate() {
        w.seg(&["LX", &(i + 1).to_string()]);
        let mut procedure = format!("HC:{}", line.code);
        for m in &line.modifiers {
            procedure.push(':');
            procedure.push_str(m);
        }
        let pointers: Vec<String> = line.pointers.iter().map(usize::to_string).collect();
        let pos = if line.place_of_service == claim.place_of_service {
            String::new()
        } else {
            line.place_of_service.clone()
        };
        w.seg(&[
            "SV1",
            &procedure,
            &amount(line.amount_cents),
            "UN",
            &line.units.to_string(),
            &pos,
            "",
            &pointers.join(":"),
        ]);
        w.seg(&[
            "DTP",
            "472",
            "D8",
            &line.service_date.format("%Y%m%d").to_string(),
        ]);
        w.seg(&["REF", "6R", &clean(&line.control_number, 50)]);
    }
}

fn person(w: &mut Writer, entity: &str, p: &Person, member_id: Option<&str>) {
    let last = clean(&p.last_name, 60);
    let first = clean(&p.first_name, 35);
    match member_id {
        Some(id) => w.seg(&[
            "NM1",
            entity,
            "1",
            &last,
            &first,
            "",
            "",
            "",
            "MI",
            &clean(id, 80),
        ]),
        None => w.seg(&["NM1", entity, "1", &last, &first]),
    }
}

fn demographics(w: &mut Writer, p: &Person) {
    w.seg(&[
        "DMG",
        "D8",
        &p.date_of_birth.format("%Y%m%d").to_string(),
        p.sex.code(),
    ]);
}

fn address(w: &mut Writer, a: &Address) {
    match &a.line2 {
        Some(l2) => w.seg(&["N3", &clean(&a.line1, 55), &clean(l2, 55)]),
        None => w.seg(&["N3", &clean(&a.line1, 55)]),
    }
    w.seg(&["N4", &clean(&a.city, 30), &a.state, &a.zip.replace('-', "")]);
}

/// Dollars without trailing zeros (X12's decimal type): 15000 → `150`, 15050 → `150.5`.
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        c if c % 10 == 0 => format!("{sign}{}.{}", abs / 100, c / 10),
        c => format!("{sign}{}.{c:02}", abs / 100),
    }
}

/// Upper case, without the delimiters, trimmed to the element's length.
pub(super) fn clean(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '*' | ':' | '~' | '^' | '\n' | '\r' => ' ',
            c => c.to_ascii_uppercase(),
        })
        .filter(|c| c.is_ascii())
        .collect();
    cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

#[derive(Default)]
pub(super) struct Writer {
    pub(super) out: String,
    counting: bool,
    count: usize,
}

impl Writer {
    pub(super) fn raw(&mut self, segment: &str) {
        let _ = writeln!(self.out, "{segment}~");
        if self.counting {
            self.count += 1;
        }
    }

    /// A segment without its trailing empty elements.
    pub(super) fn seg(&mut self, elements: &[&str]) {
        let last = elements.iter().rposition(|e| !e.is_empty()).unwrap_or(0);
        self.raw(&elements[..=last].join("*"));
    }

    pub(super) fn seg_owned(&mut self, elements: &[String]) {
        let refs: Vec<&str> = elements.iter().map(String::as_str).collect();
        self.seg(&refs);
    }

    /// From ST on, segments are counted for SE01.
    pub(super) fn start_set(&mut self) {
        self.counting = true;
        self.count = 0;
    }

    /// The count of segments ST through SE (the SE about to be written included).
    pub(super) fn end_set(&mut self) -> usize {
        self.counting = false;
        self.count + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_drop_trailing_zeros() {
        assert_eq!(amount(15000), "150");
        assert_eq!(amount(15050), "150.5");
        assert_eq!(amount(15055), "150.55");
        assert_eq!(amount(5), "0.05");
        assert_eq!(amount(0), "0");
    }

    #[test]
    fn text_loses_delimiters_and_case() {
        assert_eq!(clean("o'Neil*Smith:~ jr", 60), "O'NEIL SMITH JR");
        assert_eq!(clean("abcdef", 3), "ABC");
    }
}
