//! PHQ-9 and GAD-7 on the chart: a trend of totals over time with the severity bands shaded (inline
//! SVG, drawn here), and the questionnaire to enter one, totalled as it is answered.

use crate::documents::api::{client_measures, RecordMeasure};
use crate::documents::measures::{Instrument, ANSWERS};
use crate::documents::types::MeasureResult;
use crate::ids::ClientId;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes};
use leptos::prelude::*;

/// `read_only`: the trend without the questionnaire (a chart open under emergency access).
#[component]
pub fn MeasuresSection(client_id: ClientId, #[prop(optional)] read_only: bool) -> impl IntoView {
    let record = ServerAction::<RecordMeasure>::new();
    let recorded = successes(record.value());
    let results = Resource::new(
        move || (client_id, recorded.get()),
        |(c, _)| client_measures(c),
    );
    view! {
        <section class="card" aria-labelledby="measures-title">
            <h2 id="measures-title">"Measures"</h2>
            <Transition fallback=|| view! { <Loading label="Loading measures…"/> }>
                {move || Suspend::new(async move {
                    results.await.map(|all| {
                        if all.is_empty() {
                            return view! { <p class="muted">"No PHQ-9 or GAD-7 yet."</p> }.into_any();
                        }
                        Instrument::ALL.into_iter().map(|instrument| {
                            let series: Vec<MeasureResult> = all.iter().filter(|m| m.instrument == instrument).cloned().collect();
                            (!series.is_empty()).then(|| view! { <TrendChart instrument series/> })
                        }).collect_view().into_any()
                    })
                })}
            </Transition>
            {(!read_only).then(|| view! { <Questionnaire client_id record/> })}
        </section>
    }
    .into_any()
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 180.0;
const PAD_LEFT: f64 = 34.0;
const PAD_BOTTOM: f64 = 22.0;

/// Totals over time on the instrument's scale, its severity bands as shaded stripes.
#[component]
fn TrendChart(instrument: Instrument, series: Vec<MeasureResult>) -> impl IntoView {
    let (Some(first), Some(latest)) = (series.first(), series.last()) else {
        return ().into_any();
    };
    let (first, last, latest) = (
        first.administered_on,
        latest.administered_on,
        latest.clone(),
    );
    let max = f64::from(instrument.max_total());
    let plot_h = HEIGHT - PAD_BOTTOM - 6.0;
    let y = move |total: f64| 6.0 + plot_h * (1.0 - total / max);
    let span = ((last - first).num_days().max(1)) as f64;
    let x = move |day: chrono::NaiveDate| {
        if series_is_single(first, last) {
            PAD_LEFT + (WIDTH - PAD_LEFT) / 2.0
        } else {
            PAD_LEFT + 10.0 + (WIDTH - PAD_LEFT - 20.0) * ((day - first).num_days() as f64 / span)
        }
    };
    let bands = instrument.bands();
    let shades = ["#eef6ee", "#f6f3e4", "#fbeedd", "#f8e3dc", "#f3d9d9"];
    let stripes = bands.iter().enumerate().map(|(i, (low, name))| {
        let high = bands.get(i + 1).map_or(max + 1.0, |(next, _)| f64::from(*next));
        let (top, bottom) = (y((high - 1.0).min(max)), y(f64::from(*low)));
        view! {
            <g>
                <rect x=PAD_LEFT y=top - 0.5 width=WIDTH - PAD_LEFT height=(bottom - top + 1.0).max(1.0) fill=shades[i.min(shades.len() - 1)]/>
                <text x=WIDTH - 4.0 y=top + 11.0 text-anchor="end" class="chart-band">{*name}</text>
            </g>
        }
    }).collect_view();
    let points = series
        .iter()
        .map(|m| format!("{:.1},{:.1}", x(m.administered_on), y(f64::from(m.total))))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = series.iter().map(|m| view! {
        <circle cx=x(m.administered_on) cy=y(f64::from(m.total)) r="4" class="chart-dot">
            <title>{format!("{}: {} ({})", m.administered_on.format("%m/%d/%Y"), m.total, m.severity)}</title>
        </circle>
    }).collect_view();
    let summary = format!(
        "{} trend: {} results from {} to {}; latest {} ({}) on {}.",
        instrument.name(),
        series.len(),
        first.format("%m/%d/%Y"),
        last.format("%m/%d/%Y"),
        latest.total,
        latest.severity,
        latest.administered_on.format("%m/%d/%Y")
    );
    view! {
        <figure class="trend">
            <figcaption><strong>{instrument.name()}</strong>" "<span class="muted">{format!("latest {} · {}", latest.total, latest.severity)}</span></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary class="trend-chart">
                {stripes}
                <text x="4" y=y(max) + 4.0 class="chart-axis">{instrument.max_total()}</text>
                <text x="4" y=y(0.0) + 4.0 class="chart-axis">"0"</text>
                <text x=PAD_LEFT y=HEIGHT - 4.0 class="chart-axis">{first.format("%m/%d").to_string()}</text>
                <text x=WIDTH - 4.0 y=HEIGHT - 4.0 text-anchor="end" class="chart-axis">{last.format("%m/%d").to_string()}</text>
                <polyline points=points class="chart-line" fill="none"/>
                {dots}
            </svg>
        </figure>
    }
    .into_any()
}

fn series_is_single(first: chrono::NaiveDate, last: chrono::NaiveDate) -> bool {
    first == last
}

/// The instrument's questions with the four answers each, the total kept up to date.
#[component]
fn Questionnaire(client_id: ClientId, record: ServerAction<RecordMeasure>) -> impl IntoView {
    let instrument = RwSignal::new(Instrument::Phq9);
    let answers = RwSignal::new(vec![None::<i16>; 9]);
    let result = record.value();
    let total = move || answers.with(|a| a.iter().flatten().map(|&v| i32::from(v)).sum::<i32>());
    let complete = move || answers.with(|a| a.iter().all(Option::is_some));
    let joined = move || {
        answers.with(|a| {
            a.iter()
                .map(|v| v.map(|v| v.to_string()).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let today = crate::ui::clock::practice_clock()()
        .format("%Y-%m-%d")
        .to_string();
    view! {
        <details class="questionnaire">
            <summary>"Enter a PHQ-9 or GAD-7"</summary>
            <ActionForm action=record attr:novalidate="true">
                <input type="hidden" name="measure[client_id]" value=client_id.to_string()/>
                <input type="hidden" name="measure[answers]" prop:value=joined/>
                <div class="form-row">
                    <div class="field">
                        <label for="measure-instrument">"Questionnaire"</label>
                        <select id="measure-instrument" name="measure[instrument]" on:change=move |ev| {
                            let chosen = Instrument::parse(&event_target_value(&ev)).unwrap_or(Instrument::Phq9);
                            instrument.set(chosen);
                            answers.set(vec![None; chosen.items().len()]);
                        }>
                            {Instrument::ALL.into_iter().map(|i| view! { <option value=i.as_str()>{i.name()}</option> }).collect_view()}
                        </select>
                    </div>
                    <crate::ui::form::Field label="Given on" name="administered_on" kind="date" prefix="measure" value=today errors=field_errors(result, "administered_on")/>
                </div>
                <p class="stem">{move || instrument.get().stem()}</p>
                <ol class="items">
                    {move || {
                        let chosen = instrument.get();
                        chosen.items().iter().enumerate().map(|(i, item)| view! {
                            <li>
                                <fieldset class="item">
                                    <legend>{*item}</legend>
                                    {ANSWERS.iter().map(|(value, label)| {
                                        let id = format!("measure-{}-{i}-{value}", chosen.as_str());
                                        view! {
                                            <span class="answer">
                                                <input type="radio" id=id.clone() name=format!("item-{i}") value=value.to_string()
                                                    on:change=move |_| answers.update(|a| if let Some(slot) = a.get_mut(i) { *slot = Some(*value) })/>
                                                <label for=id>{format!("{label} ({value})")}</label>
                                            </span>
                                        }
                                    }).collect_view()}
                                </fieldset>
                            </li>
                        }).collect_view()
                    }}
                </ol>
                <p class="measure-total" role="status">
                    {move || format!("Total {} of {}{}", total(), instrument.get().max_total(),
                        if complete() { format!(" · {}", instrument.get().severity(total())) } else { " · answer every question".into() })}
                </p>
                {move || field_errors(result, "answers").get().first().cloned().map(|m| view! { <p class="field-errors">{m}</p> })}
                {move || form_error(result).get().map(|e| view! { <ErrorNotice error=e/> })}
                {move || result.get().and_then(Result::ok).map(|m| {
                    let risk = m.instrument == Instrument::Phq9 && m.answers.get(8).is_some_and(|&a| a > 0);
                    view! {
                        <p class="notice notice-success" role="status">{format!("Saved: {} {} ({}).", m.instrument.name(), m.total, m.severity)}</p>
                        {risk.then(|| view! {
                            <p class="notice notice-error" role="alert">"Item 9 was answered above zero: a critical risk flag was added to the chart. Assess suicide risk today."</p>
                        })}
                    }
                })}
                <button type="submit" class="btn btn-primary" disabled=move || !complete() || record.pending().get()>"Save the result"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
