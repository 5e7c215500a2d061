//! The week calendar of one clinician: a time grid with each appointment placed by the server (in the
//! practice's time zone), coloured by type (the day view: by type or by clinician), its status
//! visible at a glance.

use super::booking::{BookingPanel, Draft};
use super::grid::*;
use super::panel::AppointmentPanel;
use super::views::{filtered, Agenda, DayGrid, FeedSettings, Filters, MonthGrid};
use crate::auth::types::{Permission, SessionInfo};
use crate::clients::api::clinician_options;
use crate::ids::UserId;
use crate::scheduling::api::{
    load_day, load_month, load_week, BookAppointment, RescheduleAppointment,
};
use crate::scheduling::types::{monday_of, CalendarEntry, WeekView};
use crate::ui::clock::practice_clock;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::successes;
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn WeekCalendarPage() -> impl IntoView {
    let info = expect_context::<SessionInfo>();
    let today = practice_clock();
    let me = info.user.id;
    let pick_any = info.user.role.can(Permission::ViewAllClients);
    let query = use_query_map();
    let clinician = Memo::new(move |_| {
        query
            .with(|q| q.get("clinician"))
            .and_then(|c| c.parse::<UserId>().ok())
    });
    let day = Memo::new(move |_| {
        query
            .with(|q| q.get("day"))
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    });
    // "week" (default), "day" (several clinicians side by side) or "agenda" (the week as a list)
    let view_kind = Memo::new(move |_| match query.with(|q| q.get("view")).as_deref() {
        Some("day") => "day",
        Some("agenda") => "agenda",
        Some("month") => "month",
        _ => "week",
    });
    let chosen = Memo::new(move |_| query.with(|q| q.get("clinicians")).unwrap_or_default());
    let (kind, location) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    // the day view may colour its columns by clinician instead of by appointment type
    let by_clinician = RwSignal::new(false);
    let options = Resource::new(
        move || pick_any,
        |any| async move {
            if any {
                clinician_options().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    let can_manage = info.user.role.can(Permission::ManageSchedule);
    let has_calendar = info.user.role.can(Permission::OwnCalendar);
    let book = ServerAction::<BookAppointment>::new();
    let moved = ServerAction::<RescheduleAppointment>::new();
    let state = CalendarState {
        panel: RwSignal::new(Panel::Closed),
        dragging: RwSignal::new(None),
        changed: RwSignal::new(0),
        moved,
        can_manage,
    };
    provide_context(state);
    let (booked, dropped) = (successes(book.value()), successes(moved.value()));
    Effect::new(move || {
        if booked.get() > 0 {
            state.panel.set(Panel::Closed);
        }
    });
    let week = Resource::new(
        move || {
            (
                clinician.get(),
                day.get(),
                state.changed.get(),
                booked.get(),
                dropped.get(),
            )
        },
        move |(clinician, day, ..)| async move {
            if matches!(view_kind.get_untracked(), "day" | "month") {
                return Ok(None);
            }
            // clinical staff start on their own calendar; others choose one
            let Some(clinician) = clinician.or((!pick_any).then_some(me)) else {
                return Ok(None);
            };
            let day = day.unwrap_or_else(today);
            load_week(clinician, day.format("%Y-%m-%d").to_string())
                .await
                .map(Some)
        },
    );
    let day_view = Resource::new(
        move || {
            (
                view_kind.get() == "day",
                chosen.get(),
                day.get(),
                state.changed.get(),
                booked.get(),
                dropped.get(),
            )
        },
        move |(is_day, chosen, day, ..)| async move {
            if !is_day {
                return Ok(None);
            }
            let day = day.unwrap_or_else(today);
            load_day(day.format("%Y-%m-%d").to_string(), chosen)
                .await
                .map(Some)
        },
    );
    let month_view = Resource::new(
        move || {
            (
                view_kind.get() == "month",
                clinician.get(),
                day.get(),
                state.changed.get(),
            )
        },
        move |(is_month, clinician, day, ..)| async move {
            let Some(clinician) = clinician.or((!pick_any).then_some(me)).filter(|_| is_month)
            else {
                return Ok(None);
            };
            let day = day.unwrap_or_else(today);
            load_month(clinician, day.format("%Y-%m-%d").to_string())
                .await
                .map(Some)
        },
    );
    let navigate = use_navigate();
    let to = move |view: &str, clinician: Option<String>, clinicians: &str, day: NaiveDate| {
        let mut url = format!("/calendar?view={view}&day={}", day.format("%Y-%m-%d"));
        if let Some(c) = clinician {
            url.push_str(&format!("&clinician={c}"));
        }
        if !clinicians.is_empty() {
            url.push_str(&format!("&clinicians={clinicians}"));
        }
        url
    };
    let go = {
        let navigate = navigate.clone();
        move |clinician: Option<String>, day: NaiveDate| {
            navigate(
                &to(
                    view_kind.get_untracked(),
                    clinician,
                    &chosen.get_untracked(),
                    day,
                ),
                Default::default(),
            );
        }
    };
    let shown_day = move || day.get().unwrap_or_else(today);
    let current = move || clinician.get().map(|c| c.to_string());
    let switch = move |view: &'static str| to(view, current(), &chosen.get(), shown_day());
    let toggle_clinician = {
        let navigate = navigate.clone();
        // from the columns shown (the default set when none were chosen yet)
        move |shown: Vec<String>, id: String, on: bool| {
            let mut list: Vec<String> = shown.into_iter().filter(|c| *c != id).collect();
            if on {
                list.push(id);
            }
            navigate(
                &to("day", current(), &list.join(","), shown_day()),
                Default::default(),
            );
        }
    };
    view! {
        <Title text="Calendar · MentalSpace EHR"/>
        <div class="page-head">
            <h1>"Calendar"</h1>
        </div>
        <nav class="view-tabs" aria-label="Calendar views">
            <a href=move || switch("week") aria-current=move || (view_kind.get() == "week").then_some("page")>"Week"</a>
            <a href=move || switch("day") aria-current=move || (view_kind.get() == "day").then_some("page")>"Day"</a>
            <a href=move || switch("month") aria-current=move || (view_kind.get() == "month").then_some("page")>"Month"</a>
            <a href=move || switch("agenda") aria-current=move || (view_kind.get() == "agenda").then_some("page")>"Agenda"</a>
        </nav>
        <div class="calendar-toolbar" role="toolbar" aria-label="Calendar">
            {let go = go.clone(); move || (pick_any && view_kind.get() != "day").then(|| {
                let go = go.clone();
                view! {
                    <div class="field">
                        <label for="calendar-clinician">"Clinician"</label>
                        <Suspense fallback=|| view! { <Loading label="Loading clinicians…"/> }>
                            {move || {
                                let go = go.clone();
                                Suspend::new(async move {
                                    options.await.map(|list| {
                                        let selected = current().unwrap_or_default();
                                        view! {
                                            <select id="calendar-clinician" on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                go((!v.is_empty()).then_some(v), shown_day());
                                            }>
                                                <option value="">"Choose a clinician"</option>
                                                {list.into_iter().map(|c| {
                                                    let is = c.id.to_string() == selected;
                                                    view! { <option value=c.id.to_string() selected=is>{c.display_name}</option> }
                                                }).collect_view()}
                                            </select>
                                        }
                                    })
                                })
                            }}
                        </Suspense>
                    </div>
                }
            })}
            <WeekNav current go=go.clone() shown_day unit=Signal::derive(move || match view_kind.get() {
                "day" => "day",
                "month" => "month",
                _ => "week",
            })/>
            {can_manage.then(|| view! {
                <button type="button" class="btn btn-primary" on:click=move |_| {
                    let clinician = current().unwrap_or_else(|| me.to_string());
                    state.panel.set(Panel::Book(Draft {
                        clinician_id: clinician,
                        date: shown_day().format("%Y-%m-%d").to_string(),
                        start_time: "09:00".into(),
                    }));
                }>"New appointment"</button>
            })}
        </div>
        {move || booked.get().gt(&0).then(|| view! { <p class="notice notice-success" role="status">"Booked."</p> })}
        {move || match moved.value().get() {
            Some(Err(e)) => Some(view! { <div class="move-error"><ErrorNotice error=e/></div> }),
            _ => None,
        }}
        <Show when=move || view_kind.get() != "month">
            <Filters kind location/>
        </Show>
        <Show when=move || view_kind.get() == "day">
            <div class="field field-inline colour-by">
                <label for="colour-by">"Colour by"</label>
                <select id="colour-by" on:change=move |ev| by_clinician.set(event_target_value(&ev) == "clinician")>
                    <option value="type" selected=move || !by_clinician.get()>"Appointment type"</option>
                    <option value="clinician" selected=move || by_clinician.get()>"Clinician"</option>
                </select>
            </div>
        </Show>
        <div class="calendar-layout">
            <div class="calendar-main">
            <Transition fallback=|| view! { <Loading label="Loading the calendar…"/> }>
                {move || {
                    let toggle_clinician = toggle_clinician.clone();
                    Suspend::new(async move {
                    let (w, d, m) = (week.await?, day_view.await?, month_view.await?);
                    let (k, l) = (kind.get(), location.get());
                    if let Some(m) = m.filter(|_| view_kind.get() == "month") {
                        return Ok(view! { <MonthGrid month=m/> }.into_any());
                    }
                    Ok::<_, crate::error::AppError>(match (view_kind.get(), w, d) {
                        ("day", _, Some(d)) => {
                            let shown: Vec<String> = d.columns.iter().map(|c| c.clinician_id.to_string()).collect();
                            view! {
                                {pick_any.then(|| view! { <ClinicianChooser options shown toggle=toggle_clinician.clone()/> })}
                                <DayGrid day=d kind=k location=l by_clinician=by_clinician.get()/>
                            }.into_any()
                        }
                        ("agenda", Some(w), _) => view! {
                            <Agenda week=w kind=k location=l/>
                        }.into_any(),
                        (_, Some(w), _) => view! {
                            <WeekGrid week=WeekView { entries: filtered(w.entries.clone(), &k, &l), ..w }/>
                        }.into_any(),
                        _ => view! { <EmptyState>"Choose a clinician to see their week."</EmptyState> }.into_any(),
                    })
                })}}
            </Transition>
            </div>
            {move || match state.panel.get() {
                Panel::Closed => None,
                Panel::Book(draft) => Some(view! {
                    <BookingPanel draft book on_close=move |_| state.panel.set(Panel::Closed)/>
                }.into_any()),
                Panel::Show(id) => Some(view! {
                    <AppointmentPanel id changed=state.changed on_close=move |_| state.panel.set(Panel::Closed)/>
                }.into_any()),
            }}
        </div>
        {has_calendar.then(|| view! { <FeedSettings/> })}
    }
}

#[component]
fn WeekNav<G, C, D>(current: C, go: G, shown_day: D, unit: Signal<&'static str>) -> impl IntoView
where
    G: Fn(Option<String>, NaiveDate) + Clone + Send + Sync + 'static,
    C: Fn() -> Option<String> + Copy + Send + Sync + 'static,
    D: Fn() -> NaiveDate + Copy + Send + Sync + 'static,
{
    let today = practice_clock();
    let to_today = {
        let go = go.clone();
        move |_| go(current(), today())
    };
    let step = {
        let go = go.clone();
        move |sign: i64| {
            let go = go.clone();
            move |_| {
                let day = shown_day();
                let next = match unit.get_untracked() {
                    "day" => day + Duration::days(sign),
                    // the 1st of the month before or after
                    "month" => {
                        use crate::scheduling::types::{first_of_month, first_of_next_month};
                        if sign > 0 {
                            first_of_next_month(day)
                        } else {
                            first_of_month(first_of_month(day) - Duration::days(1))
                        }
                    }
                    _ => day + Duration::days(7 * sign),
                };
                go(current(), next)
            }
        }
    };
    let pick = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            if let Ok(d) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                go(current(), d);
            }
        }
    };
    let unit = move || unit.get();
    view! {
        <div class="week-nav">
            <button type="button" class="btn" on:click=step(-1) aria-label=move || format!("Previous {}", unit())>"‹ Previous"</button>
            <button type="button" class="btn" on:click=to_today>"Today"</button>
            <button type="button" class="btn" on:click=step(1) aria-label=move || format!("Next {}", unit())>"Next ›"</button>
            <label class="sr-only" for="calendar-date">"Go to date"</label>
            <input id="calendar-date" type="date" prop:value=move || shown_day().format("%Y-%m-%d").to_string() on:change=pick/>
            <span class="muted">{move || match unit() {
                "day" => shown_day().format("%A, %B %-d, %Y").to_string(),
                "month" => shown_day().format("%B %Y").to_string(),
                _ => format!("Week of {}", monday_of(shown_day()).format("%B %-d, %Y")),
            }}</span>
        </div>
    }
    .into_any()
}

