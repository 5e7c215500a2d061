//! The week calendar of one clinician: a time grid with each appointment placed by the server (in the
//! practice's time zone), coloured by type, its status visible at a glance.

use super::booking::{BookingPanel, Draft};
use super::panel::AppointmentPanel;
use crate::auth::types::{Permission, SessionInfo};
use crate::clients::api::clinician_options;
use crate::ids::{AppointmentId, UserId};
use crate::scheduling::api::{load_week, BookAppointment, RescheduleAppointment};
use crate::scheduling::types::{monday_of, CalendarEntry, WeekView};
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::successes;
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The hours the grid shows (appointments outside them are clipped to its edges).
const FIRST_HOUR: u16 = 7;
const LAST_HOUR: u16 = 21;
/// Pixels per minute of the grid.
const SCALE: f32 = 0.9;

use crate::ui::clock::today_local as today;

/// What the side panel shows.
#[derive(Debug, Clone, PartialEq)]
enum Panel {
    Closed,
    Book(Draft),
    Show(AppointmentId),
}

/// The calendar's shared state: the panel, what is being dragged, and a counter bumped by changes.
#[derive(Clone, Copy)]
struct CalendarState {
    panel: RwSignal<Panel>,
    /// The appointment being dragged, and how far below its top it was grabbed (minutes).
    dragging: RwSignal<Option<(AppointmentId, f64)>>,
    changed: RwSignal<usize>,
    moved: ServerAction<RescheduleAppointment>,
    can_manage: bool,
}

/// The minute of the day at `offset_y` pixels down a column.
fn minute_at(offset_y: f64) -> f64 {
    f64::from(FIRST_HOUR) * 60.0 + offset_y / f64::from(SCALE)
}

/// To the nearest quarter hour, within the day.
fn quarter(minute: f64) -> i32 {
    ((minute / 15.0).round() as i32 * 15).clamp(0, 24 * 60 - 15)
}

