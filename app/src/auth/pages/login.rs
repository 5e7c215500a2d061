use crate::auth::api::Login;
use crate::auth::types::{LoginRefusal, SessionUser};
use crate::error::AppError;
use crate::ui::form::{field_errors, form_error, Field};
use crate::ui::layout::go_to;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in form is a plain form post to `/login`, so it works before the WASM has arrived
/// (the server answers with the session cookie, or back here with `?error=` and a refusal code).
/// Once hydrated, the same form calls the `auth/login` server function instead.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let expired = move || query.with(|q| q.get("expired").is_some());
    // the answer shown: this page's own attempt, else what the plain form post was told
    let outcome = Signal::derive(move || -> Option<Result<SessionUser, AppError>> {
        login.value().get().or_else(|| {
            query.with(|q| {
                q.get("error").map(|code| {
                    Err(LoginRefusal::from_code(&code)
                        .unwrap_or(LoginRefusal::Error)
                        .error())
                })
            })
        })
    });

    Effect::new(move || {
        if let Some(Ok(user)) = login.value().get() {
            go_to(if user.must_change_password {
                "/account?first=1"
            } else {
                "/"
            });
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Login::from_event(&ev) {
            Ok(input) => {
                login.dispatch(input);
            }
            Err(_) => login.value().set(Some(Err(AppError::BadRequest(
                "The form could not be read: reload the page and try again.".into(),
            )))),
        }
    };

    // type-erased: the whole form's view type is too deep for release builds
    let fields = view! {
        <Field label="Email" name="email" kind="email" autocomplete="username" required=true
            errors=field_errors(outcome, "email")/>
        <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true
            errors=field_errors(outcome, "password")/>
        {move || form_error(outcome).get().map(|e| view! { <div class="notice notice-error" role="alert">{e.to_string()}</div> })}
        <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
            {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
        </button>
    }
    .into_any();

    view! {
        <Title text="Sign in · MentalSpace EHR"/>
        <main class="login-page">
            <section class="login-card" aria-labelledby="login-title">
                <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">"◐"</span>"MentalSpace EHR"</div>
                <h1 id="login-title">"Sign in"</h1>
                <Show when=expired>
                    <div class="notice notice-info" role="status">"You were signed out after a period of inactivity."</div>
                </Show>
                <form method="post" action="/login" novalidate on:submit=submit>{fields}</form>
            </section>
        </main>
    }
}
