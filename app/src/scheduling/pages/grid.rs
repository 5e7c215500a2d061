//! The calendar grid shared by the week and day views: hours, columns, entries, dragging and the
//! legend; the calendar's shared state.

use super::booking::Draft;
use crate::ids::{AppointmentId, UserId};
use crate::scheduling::api::RescheduleAppointment;
use crate::scheduling::types::CalendarEntry;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The hours the grid shows (appointments outside them are clipped to its edges).
pub(super) const FIRST_HOUR: u16 = 7;
pub(super) const LAST_HOUR: u16 = 21;
/// Pixels per minute of the grid.
pub(super) const SCALE: f32 = 0.9;

/// What the side panel shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Panel {
    Closed,
    Book(Draft),
    Show(AppointmentId),
}

/// The calendar's shared state: the panel, what is being dragged, and a counter bumped by changes.
#[derive(Clone, Copy)]
pub(super) struct CalendarState {
    pub(super) panel: RwSignal<Panel>,
    pub(super) dragging: RwSignal<Option<Drag>>,
    pub(super) changed: RwSignal<usize>,
    pub(super) moved: ServerAction<RescheduleAppointment>,
    pub(super) can_manage: bool,
}

/// An appointment being dragged: how far below its top it was grabbed (minutes), and its clinician's
/// lane in a day view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Drag {
    pub(super) id: AppointmentId,
    pub(super) grabbed: f64,
    pub(super) lane: Option<UserId>,
    /// Dragging the bottom edge: the start minute stays, the drop sets the end.
    pub(super) resize_from: Option<u16>,
}

/// The minute of the day at `offset_y` pixels down a column.
pub(super) fn minute_at(offset_y: f64) -> f64 {
    f64::from(FIRST_HOUR) * 60.0 + offset_y / f64::from(SCALE)
}

/// To the nearest quarter hour, within the day.
pub(super) fn quarter(minute: f64) -> i32 {
    ((minute / 15.0).round() as i32 * 15).clamp(0, 24 * 60 - 15)
}

