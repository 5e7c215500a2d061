//! The 835 (005010X221A1) remittance advice: what a payer paid, adjusted and denied on our claims.
//! `parse_835` reads one and refuses it whole unless every line, claim and the payment balance;
//! `write_835` writes one (the demo data, the tests and the bench stand in for a payer with it).

use super::read::{read, Segment};
use super::write::{amount, clean, Writer};
use chrono::{NaiveDate, NaiveDateTime};

/// One remittance: one payment (or none) from one payer, for many claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remittance {
    /// TRN02: the check or EFT trace number.
    pub trace_number: String,
    /// TRN03: who originated the payment (`1` and the payer's tax id, usually).
    pub payer_identifier: String,
    pub payer_name: String,
    /// N1*PR*…*XV or REF*2U: the payer id we send claims to.
    pub payer_code: Option<String>,
    pub payee_name: String,
    pub payee_npi: String,
    /// BPR02: the money sent, in cents.
    pub payment_cents: i64,
    /// BPR04: ACH, CHK, BOP, FWT or NON (no payment).
    pub payment_method: String,
    /// BPR16: when the money is (or was) sent.
    pub payment_date: NaiveDate,
    pub claims: Vec<ClaimPayment>,
    pub provider_adjustments: Vec<ProviderAdjustment>,
}

/// A CLP loop: the payer's decision on one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPayment {
    /// CLP01: the claim number we sent in CLM01.
    pub patient_control_number: String,
    /// CLP02: 1, 2, 3 processed; 4 denied; 19–21 processed and forwarded; 22 reversal.
    pub status_code: String,
    pub charge_cents: i64,
    pub paid_cents: i64,
    /// CLP05: what the client owes on it.
    pub patient_share_cents: i64,
    /// CLP07: the payer's own number for the claim (a corrected claim quotes it).
    pub payer_claim_number: String,
    /// NM1*QC: the patient, as the payer names them.
    pub patient_name: String,
    pub adjustments: Vec<Adjustment>,
    /// MOA: remark codes on the claim.
    pub remark_codes: Vec<String>,
    pub lines: Vec<ServicePayment>,
}

/// An SVC loop: the decision on one service line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePayment {
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub charge_cents: i64,
    pub paid_cents: i64,
    pub units: i32,
    pub service_date: Option<NaiveDate>,
    /// REF*6R: the line control number we sent.
    pub control_number: Option<String>,
    pub adjustments: Vec<Adjustment>,
    /// LQ*HE: remark codes (RARC) on the line.
    pub remark_codes: Vec<String>,
}

/// One CAS reason: group (CO contractual, PR patient responsibility, OA other, PI payer
/// initiated, CR correction), reason code (CARC) and amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub group: String,
    pub reason: String,
    pub amount_cents: i64,
    pub quantity: Option<i32>,
}

/// A PLB amount: positive withholds money from the payment, negative adds to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderAdjustment {
    pub reason: String,
    pub reference: String,
    pub amount_cents: i64,
}

impl ClaimPayment {
    pub fn is_reversal(&self) -> bool {
        self.status_code == "22"
    }

    pub fn is_denial(&self) -> bool {
        self.status_code == "4"
    }
}

/// X12's decimal to cents: `150`, `150.5`, `-12.34`; never more than two decimals that matter.
pub fn parse_amount(raw: &str) -> Option<i64> {
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let fraction = fraction.trim_end_matches('0');
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !plain(whole) || !plain(fraction) {
        return None;
    }
    // at most $99,999,999.99: sums over a whole 20 MB file stay far inside i64
    if fraction.len() > 2 || whole.len() > 8 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    let value = whole * 100 + cents;
    Some(if negative { -value } else { value })
}

fn date8(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y%m%d").ok()
}

/// Reads an 835, or says in a sentence why the whole file is refused.
pub fn parse_835(text: &str) -> Result<Remittance, String> {
    let parsed = read(text)?;
    let component = parsed.component_separator;
    if parsed.transaction_sets != 1 {
        return Err(format!(
            "The file holds {} transaction sets; import one remittance (one ST…SE) per file.",
            parsed.transaction_sets
        ));
    }
    let mut r = Builder::default();
    for seg in &parsed.segments {
        r.take(seg, component)?;
    }
    let remittance = r.finish()?;
    check_balance(&remittance)?;
    Ok(remittance)
}

