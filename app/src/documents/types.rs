//! Clinical notes as the editor and the server see them: kinds, formats, the sections each kind is
//! written in (one schema drives the editor, the server's checks and the PDF), and the DTOs.

pub use super::plan::{ObjectiveRef, TreatmentPlan, OBJECTIVES_KEY, PLAN_KEY};
use crate::ids::{AppointmentId, ClientId, NoteId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Stored as text with a CHECK; an unknown value is a decoding error, never a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Intake,
    Progress,
    TreatmentPlan,
    Discharge,
    Contact,
    Cancellation,
}

impl NoteKind {
    pub const ALL: [NoteKind; 6] = [
        NoteKind::Intake,
        NoteKind::Progress,
        NoteKind::TreatmentPlan,
        NoteKind::Discharge,
        NoteKind::Contact,
        NoteKind::Cancellation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Intake => "intake",
            NoteKind::Progress => "progress",
            NoteKind::TreatmentPlan => "treatment_plan",
            NoteKind::Discharge => "discharge",
            NoteKind::Contact => "contact",
            NoteKind::Cancellation => "cancellation",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or_else(|| "Choose a kind of note from the list.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Intake => "Intake assessment",
            NoteKind::Progress => "Progress note",
            NoteKind::TreatmentPlan => "Treatment plan",
            NoteKind::Discharge => "Discharge summary",
            NoteKind::Contact => "Contact / collateral note",
            NoteKind::Cancellation => "Cancellation / no-show note",
        }
    }

    /// Progress and cancellation notes document an appointment.
    pub fn needs_appointment(self) -> bool {
        matches!(self, NoteKind::Progress | NoteKind::Cancellation)
    }
}

/// Stored as text with a CHECK; an unknown value is a decoding error, never a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum NoteFormat {
    Soap,
    Dap,
    Birp,
}

impl NoteFormat {
    pub const ALL: [NoteFormat; 3] = [NoteFormat::Soap, NoteFormat::Dap, NoteFormat::Birp];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteFormat::Soap => "soap",
            NoteFormat::Dap => "dap",
            NoteFormat::Birp => "birp",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == raw.trim())
            .ok_or_else(|| "Choose SOAP, DAP or BIRP.".to_owned())
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteFormat::Soap => "SOAP",
            NoteFormat::Dap => "DAP",
            NoteFormat::Birp => "BIRP",
        }
    }
}

/// Stored as text with a CHECK; an unknown value is a decoding error, never a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum NoteStatus {
    Draft,
    AwaitingCosign,
    Returned,
    Signed,
}

impl NoteStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(NoteStatus::Draft),
            "awaiting_cosign" => Some(NoteStatus::AwaitingCosign),
            "returned" => Some(NoteStatus::Returned),
            "signed" => Some(NoteStatus::Signed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteStatus::Draft => "Draft",
            NoteStatus::AwaitingCosign => "Awaiting co-signature",
            NoteStatus::Returned => "Returned for changes",
            NoteStatus::Signed => "Signed",
        }
    }

    /// Its author may still change it.
    pub fn editable(self) -> bool {
        matches!(self, NoteStatus::Draft | NoteStatus::Returned)
    }
}

/// How a section is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Several lines of prose.
    Text,
    /// A date as MM/DD/YYYY (checked when signing).
    Date,
    /// One of a list.
    Choice(&'static [(&'static str, &'static str)]),
    /// Any of a list (stored comma-separated).
    Many(&'static [(&'static str, &'static str)]),
    /// The structured treatment plan (JSON, see [`super::plan`]).
    Plan,
    /// Objectives of the client's signed treatment plans (references, comma-separated).
    Objectives,
}

/// One part of a note: its key in the content, label, input and whether signing needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub key: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    pub hint: &'static str,
}

