//! Scored measures: the PHQ-9 and GAD-7 (public-domain instruments by Spitzer, Williams, Kroenke and
//! colleagues), with their exact wording, scoring and severity bands. Compiled for the browser too, so
//! the form shows the total as answers are chosen; the server scores again before storing.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    Phq9,
    Gad7,
}

/// The four answers every item of both instruments offers.
pub const ANSWERS: [(i16, &str); 4] = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
];

const PHQ9_ITEMS: [&str; 9] = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
];

const GAD7_ITEMS: [&str; 7] = [
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
];

/// (lowest total of the band, its name), lowest band first.
const PHQ9_BANDS: [(i32, &str); 5] = [
    (0, "Minimal"),
    (5, "Mild"),
    (10, "Moderate"),
    (15, "Moderately severe"),
    (20, "Severe"),
];
const GAD7_BANDS: [(i32, &str); 4] = [
    (0, "Minimal"),
    (5, "Mild"),
    (10, "Moderate"),
    (15, "Severe"),
];

impl Instrument {
    pub const ALL: [Instrument; 2] = [Instrument::Phq9, Instrument::Gad7];

    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::Phq9 => "phq9",
            Instrument::Gad7 => "gad7",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "phq9" => Ok(Instrument::Phq9),
            "gad7" => Ok(Instrument::Gad7),
            _ => Err("Choose the PHQ-9 or the GAD-7.".into()),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Instrument::Phq9 => "PHQ-9",
            Instrument::Gad7 => "GAD-7",
        }
    }

    pub fn stem(self) -> &'static str {
        match self {
            Instrument::Phq9 => {
                "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
            }
            Instrument::Gad7 => {
                "Over the last 2 weeks, how often have you been bothered by the following problems?"
            }
        }
    }

    pub fn items(self) -> &'static [&'static str] {
        match self {
            Instrument::Phq9 => &PHQ9_ITEMS,
            Instrument::Gad7 => &GAD7_ITEMS,
        }
    }

    /// The highest possible total (27 or 21).
    pub fn max_total(self) -> i32 {
        3 * self.items().len() as i32
    }

    /// Severity bands, lowest first: (lowest total, name).
    pub fn bands(self) -> &'static [(i32, &'static str)] {
        match self {
            Instrument::Phq9 => &PHQ9_BANDS,
            Instrument::Gad7 => &GAD7_BANDS,
        }
    }

    /// Checks the answers (one per item, each 0–3) and scores them.
    pub fn score(self, answers: &[i16]) -> Result<Score, String> {
        if answers.len() != self.items().len() {
            return Err(format!(
                "Answer all {} questions of the {}.",
                self.items().len(),
                self.name()
            ));
        }
        if let Some(i) = answers.iter().position(|a| !(0..=3).contains(a)) {
            return Err(format!("Question {} has no valid answer.", i + 1));
        }
        let total: i32 = answers.iter().map(|&a| i32::from(a)).sum();
        Ok(Score {
            total,
            severity: self.severity(total),
            // PHQ-9 item 9: thoughts of being better off dead or of self-harm
            self_harm_risk: self == Instrument::Phq9 && answers[8] > 0,
        })
    }

    /// The band a total falls in.
    pub fn severity(self, total: i32) -> &'static str {
        self.bands()
            .iter()
            .rev()
            .find(|(low, _)| total >= *low)
            .map_or("Minimal", |(_, name)| name)
    }
}

/// A scored administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub total: i32,
    pub severity: &'static str,
    /// PHQ-9 item 9 answered above "Not at all".
    pub self_harm_risk: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_cut_points() {
        let phq = Instrument::Phq9;
        let cases = [
            (0, "Minimal"),
            (4, "Minimal"),
            (5, "Mild"),
            (9, "Mild"),
            (10, "Moderate"),
            (14, "Moderate"),
            (15, "Moderately severe"),
            (19, "Moderately severe"),
            (20, "Severe"),
            (27, "Severe"),
        ];
        for (total, band) in cases {
            assert_eq!(phq.severity(total), band, "PHQ-9 total {total}");
        }
        let gad = Instrument::Gad7;
        for (total, band) in [
            (4, "Minimal"),
            (5, "Mild"),
            (10, "Moderate"),
            (14, "Moderate"),
            (15, "Severe"),
            (21, "Severe"),
        ] {
            assert_eq!(gad.severity(total), band, "GAD-7 total {total}");
        }
    }

    #[test]
    fn incomplete_or_out_of_range_answers_are_refused() {
        assert!(Instrument::Phq9
            .score(&[0; 8])
            .unwrap_err()
            .contains("all 9"));
        assert!(Instrument::Gad7
            .score(&[0, 1, 2, 3, 4, 0, 0])
            .unwrap_err()
            .contains("Question 5"));
        assert!(Instrument::Gad7.score(&[0, 0, 0, 0, 0, 0, -1]).is_err());
    }

    #[test]
    fn wording_is_complete() {
        assert_eq!(Instrument::Phq9.items().len(), 9);
        assert_eq!(Instrument::Gad7.items().len(), 7);
        assert_eq!(Instrument::Phq9.max_total(), 27);
        assert_eq!(Instrument::Gad7.max_total(), 21);
    }

    /// The published bands, written out independently of the tables above.
    fn expected_band(instrument: Instrument, total: i32) -> &'static str {
        match (instrument, total) {
            (_, 0..=4) => "Minimal",
            (_, 5..=9) => "Mild",
            (_, 10..=14) => "Moderate",
            (Instrument::Phq9, 15..=19) => "Moderately severe",
            _ => "Severe",
        }
    }

    mod every_answer_combination {
        use super::*;
        use proptest::prelude::*;

        fn answers(n: usize) -> impl Strategy<Value = Vec<i16>> {
            proptest::collection::vec(0i16..=3, n)
        }

        proptest! {
            #[test]
            fn phq9_total_band_and_item_9(a in answers(9)) {
                let s = Instrument::Phq9.score(&a).unwrap();
                let total: i32 = a.iter().map(|&x| i32::from(x)).sum();
                prop_assert_eq!(s.total, total);
                prop_assert!((0..=27).contains(&s.total));
                prop_assert_eq!(s.severity, expected_band(Instrument::Phq9, total));
                prop_assert_eq!(s.self_harm_risk, a[8] > 0);
            }

            #[test]
            fn gad7_total_and_band(a in answers(7)) {
                let s = Instrument::Gad7.score(&a).unwrap();
                let total: i32 = a.iter().map(|&x| i32::from(x)).sum();
                prop_assert_eq!(s.total, total);
                prop_assert_eq!(s.severity, expected_band(Instrument::Gad7, total));
                prop_assert!(!s.self_harm_risk);
            }
        }
    }

    /// All 4^9 = 262,144 PHQ-9 answer sets and 4^7 GAD-7 sets, exhaustively (cheap: no I/O).
    #[test]
    fn exhaustively_every_answer_set() {
        for instrument in Instrument::ALL {
            let n = instrument.items().len() as u32;
            for code in 0..4u32.pow(n) {
                let answers: Vec<i16> = (0..n).map(|i| ((code / 4u32.pow(i)) % 4) as i16).collect();
                let s = instrument.score(&answers).unwrap();
                assert_eq!(s.total, answers.iter().map(|&x| i32::from(x)).sum::<i32>());
                assert!(s.total <= instrument.max_total());
                assert_eq!(s.severity, expected_band(instrument, s.total));
                assert_eq!(
                    s.self_harm_risk,
                    instrument == Instrument::Phq9 && answers[8] > 0
                );
            }
        }
    }
}
