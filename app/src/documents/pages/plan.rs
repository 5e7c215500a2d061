//! The treatment plan in the editor and on the page: problems → goals → measurable objectives
//! (target date, status) → interventions (frequency, responsible clinician). Each level is added and
//! removed in place; every change is handed on as the plan's JSON, which the note autosaves.

use crate::documents::plan::*;
use leptos::prelude::*;

/// The plan as a form. `on_change` receives the whole plan after each edit.
#[component]
pub fn PlanField(initial: String, author: String, on_change: Callback<String>) -> impl IntoView {
    let plan = RwSignal::new(TreatmentPlan::from_content(Some(&initial)).unwrap_or_default());
    // bumped when levels are added or removed: only then is the form drawn again (typing is not)
    let shape = RwSignal::new(0u32);
    let author = StoredValue::new(author);
    let edit = move |change: Change| {
        plan.update_untracked(|p| change(p));
        on_change.run(plan.with_untracked(TreatmentPlan::to_content));
    };
    let reshape = move |change: Change| {
        edit(change);
        shape.update(|s| *s += 1);
    };
    let new_objective = move |p: &TreatmentPlan| Objective {
        id: p.next_objective_id(),
        status: "not_started".into(),
        interventions: vec![Intervention {
            responsible: author.get_value(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let add_problem = move |_| {
        reshape(Box::new(move |p| {
            let objective = new_objective(p);
            p.problems.push(Problem {
                goals: vec![Goal {
                    objectives: vec![objective],
                    ..Default::default()
                }],
                ..Default::default()
            });
        }))
    };
    view! {
        <div class="plan-editor">
            {move || {
                shape.track();
                let problems = plan.with_untracked(|p| p.problems.clone());
                if problems.is_empty() {
                    return view! { <p class="muted">"No problems yet: add the first one."</p> }.into_any();
                }
                problems.into_iter().enumerate().map(|(pi, problem)| {
                    let n = pi + 1;
                    view! {
                        <fieldset class="plan-problem">
                            <legend>{format!("Problem {n}")}</legend>
                            <PlanText id=format!("plan-p{n}") label=format!("Problem {n}") label_hidden=true value=problem.statement
                                on_input=Callback::new(move |v| edit(Box::new(move |p| p.problems[pi].statement = v)))/>
                            {problem.goals.into_iter().enumerate().map(|(gi, goal)| {
                                let n = format!("{n}.{}", gi + 1);
                                view! {
                                    <fieldset class="plan-goal">
                                        <legend>{format!("Goal {n}")}</legend>
                                        <PlanText id=format!("plan-g{n}") label=format!("Goal {n}") label_hidden=true value=goal.statement
                                            on_input=Callback::new(move |v| edit(Box::new(move |p| p.problems[pi].goals[gi].statement = v)))/>
                                        {goal.objectives.into_iter().enumerate().map(|(oi, objective)| {
                                            let n = format!("{n}.{}", oi + 1);
                                            view! {
                                                <ObjectiveFields n objective pi gi oi edit reshape author/>
                                            }
                                        }).collect_view()}
                                        <button type="button" class="btn btn-small" on:click=move |_| reshape(Box::new(move |p| {
                                            let objective = new_objective(p);
                                            p.problems[pi].goals[gi].objectives.push(objective);
                                        }))>{format!("Add an objective to goal {n}")}</button>
                                        <button type="button" class="btn btn-small btn-quiet" on:click=move |_| reshape(Box::new(move |p| { p.problems[pi].goals.remove(gi); }))>
                                            {format!("Remove goal {n}")}
                                        </button>
                                    </fieldset>
                                }
                                .into_any()
                            }).collect_view()}
                            <button type="button" class="btn btn-small" on:click=move |_| reshape(Box::new(move |p| {
                                let objective = new_objective(p);
                                p.problems[pi].goals.push(Goal { objectives: vec![objective], ..Default::default() });
                            }))>{format!("Add a goal to problem {n}")}</button>
                            <button type="button" class="btn btn-small btn-quiet" on:click=move |_| reshape(Box::new(move |p| { p.problems.remove(pi); }))>
                                {format!("Remove problem {n}")}
                            </button>
                        </fieldset>
                    }
                    .into_any()
                }).collect_view().into_any()
            }}
            <button type="button" class="btn" on:click=add_problem>"Add a problem"</button>
        </div>
    }
    .into_any()
}

type Change = Box<dyn FnOnce(&mut TreatmentPlan)>;

/// One objective: what, by when, how far along, and the interventions toward it.
#[component]
fn ObjectiveFields(
    n: String,
    objective: Objective,
    pi: usize,
    gi: usize,
    oi: usize,
    edit: impl Fn(Change) + Copy + Send + Sync + 'static,
    reshape: impl Fn(Change) + Copy + Send + Sync + 'static,
    author: StoredValue<String>,
) -> impl IntoView {
    fn at(p: &mut TreatmentPlan, pi: usize, gi: usize, oi: usize) -> &mut Objective {
        &mut p.problems[pi].goals[gi].objectives[oi]
    }
    let status_id = format!("plan-o{n}-status");
    view! {
        <fieldset class="plan-objective">
            <legend>{format!("Objective {n}")}</legend>
            <PlanText id=format!("plan-o{n}") label=format!("Objective {n} (measurable)") label_hidden=true
                hint="Measurable: what, how often, how much" value=objective.statement
                on_input=Callback::new(move |v| edit(Box::new(move |p| at(p, pi, gi, oi).statement = v)))/>
            <div class="plan-row">
                <PlanText id=format!("plan-o{n}-target") label=format!("Target date of objective {n}") value=objective.target_date
                    hint="MM/DD/YYYY" short=true
                    on_input=Callback::new(move |v| edit(Box::new(move |p| at(p, pi, gi, oi).target_date = v)))/>
                <div class="field">
                    <label for=status_id.clone()>{format!("Status of objective {n}")}</label>
                    <select id=status_id on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |p| at(p, pi, gi, oi).status = v));
                    }>
                        {OBJECTIVE_STATUSES.iter().map(|(value, label)| view! {
                            <option value=*value selected=objective.status == *value>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {objective.interventions.into_iter().enumerate().map(|(ii, intervention)| {
                let n = format!("{n}.{}", ii + 1);
                let on = move |set: fn(&mut Intervention, String)| Callback::new(move |v: String| {
                    edit(Box::new(move |p| set(&mut at(p, pi, gi, oi).interventions[ii], v)))
                });
                view! {
                    <div class="plan-intervention plan-row">
                        <PlanText id=format!("plan-i{n}") label=format!("Intervention {n}") value=intervention.description short=true
                            on_input=on(|i, v| i.description = v)/>
                        <PlanText id=format!("plan-i{n}-frequency") label=format!("Frequency of intervention {n}") value=intervention.frequency
                            hint="e.g. Weekly" short=true on_input=on(|i, v| i.frequency = v)/>
                        <PlanText id=format!("plan-i{n}-responsible") label=format!("Responsible clinician for intervention {n}") value=intervention.responsible
                            short=true on_input=on(|i, v| i.responsible = v)/>
                        <button type="button" class="btn btn-small btn-quiet" on:click=move |_| reshape(Box::new(move |p| { at(p, pi, gi, oi).interventions.remove(ii); }))>
                            {format!("Remove intervention {n}")}
                        </button>
                    </div>
                }
            }).collect_view()}
            <button type="button" class="btn btn-small" on:click=move |_| reshape(Box::new(move |p| {
                at(p, pi, gi, oi).interventions.push(Intervention { responsible: author.get_value(), ..Default::default() });
            }))>{format!("Add an intervention to objective {n}")}</button>
            <button type="button" class="btn btn-small btn-quiet" on:click=move |_| reshape(Box::new(move |p| { p.problems[pi].goals[gi].objectives.remove(oi); }))>
                {format!("Remove objective {n}")}
            </button>
        </fieldset>
    }
    .into_any()
}

/// A labelled text box of the plan (a text area unless `short`).
#[component]
fn PlanText(
    id: String,
    label: String,
    value: String,
    on_input: Callback<String>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] short: bool,
    /// The fieldset's legend already says what this is: the label is for screen readers only.
    #[prop(optional)]
    label_hidden: bool,
) -> impl IntoView {
    let input = if short {
        view! { <input type="text" id=id.clone() prop:value=value on:input=move |ev| on_input.run(event_target_value(&ev))/> }.into_any()
    } else {
        view! { <textarea id=id.clone() rows="2" prop:value=value on:input=move |ev| on_input.run(event_target_value(&ev))></textarea> }.into_any()
    };
    view! {
        <div class="field">
            <label for=id class:sr-only=label_hidden>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="field-hint">{hint}</p> })}
            {input}
        </div>
    }
    .into_any()
}

