//! The 999 (005010X231A1) implementation acknowledgement: the receiver's word on each 837P
//! functional group we sent — accepted, or rejected with the segments and elements it found wrong.
//! `parse_999` reads one and refuses it whole when its loops or counts do not hold together.

use super::read::{read, Segment};

/// AK901 / IK501: what the receiver decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckCode {
    Accepted,
    AcceptedWithErrors,
    PartiallyAccepted,
    Rejected,
    AuthenticationFailed,
    ValidityFailed,
    Undecryptable,
}

impl AckCode {
    fn parse(raw: &str, what: &str) -> Result<AckCode, String> {
        Ok(match raw {
            "A" => AckCode::Accepted,
            "E" => AckCode::AcceptedWithErrors,
            "P" => AckCode::PartiallyAccepted,
            "R" => AckCode::Rejected,
            "M" => AckCode::AuthenticationFailed,
            "W" => AckCode::ValidityFailed,
            "X" => AckCode::Undecryptable,
            other => return Err(format!("{what} is not an acknowledgement code: “{other}”.")),
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            AckCode::Accepted => "A",
            AckCode::AcceptedWithErrors => "E",
            AckCode::PartiallyAccepted => "P",
            AckCode::Rejected => "R",
            AckCode::AuthenticationFailed => "M",
            AckCode::ValidityFailed => "W",
            AckCode::Undecryptable => "X",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            AckCode::Accepted => "Accepted",
            AckCode::AcceptedWithErrors => "Accepted, with errors noted",
            AckCode::PartiallyAccepted => "Partially accepted",
            AckCode::Rejected => "Rejected",
            AckCode::AuthenticationFailed => "Rejected: message authentication failed",
            AckCode::ValidityFailed => "Rejected: failed validity tests",
            AckCode::Undecryptable => "Rejected: could not be read after decryption",
        }
    }

    pub fn accepts(self) -> bool {
        matches!(self, AckCode::Accepted | AckCode::AcceptedWithErrors)
    }
}

/// Something the receiver found wrong, in words, and where: IK302, the position of the segment
/// in the transaction set (ST is 1), when it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub position: Option<usize>,
    pub words: String,
}

/// The answer for one transaction set (AK2 … IK5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAck {
    /// AK202: the ST02 we sent.
    pub control_number: String,
    pub code: AckCode,
    /// What the receiver found wrong, segment by segment.
    pub errors: Vec<Complaint>,
}

/// The answer for one functional group (AK1 … AK9): one of our batches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupAck {
    /// AK102: the GS06 we sent (our batch's control number).
    pub group_control: i32,
    pub code: AckCode,
    pub sets_included: u32,
    pub sets_received: u32,
    pub sets_accepted: u32,
    pub sets: Vec<SetAck>,
    /// AK905…: errors of the group itself.
    pub errors: Vec<Complaint>,
}

impl GroupAck {
    /// Whether the group's claims go on to the payer. (A partly accepted group holds several
    /// transaction sets; ours hold one, so the service refuses such a group before asking.)
    pub fn accepted(&self) -> bool {
        self.code.accepts()
    }

    /// Everything the receiver said was wrong, the group's own errors first.
    pub fn all_errors(&self) -> Vec<Complaint> {
        self.errors
            .iter()
            .chain(self.sets.iter().flat_map(|s| &s.errors))
            .cloned()
            .collect()
    }
}

/// One 999 file: its own control number and a group answer per transaction set it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub control_number: u32,
    pub groups: Vec<GroupAck>,
}

/// Reads a 999 or says, in words, why it cannot be used.
pub fn parse_999(text: &str) -> Result<Acknowledgement, String> {
    let parsed = read(text)?;
    let component = parsed.component_separator;
    let mut groups = Vec::new();
    let mut open: Option<OpenGroup> = None;
    for seg in &parsed.segments {
        match seg.id.as_str() {
            "GS" if seg.el(1) != "FA" => {
                return Err(format!(
                    "GS01 is “{}”: a 999 travels in a functional acknowledgement group (FA).",
                    seg.el(1)
                ))
            }
            "ST" if seg.el(1) != "999" => {
                return Err(format!(
                    "The file holds a {} transaction set, not a 999 acknowledgement.",
                    seg.el(1)
                ))
            }
            "ST" => open = Some(OpenGroup::default()),
            "SE" => {
                let group = open.take().ok_or("SE without ST.")?;
                groups.push(group.finish()?);
            }
            "ISA" | "IEA" | "GS" | "GE" => {}
            _ => open
                .as_mut()
                .ok_or_else(|| format!("{} stands outside a transaction set.", seg.id))?
                .take(seg, component)?,
        }
    }
    if groups.is_empty() {
        return Err("The file holds no 999 transaction set.".into());
    }
    Ok(Acknowledgement {
        control_number: parsed.control_number,
        groups,
    })
}