/// The file is still being read: where in its loops we are.
#[derive(Default)]
struct Builder {
    st: Option<String>,
    gs: Option<String>,
    bpr: Option<(i64, String, NaiveDate)>,
    trn: Option<(String, String)>,
    payer_name: Option<String>,
    payer_code: Option<String>,
    payee_name: String,
    payee_npi: String,
    /// `PR` or `PE`: which N1 loop is open.
    party: Option<String>,
    claims: Vec<ClaimPayment>,
    in_line: bool,
    plb: Vec<ProviderAdjustment>,
}

fn money(seg: &Segment, n: usize, what: &str) -> Result<i64, String> {
    let raw = seg.el(n);
    parse_amount(raw).ok_or_else(|| {
        format!(
            "{}{n:02} of {what} is not an amount: “{}”.",
            seg.id,
            short(raw)
        )
    })
}

impl Builder {
    fn claim(&mut self, seg: &Segment) -> Result<&mut ClaimPayment, String> {
        self.claims
            .last_mut()
            .ok_or_else(|| format!("A {} segment stands before any CLP claim.", seg.id))
    }

    fn line(&mut self, seg: &Segment) -> Result<&mut ServicePayment, String> {
        let id = seg.id.clone();
        self.claim(seg)?
            .lines
            .last_mut()
            .ok_or_else(|| format!("A {id} segment stands outside a service line."))
    }