/// Which clinicians a day view shows (at most ten).
#[component]
fn ClinicianChooser<T>(
    options: Resource<Result<Vec<crate::clients::types::ClinicianOption>, crate::error::AppError>>,
    shown: Vec<String>,
    toggle: T,
) -> impl IntoView
where
    T: Fn(Vec<String>, String, bool) + Clone + Send + Sync + 'static,
{
    view! {
        <details class="clinician-chooser">
            <summary>{format!("Clinicians shown ({})", shown.len())}</summary>
            <Suspense fallback=|| view! { <Loading label="Loading clinicians…"/> }>
                {move || {
                    let (shown, toggle) = (shown.clone(), toggle.clone());
                    Suspend::new(async move {
                        options.await.map(|list| view! {
                            <fieldset>
                                <legend class="sr-only">"Clinicians shown"</legend>
                                {list.into_iter().map(|c| {
                                    let id = c.id.to_string();
                                    let on = shown.contains(&id);
                                    let (toggle, shown) = (toggle.clone(), shown.clone());
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" checked=on on:change=move |ev| toggle(shown.clone(), id.clone(), event_target_checked(&ev))/>
                                            {c.display_name}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                        })
                    })
                }}
            </Suspense>
        </details>
    }
    .into_any()
}

#[component]
fn WeekGrid(week: WeekView) -> impl IntoView {
    let state = expect_context::<CalendarState>();
    let height = f32::from((LAST_HOUR - FIRST_HOUR) * 60) * SCALE;
    let today_index = (practice_clock()() - week.monday).num_days();
    let empty = week.entries.is_empty();
    let mut by_day: Vec<Vec<CalendarEntry>> = vec![Vec::new(); 7];
    for e in week.entries {
        by_day[usize::from(e.day)].push(e);
    }
    view! {
        {empty.then(|| view! { <EmptyState>"No appointments this week."</EmptyState> })}
        <section class="card week" class:week-dragging=move || state.dragging.get().is_some() aria-label=format!("Week of {} for {}", week.monday.format("%m/%d/%Y"), week.clinician_name)>
            <div class="week-head">
                <div class="week-gutter"></div>
                {week.day_labels.iter().enumerate().map(|(i, label)| view! {
                    <div class="week-day-label" class:week-today=i as i64 == today_index>{label.clone()}</div>
                }).collect_view()}
            </div>
            <div class="week-body" style=format!("height:{height}px")>
                <HourGutter/>
                {by_day.into_iter().enumerate().map(|(i, entries)| {
                    let date = week.monday + Duration::days(i as i64);
                    let now_minute = week.now.and_then(|(d, m)| (usize::from(d) == i).then_some(m));
                    view! {
                        <Column date clinician=week.clinician_id lane=None label=week.day_labels[i].clone()
                            today=i as i64 == today_index now_minute entries/>
                    }
                }).collect_view()}
            </div>
        </section>
        <Legend types=week.legend/>
    }
    .into_any()
}