fn hh_mm(minute: i32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[component]
pub fn WeekCalendarPage() -> impl IntoView {
    let info = expect_context::<SessionInfo>();
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
    let navigate = use_navigate();
    let go = move |clinician: Option<String>, day: NaiveDate| {
        let c = clinician
            .map(|c| format!("clinician={c}&"))
            .unwrap_or_default();
        navigate(
            &format!("/calendar?{c}day={}", day.format("%Y-%m-%d")),
            Default::default(),
        );
    };
    let shown_day = move || day.get().unwrap_or_else(today);
    let current = move || clinician.get().map(|c| c.to_string());
    view! {
        <Title text="Calendar · MentalSpace EHR"/>
        <div class="page-head">
            <h1>"Calendar"</h1>
        </div>
        <div class="calendar-toolbar" role="toolbar" aria-label="Calendar">
            {pick_any.then(|| {
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
            <WeekNav current go=go.clone() shown_day/>
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
        <div class="calendar-layout">
            <Transition fallback=|| view! { <Loading label="Loading the week…"/> }>
                {move || Suspend::new(async move {
                    week.await.map(|w| match w {
                        Some(w) => view! { <WeekGrid week=w/> }.into_any(),
                        None => view! { <EmptyState>"Choose a clinician to see their week."</EmptyState> }.into_any(),
                    })
                })}
            </Transition>
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
    }
}

#[component]
fn WeekNav<G, C, D>(current: C, go: G, shown_day: D) -> impl IntoView
where
    G: Fn(Option<String>, NaiveDate) + Clone + Send + Sync + 'static,
    C: Fn() -> Option<String> + Copy + Send + Sync + 'static,
    D: Fn() -> NaiveDate + Copy + Send + Sync + 'static,
{
    let to_today = {
        let go = go.clone();
        move |_| go(current(), today())
    };
    let step = move |days: i64| {
        let go = go.clone();
        move |_| go(current(), shown_day() + Duration::days(days))
    };
    view! {
        <div class="week-nav">
            <button type="button" class="btn" on:click=step(-7) aria-label="Previous week">"‹ Previous"</button>
            <button type="button" class="btn" on:click=to_today>"Today"</button>
            <button type="button" class="btn" on:click=step(7) aria-label="Next week">"Next ›"</button>
            <span class="muted">{move || format!("Week of {}", monday_of(shown_day()).format("%B %-d, %Y"))}</span>
        </div>
    }
}

#[component]
fn WeekGrid(week: WeekView) -> impl IntoView {
    let state = expect_context::<CalendarState>();
    let hours = FIRST_HOUR..LAST_HOUR;
    let height = f32::from((LAST_HOUR - FIRST_HOUR) * 60) * SCALE;
    let today_index = (today() - week.monday).num_days();
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
                <div class="week-gutter">
                    {hours.clone().map(|h| view! {
                        <div class="week-hour" style=format!("top:{}px", f32::from((h - FIRST_HOUR) * 60) * SCALE)>
                            {format!("{}{}", if h % 12 == 0 { 12 } else { h % 12 }, if h < 12 { " AM" } else { " PM" })}
                        </div>
                    }).collect_view()}
                </div>
                {by_day.into_iter().enumerate().map(|(i, entries)| {
                    let date = week.monday + Duration::days(i as i64);
                    let clinician = week.clinician_id.to_string();
                    let book_here = move |ev: leptos::ev::MouseEvent| {
                        // only empty time: a click on an appointment opens it instead
                        if !state.can_manage || ev.target() != ev.current_target() {
                            return;
                        }
                        state.panel.set(Panel::Book(Draft {
                            clinician_id: clinician.clone(),
                            date: date.format("%Y-%m-%d").to_string(),
                            start_time: hh_mm(minute_at(f64::from(ev.offset_y())) as i32 / 15 * 15),
                        }));
                    };
                    let drop_here = move |ev: leptos::ev::DragEvent| {
                        ev.prevent_default();
                        let Some((id, grabbed)) = state.dragging.get_untracked() else { return };
                        state.dragging.set(None);
                        let minute = quarter(minute_at(f64::from(ev.offset_y())) - grabbed);
                        state.moved.dispatch(RescheduleAppointment {
                            id,
                            date: date.format("%Y-%m-%d").to_string(),
                            start_time: hh_mm(minute),
                            minutes: String::new(),
                            scope: "this".into(),
                            override_hours: None,
                        });
                    };
                    view! {
                        <div class="week-column" class:week-today=i as i64 == today_index role="list" aria-label=week.day_labels[i].clone()
                            data-date=date.format("%Y-%m-%d").to_string()
                            on:click=book_here
                            on:dragover=move |ev: leptos::ev::DragEvent| if state.dragging.get_untracked().is_some() { ev.prevent_default() }
                            on:drop=drop_here>
                            {entries.into_iter().map(|e| view! { <Entry e/> }).collect_view()}
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
        <p class="legend muted">
            <span class="legend-item status-scheduled">"Scheduled"</span>
            <span class="legend-item status-confirmed">"Confirmed"</span>
            <span class="legend-item status-checked_in">"Checked in"</span>
            <span class="legend-item status-completed">"Completed"</span>
            <span class="legend-item status-no_show">"No-show"</span>
            <span class="legend-item status-cancelled">"Cancelled"</span>
        </p>
    }
}

#[component]
fn Entry(e: CalendarEntry) -> impl IntoView {
    let first = FIRST_HOUR * 60;
    let last = LAST_HOUR * 60;
    let start = e.start_minute.clamp(first, last - 15);
    let end = (e.start_minute + e.minutes).clamp(start + 15, last);
    let style = format!(
        "top:{}px;height:{}px;--entry-color:{}",
        f32::from(start - first) * SCALE,
        f32::from(end - start) * SCALE - 2.0,
        e.color
    );
    let state = expect_context::<CalendarState>();
    let id = e.id;
    let draggable = state.can_manage && !e.busy_only;
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        state.panel.set(Panel::Show(id));
    };
    let grab = move |ev: leptos::ev::DragEvent| {
        let grabbed = f64::from(ev.offset_y()) / f64::from(SCALE);
        state.dragging.set(Some((id, grabbed)));
    };
    let label = format!("{} · {} · {}", e.time_label, e.title, e.status.label());
    view! {
        <div role="listitem" class="week-slot">
        <button type="button" class=format!("week-entry status-{}", e.status.as_str()) class:week-busy=e.busy_only style=style
            title=label.clone() aria-label=label disabled=e.busy_only
            draggable=draggable.then_some("true")
            on:click=open
            on:dragstart=grab
            on:dragend=move |_| state.dragging.set(None)>
            <span class="week-entry-time">{e.time_label.clone()}</span>
            <span class="week-entry-title">{e.title.clone()}</span>
            {(!e.place.is_empty()).then(|| view! { <span class="week-entry-place">{e.place.clone()}</span> })}
            <span class="sr-only">{format!(" — {}", e.status.label())}</span>
        </button>
        </div>
    }
}