    fn take(&mut self, seg: &Segment, component: char) -> Result<(), String> {
        match seg.id.as_str() {
            "GS" => self.gs = Some(seg.el(1).to_owned()),
            "ST" => self.st = Some(seg.el(1).to_owned()),
            "BPR" => {
                let paid = money(seg, 2, "the payment")?;
                let method = seg.el(4).to_owned();
                let date = date8(seg.el(16))
                    .ok_or("BPR16, the payment date, is not a date (CCYYMMDD).")?;
                self.bpr = Some((paid, method, date));
            }
            "TRN" => self.trn = Some((seg.el(2).to_owned(), seg.el(3).to_owned())),
            "N1" => {
                self.party = Some(seg.el(1).to_owned());
                match seg.el(1) {
                    "PR" => {
                        self.payer_name = Some(seg.el(2).to_owned());
                        if seg.el(3) == "XV" {
                            self.payer_code = Some(seg.el(4).to_owned());
                        }
                    }
                    "PE" => {
                        self.payee_name = seg.el(2).to_owned();
                        self.payee_npi = seg.el(4).to_owned();
                    }
                    _ => {}
                }
            }
            "REF" if self.in_line && seg.el(1) == "6R" => {
                self.line(seg)?.control_number = Some(seg.el(2).to_owned());
            }
            "REF"
                if self.claims.is_empty()
                    && self.party.as_deref() == Some("PR")
                    && seg.el(1) == "2U"
                    && self.payer_code.is_none() =>
            {
                self.payer_code = Some(seg.el(2).to_owned());
            }
            "CLP" => {
                self.in_line = false;
                let pcn = seg.el(1).to_owned();
                if pcn.is_empty() || pcn.len() > 38 {
                    return Err(format!(
                        "CLP01 “{}” is not a patient control number (1 to 38 characters).",
                        short(&pcn)
                    ));
                }
                let status = seg.el(2);
                if status.is_empty()
                    || status.len() > 2
                    || !status.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(format!(
                        "CLP02 of claim {pcn} is not a claim status: “{}”.",
                        short(status)
                    ));
                }
                let what = format!("claim {pcn}");
                self.claims.push(ClaimPayment {
                    status_code: status.to_owned(),
                    charge_cents: money(seg, 3, &what)?,
                    paid_cents: money(seg, 4, &what)?,
                    patient_share_cents: if seg.el(5).is_empty() {
                        0
                    } else {
                        money(seg, 5, &what)?
                    },
                    payer_claim_number: seg.el(7).to_owned(),
                    patient_control_number: pcn,
                    patient_name: String::new(),
                    adjustments: vec![],
                    remark_codes: vec![],
                    lines: vec![],
                });
            }
            "NM1" if seg.el(1) == "QC" && !self.in_line => {
                let name = format!("{} {}", seg.el(4), seg.el(3)).trim().to_owned();
                self.claim(seg)?.patient_name = name;
            }
            "MOA" => {
                let codes: Vec<String> = (3..=7)
                    .map(|n| seg.el(n).to_owned())
                    .filter(|c| !c.is_empty())
                    .collect();
                self.claim(seg)?.remark_codes.extend(codes);
            }
            "CAS" => {
                let adjustments = adjustments(seg)?;
                if self.in_line {
                    self.line(seg)?.adjustments.extend(adjustments);
                } else {
                    self.claim(seg)?.adjustments.extend(adjustments);
                }
            }
            "SVC" => {
                let mut parts = seg.el(1).split(component);
                let qualifier = parts.next().unwrap_or_default();
                let code = parts.next().unwrap_or_default().to_owned();
                if code.is_empty() || qualifier.is_empty() || code.len() > 48 {
                    return Err(format!(
                        "SVC01 “{}” names no procedure code.",
                        short(seg.el(1))
                    ));
                }
                let modifiers = parts
                    .take(4)
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect();
                let what = format!("service line {code}");
                let units = match seg.el(5) {
                    "" => 1,
                    raw => raw
                        .split('.')
                        .next()
                        .and_then(|u| u.parse::<i32>().ok())
                        .filter(|u| (0..=9999).contains(u))
                        .ok_or_else(|| {
                            format!("SVC05 of {what} is not a count: “{}”.", short(raw))
                        })?,
                };
                let line = ServicePayment {
                    charge_cents: money(seg, 2, &what)?,
                    paid_cents: money(seg, 3, &what)?,
                    procedure_code: code,
                    modifiers,
                    units,
                    service_date: None,
                    control_number: None,
                    adjustments: vec![],
                    remark_codes: vec![],
                };
                self.claim(seg)?.lines.push(line);
                self.in_line = true;
            }
            "DTM" if self.in_line && matches!(seg.el(1), "472" | "150") => {
                let date = date8(seg.el(2))
                    .ok_or_else(|| format!("DTM02 “{}” is not a date (CCYYMMDD).", seg.el(2)))?;
                self.line(seg)?.service_date = Some(date);
            }
            "LQ" if self.in_line && seg.el(1) == "HE" => {
                let code = seg.el(2).to_owned();
                self.line(seg)?.remark_codes.push(code);
            }
            "PLB" => {
                self.in_line = false;
                let mut n = 3;
                while !seg.el(n).is_empty() {
                    let mut parts = seg.el(n).split(component);
                    let reason = parts.next().unwrap_or_default().to_owned();
                    if reason.len() != 2
                        || !reason
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    {
                        return Err(format!(
                            "PLB{n:02} “{}” is not a provider adjustment reason.",
                            short(&reason)
                        ));
                    }
                    let reference: String =
                        parts.next().unwrap_or_default().chars().take(50).collect();
                    self.plb.push(ProviderAdjustment {
                        amount_cents: money(seg, n + 1, "a provider adjustment")?,
                        reason,
                        reference,
                    });
                    n += 2;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<Remittance, String> {
        if self.gs.as_deref() != Some("HP") || self.st.as_deref() != Some("835") {
            return Err("This is not an 835 remittance advice (GS01 HP, ST01 835).".into());
        }
        let (payment_cents, payment_method, payment_date) = self
            .bpr
            .ok_or("The remittance has no BPR (payment) segment.")?;
        let (trace_number, payer_identifier) = self
            .trn
            .ok_or("The remittance has no TRN (trace number) segment.")?;
        if trace_number.is_empty() || payer_identifier.is_empty() {
            return Err("TRN02 and TRN03 (trace number and payer) must not be empty.".into());
        }
        if trace_number.len() > 50 || payer_identifier.len() > 10 {
            return Err("TRN02 (up to 50 characters) or TRN03 (up to 10) is too long.".into());
        }
        let payer_name = self
            .payer_name
            .filter(|n| !n.is_empty())
            .ok_or("The remittance does not name its payer (N1*PR).")?;
        if !matches!(
            payment_method.as_str(),
            "ACH" | "CHK" | "BOP" | "FWT" | "NON"
        ) {
            return Err(format!("BPR04 “{payment_method}” is not a payment method."));
        }
        if payment_cents < 0 {
            return Err("BPR02, the payment, is below zero.".into());
        }
        Ok(Remittance {
            trace_number,
            payer_identifier,
            payer_name,
            payer_code: self.payer_code.filter(|c| !c.is_empty()),
            payee_name: self.payee_name,
            payee_npi: self.payee_npi,
            payment_cents,
            payment_method,
            payment_date,
            claims: self.claims,
            provider_adjustments: self.plb,
        })
    }
}

/// CAS01 is the group; then up to six reason / amount / quantity triples.
fn adjustments(seg: &Segment) -> Result<Vec<Adjustment>, String> {
    let group = seg.el(1);
    if !matches!(group, "CO" | "PR" | "OA" | "PI" | "CR") {
        return Err(format!(
            "CAS01 “{group}” is not an adjustment group (CO, PR, OA, PI, CR)."
        ));
    }
    let mut out = Vec::new();
    for n in [2, 5, 8, 11, 14, 17] {
        let reason = seg.el(n);
        if reason.is_empty() {
            continue;
        }
        if reason.len() > 5
            || !reason
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(format!(
                "CAS{n:02} “{}” is not a reason code.",
                short(reason)
            ));
        }
        let quantity = match seg.el(n + 2) {
            "" => None,
            raw => Some(
                raw.split('.')
                    .next()
                    .and_then(|q| q.parse().ok())
                    .ok_or_else(|| format!("CAS{:02} “{raw}” is not a quantity.", n + 2))?,
            ),
        };
        out.push(Adjustment {
            group: group.to_owned(),
            reason: reason.to_owned(),
            amount_cents: money(seg, n + 1, "an adjustment")?,
            quantity,
        });
    }
    Ok(out)
}

/// A piece of hostile input, short enough to quote in a message.
fn short(raw: &str) -> String {
    let cut: String = raw.chars().take(40).collect();
    if cut.len() < raw.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

fn dollars(cents: i64) -> String {
    crate::money::Money(cents).to_string()
}

fn sum(adjustments: &[Adjustment]) -> i64 {
    adjustments.iter().map(|a| a.amount_cents).sum()
}

/// The 835's own arithmetic: each line's charge is its payment plus its adjustments; each claim's
/// charge is its payment plus all its adjustments; the payment is the claims' payments less PLB.
pub fn check_balance(r: &Remittance) -> Result<(), String> {
    for claim in &r.claims {
        let pcn = &claim.patient_control_number;
        for (i, line) in claim.lines.iter().enumerate() {
            let adjusted = sum(&line.adjustments);
            let gap = line.charge_cents - line.paid_cents - adjusted;
            if gap != 0 {
                return Err(format!(
                    "Service line {} of claim {pcn} does not balance: charged {}, paid {}, adjusted {} ({} unexplained).",
                    i + 1,
                    dollars(line.charge_cents),
                    dollars(line.paid_cents),
                    dollars(adjusted),
                    dollars(gap)
                ));
            }
        }
        if !claim.lines.is_empty() {
            let lines_charged: i64 = claim.lines.iter().map(|l| l.charge_cents).sum();
            if lines_charged != claim.charge_cents {
                return Err(format!(
                    "Claim {pcn} does not balance: its lines charge {}, but CLP03 says {}.",
                    dollars(lines_charged),
                    dollars(claim.charge_cents)
                ));
            }
            let lines_paid: i64 = claim.lines.iter().map(|l| l.paid_cents).sum();
            let claim_level = sum(&claim.adjustments);
            if lines_paid - claim_level != claim.paid_cents {
                return Err(format!(
                    "Claim {pcn} does not balance: its lines were paid {}, less {} of claim adjustments, but CLP04 says {}.",
                    dollars(lines_paid),
                    dollars(claim_level),
                    dollars(claim.paid_cents)
                ));
            }
        }
        let adjusted =
            sum(&claim.adjustments) + claim.lines.iter().map(|l| sum(&l.adjustments)).sum::<i64>();
        let gap = claim.charge_cents - claim.paid_cents - adjusted;
        if gap != 0 {
            return Err(format!(
                "Claim {pcn} does not balance: charged {}, paid {}, adjusted {} ({} unexplained).",
                dollars(claim.charge_cents),
                dollars(claim.paid_cents),
                dollars(adjusted),
                dollars(gap)
            ));
        }
    }
    let claims: i64 = r.claims.iter().map(|c| c.paid_cents).sum();
    let withheld: i64 = r.provider_adjustments.iter().map(|p| p.amount_cents).sum();
    if claims - withheld != r.payment_cents {
        return Err(format!(
            "The payment does not balance: BPR02 says {}, but the claims paid {} less {} of provider adjustments is {}.",
            dollars(r.payment_cents),
            dollars(claims),
            dollars(withheld),
            dollars(claims - withheld)
        ));
    }
    Ok(())
}

/// The 835 of `r` as a payer would send it, interchange control number `control`.
pub fn write_835(r: &Remittance, control: u32, created_at: NaiveDateTime) -> String {
    let mut w = Writer::default();
    let sender = clean(&r.payer_identifier, 15);
    let receiver = clean(&r.payee_npi, 15);
    let date8 = created_at.format("%Y%m%d").to_string();
    let date6 = created_at.format("%y%m%d").to_string();
    let time = created_at.format("%H%M").to_string();
    w.raw(&format!(
        "ISA*00*{:10}*00*{:10}*ZZ*{sender:<15}*ZZ*{receiver:<15}*{date6}*{time}*^*00501*{control:09}*0*P*:",
        "", ""
    ));
    w.raw(&format!(
        "GS*HP*{sender}*{receiver}*{date8}*{time}*{control}*X*005010X221A1"
    ));
    w.start_set();
    w.seg(&["ST", "835", "0001", "005010X221A1"]);
    let paid = amount(r.payment_cents);
    let pay_date = r.payment_date.format("%Y%m%d").to_string();
    let handling = if r.payment_cents == 0 { "H" } else { "I" };
    if r.payment_method == "ACH" {
        w.seg(&[
            "BPR",
            handling,
            &paid,
            "C",
            "ACH",
            "CCP",
            "01",
            "011000015",
            "DA",
            "123456789",
            "1512345678",
            "",
            "01",
            "011000028",
            "DA",
            "987654321",
            &pay_date,
        ]);
    } else {
        w.seg(&[
            "BPR",
            handling,
            &paid,
            "C",
            &r.payment_method,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &pay_date,
        ]);
    }
    w.seg(&["TRN", "1", &clean(&r.trace_number, 50), &sender]);
    w.seg(&["DTM", "405", &pay_date]);
    let payer_name = clean(&r.payer_name, 60);
    match &r.payer_code {
        Some(code) => w.seg(&["N1", "PR", &payer_name, "XV", &clean(code, 80)]),
        None => w.seg(&["N1", "PR", &payer_name]),
    }
    w.seg(&["N3", "PO BOX 1000"]);
    w.seg(&["N4", "HARTFORD", "CT", "061011000"]);
    w.seg(&["PER", "BL", "PROVIDER SERVICES", "TE", "8005550100"]);
    w.seg(&["N1", "PE", &clean(&r.payee_name, 60), "XX", &receiver]);
    if !r.claims.is_empty() {
        w.seg(&["LX", "1"]);
    }
    for claim in &r.claims {
        w.seg(&[
            "CLP",
            &clean(&claim.patient_control_number, 38),
            &claim.status_code,
            &amount(claim.charge_cents),
            &amount(claim.paid_cents),
            &amount(claim.patient_share_cents),
            "12",
            &clean(&claim.payer_claim_number, 50),
            "11",
            "1",
        ]);
        cas(&mut w, &claim.adjustments);
        let (first, last) = claim
            .patient_name
            .rsplit_once(' ')
            .unwrap_or(("", &claim.patient_name));
        w.seg(&["NM1", "QC", "1", &clean(last, 60), &clean(first, 35)]);
        if !claim.remark_codes.is_empty() {
            let mut moa = vec!["MOA".to_owned(), String::new(), String::new()];
            moa.extend(claim.remark_codes.iter().take(5).cloned());
            w.seg_owned(&moa);
        }
        for line in &claim.lines {
            let mut procedure = format!("HC:{}", line.procedure_code);
            for m in &line.modifiers {
                procedure.push(':');
                procedure.push_str(m);
            }
            w.seg(&[
                "SVC",
                &procedure,
                &amount(line.charge_cents),
                &amount(line.paid_cents),
                "",
                &line.units.to_string(),
            ]);
            if let Some(date) = line.service_date {
                w.seg(&["DTM", "472", &date.format("%Y%m%d").to_string()]);
            }
            cas(&mut w, &line.adjustments);
            if let Some(control) = &line.control_number {
                w.seg(&["REF", "6R", &clean(control, 50)]);
            }
            for code in &line.remark_codes {
                w.seg(&["LQ", "HE", code]);
            }
        }
    }
    for plb in &r.provider_adjustments {
        w.seg(&[
            "PLB",
            &receiver,
            &format!("{}1231", r.payment_date.format("%Y")),
            &format!("{}:{}", plb.reason, clean(&plb.reference, 50)),
            &amount(plb.amount_cents),
        ]);
    }
    let count = w.end_set();
    w.seg(&["SE", &count.to_string(), "0001"]);
    w.raw(&format!("GE*1*{control}"));
    w.raw(&format!("IEA*1*{control:09}"));
    w.out
}

/// CAS segments: one per group, up to six reasons each, in the order given.
fn cas(w: &mut Writer, adjustments: &[Adjustment]) {
    let mut groups: Vec<&str> = Vec::new();
    for a in adjustments {
        if !groups.contains(&a.group.as_str()) {
            groups.push(&a.group);
        }
    }
    for group in groups {
        let of_group: Vec<&Adjustment> = adjustments.iter().filter(|a| a.group == group).collect();
        for chunk in of_group.chunks(6) {
            let mut seg = vec!["CAS".to_owned(), group.to_owned()];
            for a in chunk {
                seg.push(a.reason.clone());
                seg.push(amount(a.amount_cents));
                seg.push(a.quantity.map(|q| q.to_string()).unwrap_or_default());
            }
            w.seg_owned(&seg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_exact_cents() {
        assert_eq!(parse_amount("150"), Some(15000));
        assert_eq!(parse_amount("150.5"), Some(15050));
        assert_eq!(parse_amount("150.55"), Some(15055));
        assert_eq!(parse_amount("-12.34"), Some(-1234));
        assert_eq!(parse_amount(".5"), Some(50));
        assert_eq!(parse_amount("1.500"), Some(150));
        assert_eq!(parse_amount("1.505"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("-"), None);
        assert_eq!(parse_amount("1e3"), None);
        assert_eq!(parse_amount("12,00"), None);
        assert_eq!(parse_amount("999999999"), None);
        assert_eq!(parse_amount("99999999.99"), Some(9_999_999_999));
    }

    #[test]
    fn adjustment_triples_are_read_in_order() {
        let seg = Segment {
            id: "CAS".into(),
            elements: ["PR", "1", "20", "", "3", "15.5", "1"]
                .map(String::from)
                .to_vec(),
        };
        let got = adjustments(&seg).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].reason.as_str(), got[0].amount_cents), ("1", 2000));
        assert_eq!(
            (got[1].reason.as_str(), got[1].amount_cents, got[1].quantity),
            ("3", 1550, Some(1))
        );
    }
}