/// A 999 transaction set being read.
#[derive(Default)]
struct OpenGroup {
    group_control: Option<i32>,
    sets: Vec<SetAck>,
    /// The AK2 loop being read: its control number and errors so far.
    set: Option<(String, Vec<Complaint>)>,
    /// The IK3 segment the next IK4s belong to ("CLM", for "CLM05"), and its position.
    segment_in_error: Option<(String, Option<usize>)>,
    ak9: Option<(AckCode, [u32; 3], Vec<Complaint>)>,
}

impl OpenGroup {
    fn take(&mut self, seg: &Segment, component: char) -> Result<(), String> {
        if self.ak9.is_some() {
            return Err(format!("{} follows AK9, which ends the answer.", seg.id));
        }
        match seg.id.as_str() {
            "AK1" => {
                if self.group_control.is_some() {
                    return Err("A 999 transaction set answers one group: AK1 repeats.".into());
                }
                if seg.el(1) != "HC" {
                    return Err(format!(
                        "AK101 is “{}”: this acknowledges a group that is not health care claims (HC).",
                        seg.el(1)
                    ));
                }
                let control = seg
                    .el(2)
                    .parse::<i32>()
                    .ok()
                    .filter(|n| (1..=999_999_999).contains(n))
                    .ok_or_else(|| {
                        format!("AK102 is not a group control number: “{}”.", seg.el(2))
                    })?;
                self.group_control = Some(control);
            }
            "AK2" => {
                self.require_ak1("AK2")?;
                if self.set.is_some() {
                    return Err("An AK2 opens before the last one's IK5 closed it.".into());
                }
                if seg.el(1) != "837" {
                    return Err(format!(
                        "AK201 is “{}”: we send only 837 claim files.",
                        seg.el(1)
                    ));
                }
                // every 837P we send is one transaction set numbered 0001
                if seg.el(2) != "0001" {
                    return Err(format!(
                        "AK202 is “{}”: our claim files hold one transaction set, numbered 0001.",
                        seg.el(2)
                    ));
                }
                self.set = Some((seg.el(2).to_owned(), Vec::new()));
                self.segment_in_error = None;
            }
            "IK3" => {
                let (_, errors) = self.set.as_mut().ok_or("IK3 stands outside an AK2 loop.")?;
                let position = seg.el(2).parse().ok();
                errors.push(Complaint {
                    position,
                    words: segment_error(seg),
                });
                self.segment_in_error = Some((seg.el(1).to_owned(), position));
            }
            "IK4" => {
                let (_, errors) = self.set.as_mut().ok_or("IK4 stands outside an AK2 loop.")?;
                let (segment, position) = self
                    .segment_in_error
                    .as_ref()
                    .ok_or("IK4 comes before the IK3 it belongs to.")?;
                errors.push(Complaint {
                    position: *position,
                    words: element_error(segment, seg, component),
                });
            }
            "CTX" => {}
            "IK5" => {
                let (control, mut errors) =
                    self.set.take().ok_or("IK5 stands outside an AK2 loop.")?;
                let code = AckCode::parse(seg.el(1), "IK501")?;
                errors.extend(
                    (2..=6)
                        .map(|n| seg.el(n))
                        .filter(|c| !c.is_empty())
                        .map(|c| Complaint {
                            position: None,
                            words: set_error_words(c),
                        }),
                );
                self.sets.push(SetAck {
                    control_number: control,
                    code,
                    errors,
                });
            }
            "AK9" => {
                self.require_ak1("AK9")?;
                if self.set.is_some() {
                    return Err("AK9 comes before the last AK2 loop's IK5.".into());
                }
                let code = AckCode::parse(seg.el(1), "AK901")?;
                let mut counts = [0u32; 3];
                for (i, n) in (2..=4).enumerate() {
                    counts[i] = seg.el(n).parse().map_err(|_| {
                        format!(
                            "AK9{n:02} is not a count of transaction sets: “{}”.",
                            seg.el(n)
                        )
                    })?;
                }
                let errors = (5..=9)
                    .map(|n| seg.el(n))
                    .filter(|c| !c.is_empty())
                    .map(|c| Complaint {
                        position: None,
                        words: group_error_words(c),
                    })
                    .collect();
                self.ak9 = Some((code, counts, errors));
            }
            other => return Err(format!("A 999 has no {other} segment.")),
        }
        Ok(())
    }

