use crate::error::AppError;
use leptos::prelude::*;

/// Shown while data loads.
#[component]
pub fn Loading(#[prop(default = "Loading…")] label: &'static str) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{label}</p> }
}

/// An error as a calm, readable sentence.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let details: Vec<String> = match &error {
        AppError::Validation { fields } => fields.values().flatten().cloned().collect(),
        _ => Vec::new(),
    };
    let headline = if details.is_empty() {
        error.to_string()
    } else {
        details.join(" ")
    };
    let confirm = (error == AppError::StepUpRequired).then(|| {
        // from the router, so the server and the browser render the same address
        let location = leptos_router::hooks::use_location();
        let href = move || {
            let (path, search) = (location.pathname.get(), location.search.get());
            let back = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            format!("/confirm?next={}", encode_query_value(&back))
        };
        view! { " " <a href=href>"Confirm it is you"</a> }
    });
    view! { <div class="notice notice-error" role="alert">{headline}{confirm}</div> }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The error of a one-click action (remove, clear, turn off), shown where the action is: such an
/// action has no field to show it next to, and must never fail silently.
#[component]
pub fn ActionError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|error| view! { <ErrorNotice error/> })
}

/// What to show where a list has nothing in it.
#[component]
pub fn EmptyState(children: Children) -> impl IntoView {
    view! { <div class="empty-state">{children()}</div> }
}

/// The fallback of an error boundary: a friendly sentence, never a raw error.
pub fn friendly_errors(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <p>"Something went wrong while showing this part of the page."</p>
            <ul>
                {move || {
                    errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()
                }}
            </ul>
        </div>
    }
}