/// The signed plan as nested lists (each level's items type-erased: the nesting is deep).
#[component]
pub fn PlanView(plan: TreatmentPlan) -> impl IntoView {
    let intervention = |i: Intervention| {
        view! { <li class="muted">{format!("{} · {} · {}", i.description, i.frequency, i.responsible)}</li> }
            .into_any()
    };
    let objective = move |o: Objective| {
        view! {
            <li>
                {format!("Objective: {} ", o.statement)}
                <span class="muted">{format!("target {} · {}", o.target_date, status_label(&o.status))}</span>
                <ul>{o.interventions.into_iter().map(intervention).collect_view()}</ul>
            </li>
        }
        .into_any()
    };
    let goal = move |g: Goal| {
        view! {
            <li>
                {format!("Goal: {}", g.statement)}
                <ul>{g.objectives.into_iter().map(objective).collect_view()}</ul>
            </li>
        }
        .into_any()
    };
    let problem = move |p: Problem| {
        view! {
            <li>
                <strong>{p.statement}</strong>
                <ol>{p.goals.into_iter().map(goal).collect_view()}</ol>
            </li>
        }
        .into_any()
    };
    view! { <ol class="plan-view">{plan.problems.into_iter().map(problem).collect_view()}</ol> }
        .into_any()
}