    fn require_ak1(&self, what: &str) -> Result<(), String> {
        match self.group_control {
            Some(_) => Ok(()),
            None => Err(format!(
                "{what} comes before AK1 names the group it answers."
            )),
        }
    }

    fn finish(self) -> Result<GroupAck, String> {
        let group_control = self.group_control.ok_or("The 999 has no AK1.")?;
        let (code, [included, received, accepted], errors) = self
            .ak9
            .ok_or("The 999 has no AK9 with the group's answer.")?;
        if accepted > received || received > included {
            return Err(format!(
                "AK9 counts {accepted} accepted of {received} received of {included} sets: the counts do not add up."
            ));
        }
        if code.accepts() && accepted != included {
            return Err(format!(
                "AK901 says the group was accepted, but AK9 counts {accepted} of {included} sets accepted."
            ));
        }
        if code == AckCode::PartiallyAccepted && !(0 < accepted && accepted < included) {
            return Err(format!(
                "AK901 says the group was partly accepted, but AK9 counts {accepted} of {included} sets accepted."
            ));
        }
        Ok(GroupAck {
            group_control,
            code,
            sets_included: included,
            sets_received: received,
            sets_accepted: accepted,
            sets: self.sets,
            errors,
        })
    }
}

/// IK3: a segment the receiver found wrong ("Segment CLM at position 23 (loop 2300): …").
fn segment_error(seg: &Segment) -> String {
    let loop_words = match seg.el(3) {
        "" => String::new(),
        id => format!(" (loop {id})"),
    };
    format!(
        "Segment {} at position {}{loop_words}: {}",
        seg.el(1),
        seg.el(2),
        segment_error_words(seg.el(4))
    )
}

/// IK4: an element of the IK3 segment ("CLM05-3: Invalid code value “ZZ”").
fn element_error(segment: &str, seg: &Segment, component: char) -> String {
    let mut position = seg.el(1).split(component);
    let element = position.next().unwrap_or_default();
    let name = match (element.parse::<u32>(), position.next()) {
        (Ok(n), Some(part)) if !part.is_empty() => format!("{segment}{n:02}-{part}"),
        (Ok(n), _) => format!("{segment}{n:02}"),
        _ => format!("{segment} element {element}"),
    };
    let bad = match seg.el(4) {
        "" => String::new(),
        value => format!(" (“{value}”)"),
    };
    format!("{name}: {}{bad}", element_error_words(seg.el(3)))
}

/// IK304.
fn segment_error_words(code: &str) -> String {
    match code {
        "1" => "Unrecognized segment".into(),
        "2" => "Unexpected segment".into(),
        "3" => "Required segment missing".into(),
        "4" => "Loop occurs more often than allowed".into(),
        "5" => "Segment used more often than allowed".into(),
        "6" => "Segment not in the transaction set".into(),
        "7" => "Segment out of order".into(),
        "8" => "Segment has data element errors".into(),
        "I4" => "A segment the guide does not use is present".into(),
        "I6" => "A segment the situation requires is missing".into(),
        "I7" => "A loop occurs fewer times than the guide requires".into(),
        "I8" => "A segment occurs fewer times than the guide requires".into(),
        "I9" => "A segment the situation rules out is present".into(),
        other => format!("error code {other}"),
    }
}

/// IK403.
fn element_error_words(code: &str) -> String {
    match code {
        "1" => "Required element missing".into(),
        "2" => "Conditionally required element missing".into(),
        "3" => "Too many elements".into(),
        "4" => "Element too short".into(),
        "5" => "Element too long".into(),
        "6" => "Invalid character".into(),
        "7" => "Invalid code value".into(),
        "8" => "Invalid date".into(),
        "9" => "Invalid time".into(),
        "10" => "Excluded by another element's value".into(),
        "12" => "Too many repetitions".into(),
        "13" => "Too many components".into(),
        "I6" => "Code value the guide does not use".into(),
        "I9" => "An element the situation requires is missing".into(),
        "I10" => "An element the guide does not use is present".into(),
        "I11" => "Too few repetitions".into(),
        "I12" => "Does not match the guide's pattern".into(),
        "I13" => "An element the situation rules out is present".into(),
        other => format!("error code {other}"),
    }
}

