//! A reader of X12 interchanges: splits segments with the delimiters ISA declares and checks the
//! envelopes (ISA/IEA, GS/GE, ST/SE counts and control numbers). The tests read our 837P files back
//! with it; acknowledgements and remittances come in through it.

/// One segment: its id and its elements (`elements[0]` is the first after the id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: String,
    pub elements: Vec<String>,
}

impl Segment {
    /// Element `n` counted as X12 does (`CLM02` is `el(2)`); empty when absent.
    pub fn el(&self, n: usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.elements.get(i))
            .map_or("", String::as_str)
    }
}

/// A checked interchange: its segments and what its envelopes said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub segments: Vec<Segment>,
    pub control_number: u32,
    pub component_separator: char,
    pub transaction_sets: usize,
}

/// The largest interchange read (a clearinghouse file of thousands of claims is a few megabytes).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Reads `text` or says what is wrong with it.
pub fn read(text: &str) -> Result<Parsed, String> {
    if text.len() > MAX_BYTES {
        return Err("The file is larger than 20 MB: split it into smaller interchanges.".into());
    }
    let text = text.trim_start();
    if !text.starts_with("ISA") || text.len() < 106 {
        return Err("The file does not start with an ISA segment.".into());
    }
    let bytes = text.as_bytes();
    let element = bytes[3] as char;
    let component = bytes[104] as char;
    let terminator = bytes[105] as char;
    let distinct = element != component && element != terminator && component != terminator;
    if element.is_alphanumeric()
        || terminator.is_alphanumeric()
        || component.is_alphanumeric()
        || !distinct
    {
        return Err("The ISA segment's delimiters are not valid.".into());
    }
    let segments: Vec<Segment> = text
        .split(terminator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut parts = s.split(element).map(str::to_owned);
            Segment {
                id: parts.next().unwrap_or_default(),
                elements: parts.collect(),
            }
        })
        .collect();
    let isa = &segments[0];
    let control: u32 = isa
        .el(13)
        .parse()
        .map_err(|_| "ISA13 is not a control number.")?;
    let Some(iea) = segments.last().filter(|s| s.id == "IEA") else {
        return Err("The file does not end with an IEA segment.".into());
    };
    if iea.el(2).parse::<u32>().ok() != Some(control) {
        return Err("IEA02 does not repeat ISA13.".into());
    }
    let mut groups = 0;
    let mut sets = 0;
    let mut group_control = None;
    let mut set_start: Option<(usize, String)> = None;
    let mut sets_in_group = 0;
    for (i, seg) in segments.iter().enumerate() {
        match seg.id.as_str() {
            "GS" => {
                if group_control.is_some() {
                    return Err("A GS group opens inside another.".into());
                }
                group_control = Some(seg.el(6).to_owned());
                sets_in_group = 0;
            }
            "GE" => {
                if set_start.is_some() {
                    return Err("GE closes a group whose last transaction set is open.".into());
                }
                let Some(gc) = group_control.take() else {
                    return Err("GE without GS.".into());
                };
                if seg.el(2) != gc {
                    return Err("GE02 does not repeat GS06.".into());
                }
                if seg.el(1).parse::<usize>().ok() != Some(sets_in_group) {
                    return Err("GE01 does not count the group's transaction sets.".into());
                }
                groups += 1;
            }
            "ST" => {
                if group_control.is_none() {
                    return Err("An ST transaction set stands outside a GS group.".into());
                }
                if set_start.is_some() {
                    return Err("An ST transaction set opens before the last one closed.".into());
                }
                set_start = Some((i, seg.el(2).to_owned()));
            }
            "SE" => {
                let Some((start, st02)) = set_start.take() else {
                    return Err("SE without ST.".into());
                };
                if seg.el(2) != st02 {
                    return Err("SE02 does not repeat ST02.".into());
                }
                if seg.el(1).parse::<usize>().ok() != Some(i - start + 1) {
                    return Err(format!(
                        "SE01 says {} segments; the set has {}.",
                        seg.el(1),
                        i - start + 1
                    ));
                }
                sets += 1;
                sets_in_group += 1;
            }
            _ => {}
        }
    }
    if iea.el(1).parse::<usize>().ok() != Some(groups) {
        return Err("IEA01 does not count the functional groups.".into());
    }
    if set_start.is_some() || group_control.is_some() {
        return Err("A transaction set or group is not closed.".into());
    }
    Ok(Parsed {
        segments,
        control_number: control,
        component_separator: component,
        transaction_sets: sets,
    })
}
