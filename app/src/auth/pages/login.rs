use crate::auth::api::{Login, MfaVerify};
use crate::auth::mfa::{parse_second_factor, SignInStep};
use crate::auth::pages::two_step::EnrolAuthenticator;
use crate::auth::types::{LoginRefusal, SessionUser};
use crate::error::AppError;
use crate::field_check;
use crate::ui::form::{field_errors, form_error, Field};
use crate::ui::layout::go_to;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where a sign-in on this page stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Password,
    Code,
    Enrol,
}

fn home_of(user: &SessionUser) -> &'static str {
    if user.must_change_password {
        "/account?first=1"
    } else {
        "/"
    }
}

/// The refusal a plain form post was sent back with (`?error=`), in our words.
fn refusal_in_address() -> Signal<Option<AppError>> {
    let query = use_query_map();
    Signal::derive(move || {
        query.with(|q| {
            q.get("error").map(|code| {
                LoginRefusal::from_code(&code)
                    .unwrap_or(LoginRefusal::Error)
                    .error()
            })
        })
    })
}

/// Sign-in: the password, then (for accounts with two-step sign-in) a code, or the set-up of an
/// authenticator when the practice requires one. Each form is a plain form post (`/login`,
/// `/login/code`), so signing in works before the WASM has arrived; once hydrated, the same forms
/// call the server functions instead.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let stage = Memo::new(move |_| match login.value().get() {
        Some(Ok(SignInStep::Code)) => Stage::Code,
        Some(Ok(SignInStep::Enrol)) => Stage::Enrol,
        Some(_) => Stage::Password,
        None => match query.with(|q| q.get("step")).as_deref() {
            Some("code") => Stage::Code,
            Some("enrol") => Stage::Enrol,
            _ => Stage::Password,
        },
    });
    let expired = move || query.with(|q| q.get("expired").is_some());
    // why a sign-in went back to the password step (the code step ended or locked)
    let carried = RwSignal::new(None::<AppError>);
    let restart = Callback::new(move |reason: Option<AppError>| {
        carried.set(reason);
        login.value().set(None);
    });

    view! {
        <Title text="Sign in · MentalSpace EHR"/>
        <main class="login-page">
            <section class="login-card" aria-labelledby="login-title">
                <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">"◐"</span>"MentalSpace EHR"</div>
                <Show when=expired>
                    <div class="notice notice-info" role="status">"You were signed out after a period of inactivity."</div>
                </Show>
                {move || match stage.get() {
                    Stage::Password => view! { <PasswordStep login carried/> }.into_any(),
                    Stage::Code => view! { <CodeStep restart/> }.into_any(),
                    Stage::Enrol => view! { <EnrolStep restart/> }.into_any(),
                }}
            </section>
        </main>
    }
}

#[component]
fn PasswordStep(login: ServerAction<Login>, carried: RwSignal<Option<AppError>>) -> impl IntoView {
    let from_address = refusal_in_address();
    // the answer shown: this page's own attempt, else why the code step sent it back here, else
    // what the plain form post was told
    let outcome = Signal::derive(move || -> Option<Result<SignInStep, AppError>> {
        login
            .value()
            .get()
            .or_else(|| carried.get().map(Err))
            .or_else(|| from_address.get().map(Err))
    });
    Effect::new(move || {
        if let Some(Ok(SignInStep::Done { user })) = login.value().get() {
            go_to(home_of(&user));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Login::from_event(&ev) {
            Ok(input) => {
                login.dispatch(input);
            }
            Err(_) => login.value().set(Some(Err(unreadable()))),
        }
    };
    // a sign-in that ended at the code step comes back here with its reason
    let ended = field_errors(outcome, "code");

    // type-erased: the whole form's view type is too deep for release builds
    let fields = view! {
        {move || ended.get().into_iter().next().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
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
        <h1 id="login-title">"Sign in"</h1>
        <form method="post" action="/login" novalidate on:submit=submit>{fields}</form>
    }
}

fn unreadable() -> AppError {
    AppError::BadRequest("The form could not be read: reload the page and try again.".into())
}

#[component]
fn CodeStep(restart: Callback<Option<AppError>>) -> impl IntoView {
    let verify = ServerAction::<MfaVerify>::new();
    let from_address = refusal_in_address();
    let outcome = Signal::derive(move || -> Option<Result<SessionUser, AppError>> {
        verify.value().get().or_else(|| from_address.get().map(Err))
    });
    Effect::new(move || match verify.value().get() {
        Some(Ok(user)) => go_to(home_of(&user)),
        // the sign-in is over: back to the password, saying why (as the plain form post does)
        Some(Err(e))
            if matches!(
                LoginRefusal::of(&e),
                LoginRefusal::Ended | LoginRefusal::CodeLocked
            ) =>
        {
            restart.run(Some(e));
        }
        _ => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match MfaVerify::from_event(&ev) {
            Ok(input) => {
                verify.dispatch(input);
            }
            Err(_) => verify.value().set(Some(Err(unreadable()))),
        }
    };
    let fields = view! {
        <Field label="Authentication code" name="code" kind="text" autocomplete="one-time-code" required=true
            hint="The 6-digit code your authenticator app shows now, or one of your recovery codes."
            validate=field_check!(parse_second_factor) errors=field_errors(outcome, "code")/>
        {move || form_error(outcome).get().map(|e| view! { <div class="notice notice-error" role="alert">{e.to_string()}</div> })}
        <button type="submit" class="btn btn-primary btn-block" disabled=move || verify.pending().get()>
            {move || if verify.pending().get() { "Checking…" } else { "Verify" }}
        </button>
    }
    .into_any();
    view! {
        <h1 id="login-title">"Two-step sign-in"</h1>
        <form method="post" action="/login/code" novalidate on:submit=submit>{fields}</form>
        <p class="login-restart"><a href="/login" on:click=move |_| restart.run(None)>"Start again"</a></p>
    }
}

#[component]
fn EnrolStep(restart: Callback<Option<AppError>>) -> impl IntoView {
    let finished = Callback::new(|(user,): (Option<SessionUser>,)| {
        go_to(user.as_ref().map_or("/", home_of));
    });
    view! {
        <h1 id="login-title">"Set up two-step sign-in"</h1>
        <p>"Your practice requires a second step at sign-in for your role. Set it up now to continue."</p>
        <noscript><p class="notice notice-info">"Setting up an authenticator needs JavaScript: turn it on and reload this page."</p></noscript>
        <EnrolAuthenticator on_finished=finished/>
        <p class="login-restart"><a href="/login" on:click=move |_| restart.run(None)>"Start again"</a></p>
    }
}