/// IK502…IK506.
fn set_error_words(code: &str) -> String {
    match code {
        "1" => "The transaction set is not supported".into(),
        "2" => "The transaction set trailer is missing".into(),
        "3" => "ST02 and SE02 do not match".into(),
        "4" => "SE01 miscounts the segments".into(),
        "5" => "One or more segments are in error".into(),
        "23" => "Transaction set control number not unique in the group".into(),
        "I5" => "The implementation guide named in ST03 is not supported".into(),
        "I6" => "The implementation guide named in ST03 is not valid".into(),
        other => format!("Transaction set error code {other}"),
    }
}

/// AK905…AK909.
fn group_error_words(code: &str) -> String {
    match code {
        "1" => "The functional group is not supported".into(),
        "2" => "The group's version is not supported".into(),
        "3" => "The group trailer is missing".into(),
        "4" => "GS06 and GE02 do not match".into(),
        "5" => "GE01 miscounts the transaction sets".into(),
        "6" => "The group control number is not unique".into(),
        other => format!("Functional group error code {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 999 as a clearinghouse writes one, by hand: `body` between ST and SE.
    fn file(body: &[&str]) -> String {
        let mut segs = vec!["ST*999*0001*005010X231A1".to_owned()];
        segs.extend(body.iter().map(|s| s.to_string()));
        segs.push(format!("SE*{}*0001", segs.len() + 1));
        format!(
            "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*MSEHR          *261207*1200*^*00501*000000777*0*P*:~\
             GS*FA*CLEARINGHOUSE*MSEHR*20261207*1200*777*X*005010X231A1~{}~GE*1*777~IEA*1*000000777~",
            segs.join("~")
        )
    }

    #[test]
    fn an_accepted_group() {
        let ack = parse_999(&file(&[
            "AK1*HC*42*005010X222A1",
            "AK2*837*0001*005010X222A1",
            "IK5*A",
            "AK9*A*1*1*1",
        ]))
        .unwrap();
        assert_eq!(ack.control_number, 777);
        let g = &ack.groups[0];
        assert_eq!(g.group_control, 42);
        assert!(g.accepted());
        assert!(g.all_errors().is_empty());
    }

    #[test]
    fn a_rejection_says_which_segment_and_element() {
        let ack = parse_999(&file(&[
            "AK1*HC*42*005010X222A1",
            "AK2*837*0001*005010X222A1",
            "IK3*CLM*23*2300*8",
            "IK4*5:3*1325*7*9",
            "IK3*NM1*9*2010AA*I6",
            "IK5*R*5",
            "AK9*R*1*1*0",
        ]))
        .unwrap();
        let g = &ack.groups[0];
        assert!(!g.accepted());
        let words: Vec<String> = g.all_errors().into_iter().map(|c| c.words).collect();
        assert_eq!(
            words,
            vec![
                "Segment CLM at position 23 (loop 2300): Segment has data element errors",
                "CLM05-3: Invalid code value (“9”)",
                "Segment NM1 at position 9 (loop 2010AA): A segment the situation requires is missing",
                "One or more segments are in error",
            ]
        );
        let positions: Vec<Option<usize>> = g.all_errors().iter().map(|c| c.position).collect();
        assert_eq!(positions, [Some(23), Some(23), Some(9), None]);
    }

    #[test]
    fn inconsistent_or_foreign_files_are_refused() {
        let cases: [(&[&str], &str); 8] = [
            (&["AK1*HC*42", "AK9*P*1*1*1"], "partly accepted"),
            (
                &["AK1*HC*42", "AK2*837*0002", "IK5*A", "AK9*A*1*1*1"],
                "numbered 0001",
            ),
            (
                &["AK1*HC*42", "AK9*A*1*1*0"],
                "AK901 says the group was accepted",
            ),
            (&["AK1*HC*42", "AK9*R*1*2*0"], "do not add up"),
            (&["AK1*FA*42", "AK9*A*1*1*1"], "not health care claims"),
            (
                &["AK1*HC*42", "AK2*837*0001", "AK9*A*1*1*1"],
                "before the last AK2",
            ),
            (&["AK1*HC*42", "IK4*1*1*1"], "outside an AK2"),
            (&["AK1*HC*x", "AK9*A*1*1*1"], "not a group control number"),
        ];
        for (body, expected) in cases {
            let err = parse_999(&file(body)).unwrap_err();
            assert!(err.contains(expected), "{body:?}: {err}");
        }
        let no_ak9 = parse_999(&file(&["AK1*HC*42"])).unwrap_err();
        assert!(no_ak9.contains("no AK9"), "{no_ak9}");
        let claim_file = file(&[]).replace("ST*999", "ST*837");
        assert!(parse_999(&claim_file).unwrap_err().contains("not a 999"));
    }
}
