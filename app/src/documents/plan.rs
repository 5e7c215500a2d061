//! The structured treatment plan: problems → goals → measurable objectives (target date, status) →
//! interventions (frequency, responsible clinician). It travels inside the plan note's content as
//! JSON (so it is encrypted, signed, hashed and locked with the note); progress notes point at its
//! objectives by "<plan note id>/<objective id>".

use crate::fields::parse_date;
use crate::ids::NoteId;
use serde::{Deserialize, Serialize};

/// The content key that holds the plan.
pub const PLAN_KEY: &str = "treatment_plan";
/// The progress-note content key that lists the objectives addressed (comma-separated references).
pub const OBJECTIVES_KEY: &str = "objectives";

const STATEMENT_MAX_CHARS: usize = 1_000;
const MAX_ITEMS: usize = 30;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TreatmentPlan {
    #[serde(default)]
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub goals: Vec<Goal>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub objectives: Vec<Objective>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Stable within the plan ("o1", "o2", …): what progress notes point at.
    pub id: String,
    #[serde(default)]
    pub statement: String,
    /// MM/DD/YYYY as typed.
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub interventions: Vec<Intervention>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intervention {
    #[serde(default)]
    pub description: String,
    /// "Weekly", "Every session", …
    #[serde(default)]
    pub frequency: String,
    /// The clinician responsible, by name.
    #[serde(default)]
    pub responsible: String,
}

pub const OBJECTIVE_STATUSES: &[(&str, &str)] = &[
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("met", "Met"),
    ("revised", "Revised"),
    ("discontinued", "Discontinued"),
];

impl TreatmentPlan {
    /// The plan in a note's content; an empty plan when there is none yet.
    pub fn from_content(raw: Option<&String>) -> Result<Self, String> {
        match raw.map(|r| r.trim()).filter(|r| !r.is_empty()) {
            None => Ok(Self::default()),
            Some(json) => serde_json::from_str(json)
                .map_err(|_| "The plan could not be read: reload the page.".to_owned()),
        }
    }

    pub fn to_content(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn objectives(&self) -> impl Iterator<Item = &Objective> {
        self.problems
            .iter()
            .flat_map(|p| &p.goals)
            .flat_map(|g| &g.objectives)
    }

    /// An id no objective has yet.
    pub fn next_objective_id(&self) -> String {
        let highest = self
            .objectives()
            .filter_map(|o| o.id.strip_prefix('o')?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        format!("o{}", highest + 1)
    }

    /// Every part of the plan, parents before children, with where it is ("Problem 1, goal 2,
    /// objective 1"): what the checks walk.
    fn parts(&self) -> Vec<(String, Part<'_>)> {
        let mut out = Vec::new();
        for (p, problem) in self.problems.iter().enumerate() {
            let at_problem = format!("Problem {}", p + 1);
            out.push((at_problem.clone(), Part::Problem(problem)));
            for (g, goal) in problem.goals.iter().enumerate() {
                let at_goal = format!("{at_problem}, goal {}", g + 1);
                out.push((at_goal.clone(), Part::Goal(goal)));
                for (o, objective) in goal.objectives.iter().enumerate() {
                    let at_objective = format!("{at_goal}, objective {}", o + 1);
                    out.push((at_objective.clone(), Part::Objective(objective)));
                    for (i, intervention) in objective.interventions.iter().enumerate() {
                        let at = format!("{at_objective}, intervention {}", i + 1);
                        out.push((at, Part::Intervention(intervention)));
                    }
                }
            }
        }
        out
    }

    /// Problems with a draft's shape: sizes, lengths, unique objective ids, known statuses. Each
    /// problem is `(where, message)` with `where` like "Problem 1, goal 2, objective 1".
    pub fn check_draft(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        let too_long = |s: &str| s.chars().count() > STATEMENT_MAX_CHARS;
        let too_many = |n: usize| n > MAX_ITEMS;
        if too_many(self.problems.len()) {
            problems.push(("Plan".into(), format!("At most {MAX_ITEMS} problems.")));
        }
        for (at, part) in self.parts() {
            let mut report = |message: &str| problems.push((at.clone(), message.to_owned()));
            let oversized = match part {
                Part::Problem(p) => too_long(&p.statement) || too_many(p.goals.len()),
                Part::Goal(g) => too_long(&g.statement) || too_many(g.objectives.len()),
                Part::Objective(o) => {
                    if o.id.is_empty() || !ids.insert(o.id.as_str()) {
                        report("Reload the page: this objective has no id of its own.");
                    }
                    if !o.status.is_empty()
                        && !OBJECTIVE_STATUSES.iter().any(|(k, _)| *k == o.status)
                    {
                        report("Choose the status from the list.");
                    }
                    // its interventions' lengths are reported on the objective
                    too_long(&o.statement)
                        || too_many(o.interventions.len())
                        || o.interventions.iter().any(|i| {
                            too_long(&i.description)
                                || too_long(&i.frequency)
                                || too_long(&i.responsible)
                        })
                }
                Part::Intervention(_) => false,
            };
            if oversized {
                report("Too long: shorten it.");
            }
        }
        problems
    }

    /// What signing needs: at least one problem; each with a goal; each goal with a measurable
    /// objective that has a target date and status; each objective with an intervention whose
    /// frequency and responsible clinician are named.
    pub fn check_complete(&self) -> Vec<(String, String)> {
        let mut problems = self.check_draft();
        let blank = |s: &str| s.trim().is_empty();
        if self.problems.is_empty() {
            problems.push(("Plan".into(), "Add at least one problem.".into()));
        }
        for (at, part) in self.parts() {
            let mut report = |message: &str| problems.push((at.clone(), message.to_owned()));
            match part {
                Part::Problem(p) => {
                    if blank(&p.statement) {
                        report("Describe the problem.");
                    }
                    if p.goals.is_empty() {
                        report("Add a goal.");
                    }
                }
                Part::Goal(g) => {
                    if blank(&g.statement) {
                        report("Describe the goal.");
                    }
                    if g.objectives.is_empty() {
                        report("Add a measurable objective.");
                    }
                }
                Part::Objective(o) => {
                    if blank(&o.statement) {
                        report("Describe the objective.");
                    }
                    if parse_date(o.target_date.trim()).is_none() {
                        report("Enter the target date as MM/DD/YYYY.");
                    }
                    if blank(&o.status) {
                        report("Choose the status.");
                    }
                    if o.interventions.is_empty() {
                        report("Add an intervention.");
                    }
                }
                Part::Intervention(i) => {
                    if blank(&i.description) || blank(&i.frequency) || blank(&i.responsible) {
                        report("Describe the intervention, its frequency and who is responsible.");
                    }
                }
            }
        }
        problems
    }

    /// The plan as indented lines, for the read-only view's text and the PDF.
    pub fn outline(&self) -> String {
        let mut lines = Vec::new();
        for (p, problem) in self.problems.iter().enumerate() {
            lines.push(format!("Problem {}: {}", p + 1, problem.statement.trim()));
            for (g, goal) in problem.goals.iter().enumerate() {
                lines.push(format!(
                    "  Goal {}.{}: {}",
                    p + 1,
                    g + 1,
                    goal.statement.trim()
                ));
                for objective in &goal.objectives {
                    lines.push(format!(
                        "    Objective: {} (target {}, {})",
                        objective.statement.trim(),
                        objective.target_date.trim(),
                        status_label(&objective.status)
                    ));
                    for i in &objective.interventions {
                        lines.push(format!(
                            "      Intervention: {} · {} · {}",
                            i.description.trim(),
                            i.frequency.trim(),
                            i.responsible.trim()
                        ));
                    }
                }
            }
        }
        lines.join("\n")
    }
}

/// One level of a plan, as the checks see it.
enum Part<'a> {
    Problem(&'a Problem),
    Goal(&'a Goal),
    Objective(&'a Objective),
    Intervention(&'a Intervention),
}

pub fn status_label(status: &str) -> &str {
    OBJECTIVE_STATUSES
        .iter()
        .find(|(k, _)| *k == status)
        .map_or(status, |(_, l)| l)
}

/// A plan's objective as a progress note may point at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveRef {
    /// "<plan note id>/<objective id>"
    pub key: String,
    /// "Sleep 7 hours on 5 nights a week (target 03/01/2027, In progress)"
    pub label: String,
}

pub fn objective_key(plan: NoteId, objective: &str) -> String {
    format!("{plan}/{objective}")
}

/// The objectives of a signed plan, for progress notes to point at.
pub fn objective_refs(plan_id: NoteId, plan: &TreatmentPlan) -> Vec<ObjectiveRef> {
    plan.objectives()
        .map(|o| ObjectiveRef {
            key: objective_key(plan_id, &o.id),
            label: format!(
                "{} (target {}, {})",
                o.statement.trim(),
                o.target_date.trim(),
                status_label(&o.status)
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> TreatmentPlan {
        TreatmentPlan {
            problems: vec![Problem {
                statement: "Panic attacks at work".into(),
                goals: vec![Goal {
                    statement: "Manage panic without leaving work".into(),
                    objectives: vec![Objective {
                        id: "o1".into(),
                        statement: "Use paced breathing in 4 of 5 attacks".into(),
                        target_date: "03/01/2027".into(),
                        status: "in_progress".into(),
                        interventions: vec![Intervention {
                            description: "CBT for panic".into(),
                            frequency: "Weekly".into(),
                            responsible: "Casey Morgan, LCSW".into(),
                        }],
                    }],
                }],
            }],
        }
    }

    #[test]
    fn a_complete_plan_signs_and_round_trips_through_content() {
        let plan = complete();
        assert!(plan.check_complete().is_empty());
        let back = TreatmentPlan::from_content(Some(&plan.to_content())).unwrap();
        assert_eq!(back, plan);
        assert_eq!(plan.next_objective_id(), "o2");
    }

    #[test]
    fn signing_needs_every_level_filled() {
        assert_eq!(
            TreatmentPlan::default().check_complete(),
            [("Plan".to_owned(), "Add at least one problem.".to_owned())]
        );
        let mut plan = complete();
        let objective = &mut plan.problems[0].goals[0].objectives[0];
        objective.target_date = "someday".into();
        objective.interventions[0].responsible = " ".into();
        let problems = plan.check_complete();
        assert!(problems
            .iter()
            .any(|(at, m)| at == "Problem 1, goal 1, objective 1" && m.contains("target date")));
        assert!(problems
            .iter()
            .any(|(at, _)| at == "Problem 1, goal 1, objective 1, intervention 1"));
    }

    #[test]
    fn drafts_refuse_unknown_statuses_and_repeated_ids() {
        let mut plan = complete();
        let mut twin = plan.problems[0].goals[0].objectives[0].clone();
        twin.status = "finished".into();
        plan.problems[0].goals[0].objectives.push(twin);
        let problems = plan.check_draft();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(TreatmentPlan::from_content(Some(&"{not json".to_owned())).is_err());
    }
}
