//! The calendar's other views: a day with one column per clinician, and the agenda (the week as a
//! list, easiest to read aloud and on a tablet). Both reuse the week's columns, entries and panel.

use super::grid::{CalendarState, Column, HourGutter, Legend, Panel, FIRST_HOUR, LAST_HOUR, SCALE};
use crate::scheduling::types::{CalendarEntry, DayView, MonthView, WeekView};
use crate::ui::feedback::EmptyState;
use leptos::prelude::*;

/// Entries left by the type and location filters (empty: all).
pub fn filtered(entries: Vec<CalendarEntry>, kind: &str, location: &str) -> Vec<CalendarEntry> {
    entries
        .into_iter()
        .filter(|e| {
            (kind.is_empty() || e.kind == kind) && (location.is_empty() || e.location == location)
        })
        .collect()
}

/// The type and location filters, offered from the practice's lists.
#[component]
pub fn Filters(kind: RwSignal<String>, location: RwSignal<String>) -> impl IntoView {
    use crate::scheduling::api::appointment_types;
    use crate::settings::api::location_options;
    let types = Resource::new(|| (), |_| appointment_types());
    let places = Resource::new(|| (), |_| location_options());
    let select = move |id: &'static str,
                       label: &'static str,
                       all: &'static str,
                       list: Vec<String>,
                       signal: RwSignal<String>| {
        view! {
            <div class="field field-inline">
                <label for=id>{label}</label>
                <select id=id on:change=move |ev| signal.set(event_target_value(&ev))>
                    <option value="">{all}</option>
                    {list.into_iter().map(|v| {
                        let is = signal.get_untracked() == v;
                        view! { <option value=v.clone() selected=is>{v.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <div class="calendar-filters" role="group" aria-label="Filters">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (types, places) = (types.await?, places.await?);
                    let kinds: Vec<String> = types.into_iter().map(|t| t.name).collect();
                    let mut locations: Vec<String> = places.into_iter().map(|l| l.name).collect();
                    if !locations.iter().any(|l| l == "Telehealth") {
                        locations.push("Telehealth".into());
                    }
                    Ok::<_, crate::error::AppError>(view! {
                        {select("filter-type", "Type", "All types", kinds, kind)}
                        {select("filter-location", "Location", "All locations", locations, location)}
                    })
                })}
            </Suspense>
        </div>
    }
    .into_any()
}

/// Distinct colours for the (at most ten) columns of a day view, dark enough for white text.
const CLINICIAN_COLOURS: [&str; 10] = [
    "#2f6f9f", "#b5553a", "#3f7f55", "#7f4fa0", "#8f6a1f", "#2a7a7a", "#a8456f", "#55692a",
    "#4f5fb0", "#7a5a3a",
];

/// Gives each column's appointments its clinician's colour, and the legend the clinicians.
fn colour_by_clinician(mut day: DayView) -> DayView {
    day.legend.clear();
    for (column, colour) in day.columns.iter_mut().zip(CLINICIAN_COLOURS.iter().cycle()) {
        for entry in column.entries.iter_mut().filter(|e| !e.busy_only) {
            entry.color = (*colour).to_owned();
        }
        day.legend
            .push((column.clinician_name.clone(), (*colour).to_owned()));
    }
    day
}

#[component]
pub fn DayGrid(day: DayView, kind: String, location: String, by_clinician: bool) -> impl IntoView {
    let state = expect_context::<CalendarState>();
    let day = if by_clinician {
        colour_by_clinician(day)
    } else {
        day
    };
    let height = f32::from((LAST_HOUR - FIRST_HOUR) * 60) * SCALE;
    let count = day.columns.len();
    let empty = day.columns.iter().all(|c| c.entries.is_empty());
    let now_minute = day.now.map(|(_, m)| m);
    let today = day.now.is_some();
    view! {
        {empty.then(|| view! { <EmptyState>"No appointments on this day."</EmptyState> })}
        <section class="card week day-view" class:week-dragging=move || state.dragging.get().is_some()
            style=format!("--columns:{count}") aria-label=format!("Day of {}", day.label)>
            <div class="week-head">
                <div class="week-gutter"></div>
                {day.columns.iter().map(|c| view! { <div class="week-day-label">{c.clinician_name.clone()}</div> }).collect_view()}
            </div>
            <div class="week-body" style=format!("height:{height}px")>
                <HourGutter/>
                {day.columns.into_iter().map(|c| view! {
                    <Column date=day.date clinician=c.clinician_id lane=Some(c.clinician_id)
                        label=format!("{} on {}", c.clinician_name, day.label) today now_minute
                        entries=filtered(c.entries, &kind, &location)/>
                }).collect_view()}
            </div>
        </section>
        <Legend types=day.legend/>
    }
    .into_any()
}

/// The week as a list, day by day.
#[component]
pub fn Agenda(week: WeekView, kind: String, location: String) -> impl IntoView {
    let state = expect_context::<CalendarState>();
    let entries = filtered(week.entries, &kind, &location);
    if entries.is_empty() {
        return view! { <EmptyState>"No appointments this week."</EmptyState> }.into_any();
    }
    view! {
        <section class="card agenda" aria-label=format!("Agenda for the week of {} for {}", week.monday.format("%m/%d/%Y"), week.clinician_name)>
            {week.day_labels.into_iter().enumerate().map(|(i, label)| {
                let mine: Vec<CalendarEntry> = entries.iter().filter(|e| usize::from(e.day) == i).cloned().collect();
                (!mine.is_empty()).then(|| view! {
                    <h3>{label}</h3>
                    <ul class="plain-list agenda-day">
                        {mine.into_iter().map(|e| {
                            let id = e.id;
                            view! {
                                <li class=format!("agenda-item status-{}", e.status.as_str()) style=format!("--entry-color:{}", e.color)>
                                    <button type="button" class="agenda-open" disabled=e.busy_only
                                        on:click=move |_| state.panel.set(Panel::Show(id))>
                                        <span class="agenda-time">{e.time_label.clone()}</span>
                                        <span>{e.title.clone()}</span>
                                        <span class="muted">{e.place.clone()}</span>
                                        <span class=format!("status-badge status-{}", e.status.as_str())>{e.status.label()}</span>
                                        {e.undocumented.then(|| view! { <span class="undocumented-badge">"Undocumented"</span> })}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// A clinician's private calendar feed: on, off, or a new address (shown once).
#[component]
pub fn FeedSettings() -> impl IntoView {
    use crate::scheduling::api::{feed_status, EnableFeed, RevokeFeed};
    use crate::ui::feedback::{ErrorNotice, Loading};
    use crate::ui::form::successes;
    let enable = ServerAction::<EnableFeed>::new();
    let revoke = ServerAction::<RevokeFeed>::new();
    let (on, off) = (successes(enable.value()), successes(revoke.value()));
    let status = Resource::new(move || (on.get(), off.get()), |_| feed_status());
    view! {
        <details class="card feed-settings">
            <summary>"Calendar feed for your phone or computer"</summary>
            <p class="muted">"A private address your calendar program can subscribe to. It shows your appointments with clients' initials only. Anyone with the address can read it: keep it to yourself, and turn it off if it leaks."</p>
            <Transition fallback=|| view! { <Loading label="Loading…"/> }>
                {move || Suspend::new(async move {
                    status.await.map(|since| match since {
                        Some(since) => view! { <p>{format!("On since {} (UTC).", since.format("%m/%d/%Y"))}</p> }.into_any(),
                        None => view! { <p>"Off."</p> }.into_any(),
                    })
                })}
            </Transition>
            {move || enable.value().get().map(|r| match r {
                Ok(url) => view! {
                    <div class="field">
                        <label for="feed-url">"Your feed's address (shown only now)"</label>
                        <input id="feed-url" type="text" readonly value=url/>
                    </div>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
            <div class="inline-form">
                <ActionForm action=enable><button type="submit" class="btn">"Turn on (new address)"</button></ActionForm>
                <ActionForm action=revoke><button type="submit" class="btn btn-danger">"Turn off"</button></ActionForm>
            </div>
            <crate::ui::feedback::ActionError error=crate::ui::form::action_error(revoke.value())/>
        </details>
    }
    .into_any()
}

/// A month of one clinician: each day with its count and first appointments; a day opens its day view.
#[component]
pub fn MonthGrid(month: MonthView) -> impl IntoView {
    let clinician = month.clinician_id;
    view! {
        <section class="card month" aria-label=format!("{} for {}", month.label, month.clinician_name)>
            <div class="month-head" aria-hidden="true">
                {["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(|d| view! { <div>{d}</div> }).collect_view()}
            </div>
            <ol class="month-grid plain-list">
                {month.days.into_iter().map(|d| {
                    let href = format!("/calendar?view=day&day={}&clinicians={clinician}", d.date.format("%Y-%m-%d"));
                    let label = format!("{}: {} appointment{}", d.date.format("%A %m/%d"), d.count, if d.count == 1 { "" } else { "s" });
                    view! {
                        <li class="month-day" class:month-other=!d.in_month>
                            <a href=href aria-label=label>
                                <span class="month-date">{d.date.format("%-d").to_string()}</span>
                                {(d.count > 0).then(|| view! { <span class="month-count">{d.count}</span> })}
                            </a>
                            <ul class="plain-list month-first">
                                {d.first.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