impl Section {
    /// A stored value as people read it: a choice's label (or the value when it is not in the list),
    /// the plan as an outline, objectives by their statements.
    pub fn shown(&self, value: &str, objectives: &[ObjectiveRef]) -> String {
        let label = |list: &[(&str, &str)], v: &str| {
            list.iter()
                .find(|(k, _)| *k == v)
                .map_or(v.to_owned(), |(_, l)| (*l).to_owned())
        };
        match self.input {
            Input::Text | Input::Date => value.to_owned(),
            Input::Choice(list) => label(list, value),
            Input::Many(list) => value
                .split(',')
                .filter(|v| !v.is_empty())
                .map(|v| label(list, v))
                .collect::<Vec<_>>()
                .join(", "),
            Input::Plan => TreatmentPlan::from_content(Some(&value.to_owned()))
                .map(|p| p.outline())
                .unwrap_or_default(),
            Input::Objectives => value
                .split(',')
                .filter(|v| !v.is_empty())
                .map(|v| {
                    objectives
                        .iter()
                        .find(|o| o.key == v)
                        .map_or("An objective of an earlier plan".to_owned(), |o| {
                            o.label.clone()
                        })
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

const fn text(
    key: &'static str,
    label: &'static str,
    required: bool,
    hint: &'static str,
) -> Section {
    Section {
        key,
        label,
        input: Input::Text,
        required,
        hint,
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    list: &'static [(&'static str, &'static str)],
    required: bool,
) -> Section {
    Section {
        key,
        label,
        input: Input::Choice(list),
        required,
        hint: "",
    }
}

pub const RISK_LEVELS: &[(&str, &str)] = &[
    ("none", "None"),
    ("low", "Low"),
    ("moderate", "Moderate"),
    ("high", "High"),
    ("imminent", "Imminent"),
];
const PRESENT: &[(&str, &str)] = &[
    ("denied", "Denied"),
    ("passive", "Passive"),
    ("active", "Active"),
];
const YES_NO: &[(&str, &str)] = &[("no", "No"), ("yes", "Yes")];

pub const INTERVENTIONS: &[(&str, &str)] = &[
    ("cbt", "Cognitive behavioral"),
    ("dbt", "DBT skills"),
    ("mi", "Motivational interviewing"),
    ("psychoeducation", "Psychoeducation"),
    ("supportive", "Supportive therapy"),
    ("mindfulness", "Mindfulness / relaxation"),
    ("exposure", "Exposure"),
    ("emdr", "EMDR"),
    ("family_systems", "Family systems"),
    ("safety_planning", "Safety planning"),
    ("solution_focused", "Solution-focused"),
];

const APPEARANCE: &[(&str, &str)] = &[
    ("appropriate", "Appropriate, well groomed"),
    ("disheveled", "Disheveled"),
    ("unusual", "Unusual"),
];
const BEHAVIOR: &[(&str, &str)] = &[
    ("cooperative", "Cooperative"),
    ("guarded", "Guarded"),
    ("agitated", "Agitated"),
    ("withdrawn", "Withdrawn"),
];
const SPEECH: &[(&str, &str)] = &[
    ("normal", "Normal rate and volume"),
    ("pressured", "Pressured"),
    ("slowed", "Slowed"),
    ("soft", "Soft"),
];
const MOOD: &[(&str, &str)] = &[
    ("euthymic", "Euthymic"),
    ("depressed", "Depressed"),
    ("anxious", "Anxious"),
    ("irritable", "Irritable"),
    ("elevated", "Elevated"),
];
const AFFECT: &[(&str, &str)] = &[
    ("congruent", "Full, congruent"),
    ("constricted", "Constricted"),
    ("flat", "Flat"),
    ("labile", "Labile"),
];
const THOUGHT_PROCESS: &[(&str, &str)] = &[
    ("linear", "Linear, goal-directed"),
    ("tangential", "Tangential"),
    ("circumstantial", "Circumstantial"),
    ("disorganized", "Disorganized"),
];
const ORIENTATION: &[(&str, &str)] = &[
    ("x4", "Oriented ×4"),
    ("partial", "Partially oriented"),
    ("disoriented", "Disoriented"),
];
const INSIGHT: &[(&str, &str)] = &[("good", "Good"), ("fair", "Fair"), ("poor", "Poor")];

const RISK_LEVEL: Section = choice("risk_level", "Overall risk level", RISK_LEVELS, true);
const RISK_EXPLANATION: Section = text(
    "risk_explanation",
    "Risk explanation",
    false,
    "Required when the risk level is not None.",
);
const INTERVENTIONS_USED: Section = Section {
    key: "interventions",
    label: "Interventions used",
    input: Input::Many(INTERVENTIONS),
    required: true,
    hint: "",
};

const SOAP: &[Section] = &[
    text("subjective", "Subjective", true, "What the client reports."),
    text("objective", "Objective", true, "What you observed."),
    text(
        "assessment",
        "Assessment",
        true,
        "Your clinical impression and progress.",
    ),
    text("plan", "Plan", true, "Next steps and homework."),
];
const DAP: &[Section] = &[
    text(
        "data",
        "Data",
        true,
        "What the client reports and you observed.",
    ),
    text(
        "assessment",
        "Assessment",
        true,
        "Your clinical impression and progress.",
    ),
    text("plan", "Plan", true, "Next steps and homework."),
];
const BIRP: &[Section] = &[
    text(
        "behavior",
        "Behavior",
        true,
        "The client's presentation and report.",
    ),
    text("intervention", "Intervention", true, "What you did."),
    text("response", "Response", true, "How the client responded."),
    text("plan", "Plan", true, "Next steps and homework."),
];
const OBJECTIVES_ADDRESSED: Section = Section {
    key: OBJECTIVES_KEY,
    label: "Treatment plan objectives addressed",
    input: Input::Objectives,
    required: false,
    hint: "From the client's signed treatment plan.",
};
const PROGRESS_COMMON: &[Section] = &[
    OBJECTIVES_ADDRESSED,
    INTERVENTIONS_USED,
    RISK_LEVEL,
    RISK_EXPLANATION,
];

const INTAKE: &[Section] = &[
    text("presenting_problem", "Presenting problem", true, ""),
    text("history_psychiatric", "Psychiatric history", true, ""),
    text("history_medical", "Medical history", false, ""),
    text("history_substance", "Substance use", true, ""),
    text("history_family", "Family history", false, ""),
    text("history_social", "Social history", false, ""),
    choice("mse_appearance", "Appearance", APPEARANCE, true),
    choice("mse_behavior", "Behavior", BEHAVIOR, true),
    choice("mse_speech", "Speech", SPEECH, true),
    choice("mse_mood", "Mood", MOOD, true),
    choice("mse_affect", "Affect", AFFECT, true),
    choice(
        "mse_thought_process",
        "Thought process",
        THOUGHT_PROCESS,
        true,
    ),
    choice("mse_orientation", "Orientation", ORIENTATION, true),
    choice("mse_insight", "Insight and judgment", INSIGHT, true),
    choice("risk_suicide_ideation", "Suicidal ideation", PRESENT, true),
    choice("risk_suicide_plan", "Plan", YES_NO, true),
    choice("risk_suicide_intent", "Intent", YES_NO, true),
    choice("risk_means", "Access to means", YES_NO, true),
    choice("risk_self_harm", "Self-harm", PRESENT, true),
    choice("risk_violence", "Thoughts of harming others", PRESENT, true),
    text("risk_protective", "Protective factors", true, ""),
    RISK_LEVEL,
    RISK_EXPLANATION,
    text(
        "safety_plan",
        "Safety plan",
        false,
        "Required when the risk level is not None.",
    ),
    text(
        "diagnostic_impression",
        "Diagnostic impression",
        true,
        "The chart's diagnoses are listed with the note.",
    ),
    text("recommendations", "Recommendations", true, ""),
];
const TREATMENT_PLAN: &[Section] = &[
    Section {
        key: PLAN_KEY,
        label: "Problems, goals, objectives and interventions",
        input: Input::Plan,
        required: true,
        hint: "Each objective measurable, with a target date and status; each intervention with its frequency and the clinician responsible.",
    },
    Section {
        key: "review_date",
        label: "Review date",
        input: Input::Date,
        required: true,
        hint: "MM/DD/YYYY",
    },
    choice(
        "client_agreement",
        "Client agreement",
        &[
            ("agreed", "Client agreed to the plan"),
            ("declined", "Client declined"),
            ("pending", "Not yet discussed"),
        ],
        true,
    ),
];
const DISCHARGE: &[Section] = &[
    text("reason", "Reason for discharge", true, ""),
    text("course", "Course of treatment", true, ""),
    text("status_at_discharge", "Status at discharge", true, ""),
    RISK_LEVEL,
    RISK_EXPLANATION,
    text("referrals", "Referrals and aftercare", false, ""),
];
const CONTACT: &[Section] = &[
    text(
        "contact_with",
        "Contact with",
        true,
        "Who, and their relation to the client (consent on file).",
    ),
    text("summary", "Summary", true, ""),
    text("follow_up", "Follow-up", false, ""),
];
const CANCELLATION: &[Section] = &[
    text(
        "what_happened",
        "What happened",
        true,
        "Cancelled or no-show, who was told, outreach made.",
    ),
    text("follow_up", "Follow-up", false, ""),
];

/// The sections of a note, in the order they are written.
pub fn sections(kind: NoteKind, format: Option<NoteFormat>) -> Vec<&'static Section> {
    match kind {
        NoteKind::Progress => {
            let body = match format.unwrap_or(NoteFormat::Soap) {
                NoteFormat::Soap => SOAP,
                NoteFormat::Dap => DAP,
                NoteFormat::Birp => BIRP,
            };
            body.iter().chain(PROGRESS_COMMON).collect()
        }
        NoteKind::Intake => INTAKE.iter().collect(),
        NoteKind::TreatmentPlan => TREATMENT_PLAN.iter().collect(),
        NoteKind::Discharge => DISCHARGE.iter().collect(),
        NoteKind::Contact => CONTACT.iter().collect(),
        NoteKind::Cancellation => CANCELLATION.iter().collect(),
    }
}

/// The most text one section may hold.
pub const SECTION_MAX_CHARS: usize = 20_000;

/// Prose typed as a whole (an addendum, a psychotherapy note): trimmed, present, not too long.
pub fn parse_prose(raw: &str, missing: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(missing.to_owned());
    }
    if text.chars().count() > SECTION_MAX_CHARS {
        return Err(format!("At most {SECTION_MAX_CHARS} characters."));
    }
    Ok(text.to_owned())
}

/// A client chosen in a form.
pub fn parse_client(raw: &str) -> Result<ClientId, String> {
    raw.trim()
        .parse::<ClientId>()
        .map_err(|_| "Choose the client.".to_owned())
}

/// A note's content: section key → text (choices as their values; several comma-separated).
pub type NoteContent = BTreeMap<String, String>;

/// Checks content as saved (a draft may be incomplete): known sections, sane lengths, valid choices.
pub fn check_draft(
    kind: NoteKind,
    format: Option<NoteFormat>,
    content: &NoteContent,
) -> Result<(), Vec<(String, String)>> {
    let known = sections(kind, format);
    let mut problems = Vec::new();
    for (key, value) in content {
        let Some(section) = known.iter().find(|s| s.key == key) else {
            problems.push((key.clone(), "This note has no such section.".to_owned()));
            continue;
        };
        if value.chars().count() > SECTION_MAX_CHARS {
            problems.push((
                key.clone(),
                format!("At most {SECTION_MAX_CHARS} characters."),
            ));
        }
        let allowed = |list: &[(&str, &str)], v: &str| list.iter().any(|(k, _)| *k == v);
        let ok = match section.input {
            Input::Text | Input::Date => true,
            Input::Choice(list) => value.is_empty() || allowed(list, value),
            Input::Many(list) => value
                .split(',')
                .filter(|v| !v.is_empty())
                .all(|v| allowed(list, v)),
            Input::Plan => {
                match TreatmentPlan::from_content(Some(value)) {
                    Ok(plan) => problems.extend(
                        plan.check_draft()
                            .into_iter()
                            .map(|(at, m)| (key.clone(), format!("{at}: {m}"))),
                    ),
                    Err(m) => problems.push((key.clone(), m)),
                }
                true
            }
            // which objectives exist is the server's to check (they live in other notes)
            Input::Objectives => value.split(',').all(|v| v.len() <= 80),
        };
        if !ok {
            problems.push((key.clone(), "Choose from the list.".to_owned()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Checks content for signing: every required section written, and a risk level above None explained
/// (with a safety plan in an intake).
pub fn check_complete(
    kind: NoteKind,
    format: Option<NoteFormat>,
    content: &NoteContent,
) -> Result<(), Vec<(String, String)>> {
    check_draft(kind, format, content)?;
    let filled = |key: &str| content.get(key).is_some_and(|v| !v.trim().is_empty());
    let mut problems: Vec<(String, String)> = sections(kind, format)
        .into_iter()
        .filter(|s| s.required && !filled(s.key))
        .map(|s| {
            (
                s.key.to_owned(),
                format!("{} is needed before signing.", s.label),
            )
        })
        .collect();
    let risky = content
        .get("risk_level")
        .is_some_and(|r| !r.is_empty() && r != "none");
    if risky && !filled("risk_explanation") {
        problems.push((
            "risk_explanation".into(),
            "Explain the risk level: it is above None.".into(),
        ));
    }
    if kind == NoteKind::TreatmentPlan {
        let plan = TreatmentPlan::from_content(content.get(PLAN_KEY)).unwrap_or_default();
        problems.extend(
            plan.check_complete()
                .into_iter()
                .filter(|(at, _)| at != "Plan" || filled(PLAN_KEY))
                .map(|(at, m)| (PLAN_KEY.to_owned(), format!("{at}: {m}"))),
        );
        let review = content.get("review_date").map_or("", |v| v.trim());
        if !review.is_empty() && crate::fields::parse_date(review).is_none() {
            problems.push((
                "review_date".into(),
                "Enter the review date as MM/DD/YYYY.".into(),
            ));
        }
    }
    if risky && kind == NoteKind::Intake && !filled("safety_plan") {
        problems.push((
            "safety_plan".into(),
            "Write the safety plan: the risk level is above None.".into(),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A note in a list (metadata only: what billers and administrators may see).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteSummary {
    pub id: NoteId,
    pub client_id: ClientId,
    pub client_name: String,
    pub kind: NoteKind,
    pub format: Option<NoteFormat>,
    pub service_date: NaiveDate,
    pub status: NoteStatus,
    pub author_name: String,
    pub signed_at: Option<DateTime<Utc>>,
    pub appointment_id: Option<AppointmentId>,
    /// The appointment type's service code, when the note documents one.
    pub service: Option<String>,
}

impl NoteSummary {
    /// "Progress note (SOAP)", or the kind alone.
    pub fn title(&self) -> String {
        match self.format {
            Some(f) => format!("{} ({})", self.kind.label(), f.label()),
            None => self.kind.label().to_owned(),
        }
    }
}

/// A completed appointment whose progress note is not signed yet, past or near its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UndocumentedSession {
    pub appointment_id: AppointmentId,
    pub client_id: ClientId,
    pub client_name: String,
    pub clinician_name: String,
    /// "12/01/2026 10:00 AM"
    pub when: String,
    pub due: DateTime<Utc>,
    pub overdue: bool,
    /// A draft (or returned note) exists.
    pub drafted: Option<NoteId>,
    /// The caller's own session (a supervisor also sees supervisees').
    pub mine: bool,
}

/// A note as its readers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    pub summary: NoteSummary,
    pub author_id: UserId,
    pub content: NoteContent,
    pub revision: i32,
    /// "Tuesday 12/01/2026, 10:00 AM – 10:53 AM · Telehealth · Ann C., Bo C."
    pub session: Option<String>,
    /// The chart's diagnoses ("F41.1 Generalized anxiety disorder"), for the impression.
    pub diagnoses: Vec<String>,
    /// "Signed by Casey Morgan, LCSW on 12/01/2026 4:05 PM CST"
    pub signature: Option<String>,
    pub cosignature: Option<String>,
    /// The signed content still hashes to what was stored at signing.
    pub hash_verified: Option<bool>,
    /// The SHA-256 digest stored at signing, in hex.
    pub digest: Option<String>,
    /// For a progress note: the objectives of the client's signed treatment plans, newest plan
    /// first (what the editor offers, and how the objectives addressed are named).
    pub objectives: Vec<ObjectiveRef>,
    pub addenda: Vec<Addendum>,
    /// The supervisor's comments when the note was returned, newest last.
    pub reviews: Vec<String>,
    /// The caller may edit (author, draft or returned), co-sign (the awaited supervisor), add an addendum.
    pub can_edit: bool,
    pub can_cosign: bool,
    pub can_add_addendum: bool,
    /// Read under emergency access: no release, and the page says so.
    pub emergency: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Addendum {
    pub text: String,
    /// "Casey Morgan, LCSW · 12/02/2026 9:14 AM CST"
    pub signed: String,
}

/// A measure as the form sends it: answers comma-separated in item order (`0,1,2,…`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeasureInput {
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub instrument: String,
    #[serde(default)]
    pub answers: String,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub administered_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureResult {
    pub id: crate::ids::MeasureId,
    pub instrument: crate::documents::measures::Instrument,
    pub administered_on: NaiveDate,
    pub total: i32,
    pub severity: String,
    pub answers: Vec<i16>,
}

/// A saved version of a note (autosave keeps one every few minutes, and one at each signing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteVersion {
    pub revision: i32,
    /// "12/01/2026 4:05 PM CST · Casey Morgan"
    pub saved: String,
    pub content: NoteContent,
}

/// An alert waiting for the clinician to acknowledge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClinicalAlert {
    pub id: crate::ids::AlertId,
    pub client_id: ClientId,
    pub client_name: String,
    /// "PHQ-9 item 9 answered 2 (More than half the days) on 12/01/2026"
    pub what: String,
    /// "12/01/2026 4:05 PM"
    pub raised: String,
}

/// A psychotherapy (process) note as its author sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessNote {
    pub id: crate::ids::ProcessNoteId,
    pub text: String,
    /// "12/01/2026 4:05 PM CST"
    pub written: String,
}

/// What a note's autosave or signing answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub revision: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(pairs: &[(&str, &str)]) -> NoteContent {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn drafts_may_be_incomplete_but_not_unknown() {
        let soap = Some(NoteFormat::Soap);
        assert!(check_draft(NoteKind::Progress, soap, &content(&[("subjective", "x")])).is_ok());
        let err = check_draft(NoteKind::Progress, soap, &content(&[("data", "x")])).unwrap_err();
        assert_eq!(err[0].0, "data");
        let err = check_draft(
            NoteKind::Progress,
            soap,
            &content(&[("risk_level", "severe")]),
        )
        .unwrap_err();
        assert_eq!(err[0].1, "Choose from the list.");
        assert!(check_draft(
            NoteKind::Progress,
            soap,
            &content(&[("interventions", "cbt,mi")])
        )
        .is_ok());
    }

    #[test]
    fn signing_needs_every_required_section_and_explained_risk() {
        let soap = Some(NoteFormat::Soap);
        let mut c = content(&[
            ("subjective", "s"),
            ("objective", "o"),
            ("assessment", "a"),
            ("plan", "p"),
            ("interventions", "cbt"),
            ("risk_level", "none"),
        ]);
        assert!(check_complete(NoteKind::Progress, soap, &c).is_ok());
        c.insert("risk_level".into(), "low".into());
        let err = check_complete(NoteKind::Progress, soap, &c).unwrap_err();
        assert_eq!(
            err,
            vec![(
                "risk_explanation".to_owned(),
                "Explain the risk level: it is above None.".to_owned()
            )]
        );
        c.remove("plan");
        let err = check_complete(NoteKind::Progress, soap, &c).unwrap_err();
        assert!(err.iter().any(|(k, _)| k == "plan"));
    }

    #[test]
    fn each_format_has_its_sections() {
        let keys = |f| {
            sections(NoteKind::Progress, Some(f))
                .iter()
                .map(|s| s.key)
                .collect::<Vec<_>>()
        };
        assert_eq!(&keys(NoteFormat::Dap)[..3], ["data", "assessment", "plan"]);
        assert_eq!(
            &keys(NoteFormat::Birp)[..4],
            ["behavior", "intervention", "response", "plan"]
        );
        assert!(keys(NoteFormat::Soap).contains(&"risk_level"));
    }
}