pub(super) fn hh_mm(minute: i32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The colours of the types shown, and how each status looks.
#[component]
pub(super) fn Legend(types: Vec<(String, String)>) -> impl IntoView {
    view! {
        <div class="legend muted" aria-label="Legend">
            {types.into_iter().map(|(name, color)| view! {
                <span class="legend-item legend-type" style=format!("--entry-color:{color}")>{name}</span>
            }).collect_view()}
            <span class="legend-item status-scheduled">"Scheduled"</span>
            <span class="legend-item status-confirmed">"Confirmed"</span>
            <span class="legend-item status-checked_in">"Checked in"</span>
            <span class="legend-item status-completed">"Completed"</span>
            <span class="legend-item status-no_show">"No-show"</span>
            <span class="legend-item status-cancelled">"Cancelled"</span>
            <span class="legend-item legend-undocumented">"Undocumented"</span>
        </div>
    }
    .into_any()
}

/// The hours down the left of a grid.
#[component]
pub(super) fn HourGutter() -> impl IntoView {
    view! {
        <div class="week-gutter">
            {(FIRST_HOUR..LAST_HOUR).map(|h| view! {
                <div class="week-hour" style=format!("top:{}px", f32::from((h - FIRST_HOUR) * 60) * SCALE)>
                    {format!("{}{}", if h % 12 == 0 { 12 } else { h % 12 }, if h < 12 { " AM" } else { " PM" })}
                </div>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// One column of a grid: a day of a clinician. Click empty time to book there; drop an appointment to
/// move it there. `lane`: in a day view, only the column's own clinician's appointments may land.
#[component]
pub(super) fn Column(
    date: NaiveDate,
    clinician: UserId,
    lane: Option<UserId>,
    label: String,
    today: bool,
    now_minute: Option<u16>,
    entries: Vec<CalendarEntry>,
) -> impl IntoView {
    let state = expect_context::<CalendarState>();
    let iso = date.format("%Y-%m-%d").to_string();
    let book_here = {
        let iso = iso.clone();
        move |ev: leptos::ev::MouseEvent| {
            // only empty time: a click on an appointment opens it instead
            if !state.can_manage || ev.target() != ev.current_target() {
                return;
            }
            state.panel.set(Panel::Book(Draft {
                clinician_id: clinician.to_string(),
                date: iso.clone(),
                start_time: hh_mm(minute_at(f64::from(ev.offset_y())) as i32 / 15 * 15),
            }));
        }
    };
    let accepts = move || {
        state
            .dragging
            .get_untracked()
            .is_some_and(|d| d.lane == lane)
    };
    let drop_here = {
        let iso = iso.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            let Some(drag) = state.dragging.get_untracked().filter(|d| d.lane == lane) else {
                return;
            };
            state.dragging.set(None);
            let at = minute_at(f64::from(ev.offset_y()));
            let (start, minutes) = match drag.resize_from {
                Some(start) => (
                    i32::from(start),
                    (quarter(at) - i32::from(start)).max(15).to_string(),
                ),
                None => (quarter(at - drag.grabbed), String::new()),
            };
            state.moved.dispatch(RescheduleAppointment {
                id: drag.id,
                date: iso.clone(),
                start_time: hh_mm(start),
                minutes,
                scope: "this".into(),
                override_hours: None,
            });
        }
    };
    view! {
        <div class="week-column" class:week-today=today role="list" aria-label=label data-date=iso
            data-clinician=clinician.to_string()
            on:click=book_here
            on:dragover=move |ev: leptos::ev::DragEvent| if accepts() { ev.prevent_default() }
            on:drop=drop_here>
            {now_minute.filter(|m| (FIRST_HOUR * 60..LAST_HOUR * 60).contains(m)).map(|m| view! {
                <div class="now-line" style=format!("top:{}px", f32::from(m - FIRST_HOUR * 60) * SCALE)
                    role="presentation" title="Now"></div>
            })}
            {entries.into_iter().map(|e| view! { <Entry e lane/> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn Entry(e: CalendarEntry, lane: Option<UserId>) -> impl IntoView {
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
        state.dragging.set(Some(Drag {
            id,
            grabbed,
            lane,
            resize_from: None,
        }));
    };
    let start_minute = e.start_minute;
    let grab_edge = move |ev: leptos::ev::DragEvent| {
        // the edge's own drag, not the whole appointment's
        ev.stop_propagation();
        state.dragging.set(Some(Drag {
            id,
            grabbed: 0.0,
            lane,
            resize_from: Some(start_minute),
        }));
    };
    let label = format!(
        "{} · {} · {}{}",
        e.time_label,
        e.title,
        e.status.label(),
        if e.undocumented {
            " · Undocumented"
        } else {
            ""
        }
    );
    view! {
        <div role="listitem" class="week-slot">
        <button type="button" class=format!("week-entry status-{}", e.status.as_str()) class:week-busy=e.busy_only
            class:week-undocumented=e.undocumented style=style
            title=label.clone() aria-label=label disabled=e.busy_only
            draggable=draggable.then_some("true")
            on:click=open
            on:dragstart=grab
            on:dragend=move |_| state.dragging.set(None)>
            <span class="week-entry-time">{e.time_label.clone()}</span>
            <span class="week-entry-title">{e.title.clone()}</span>
            {(!e.place.is_empty()).then(|| view! { <span class="week-entry-place">{e.place.clone()}</span> })}
            {e.undocumented.then(|| view! { <span class="undocumented-dot" aria-hidden="true" title="Undocumented"></span> })}
            <span class="sr-only">{format!(" — {}", e.status.label())}</span>
            {draggable.then(|| view! {
                <span class="week-entry-resize" draggable="true" title="Drag to change the length" aria-hidden="true"
                    on:dragstart=grab_edge></span>
            })}
        </button>
        </div>
    }
    .into_any()
}
