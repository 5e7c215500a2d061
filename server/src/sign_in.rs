//! The sign-in form as a plain form post, for a browser that has not loaded the WASM yet (or never
//! will). Once hydrated, the page calls the `auth/login` and `auth/mfa_verify` server functions
//! instead; both paths end in the same service calls.

use app::auth::server::mfa_repo::ChallengePurpose;
use app::auth::server::service::{LoginStep, SignedIn};
use app::auth::server::{mfa, service, tokens, RequestMeta};
use app::auth::types::LoginRefusal;
use app::state::AppState;
use axum::extract::{Form, State};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::Extension;
use http::{header, HeaderMap};

#[derive(serde::Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

type FormInput<T> = Result<Form<T>, axum::extract::rejection::FormRejection>;

fn not_a_form() -> Response {
    (
        http::StatusCode::BAD_REQUEST,
        "Send the form as an HTML form (application/x-www-form-urlencoded).",
    )
        .into_response()
}

/// `POST /login`: on success the session cookie and the home page (or the password change a new
/// account needs first); with two-step sign-in, the sign-in cookie and the code step; otherwise
/// back to the form with the refusal's code.
pub async fn submit(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    form: FormInput<Credentials>,
) -> Response {
    let Ok(Form(form)) = form else {
        return not_a_form();
    };
    let step = service::login(
        &state.pool,
        &state.config,
        &meta,
        &form.email,
        &form.password,
    )
    .await;
    match step {
        Ok(LoginStep::SignedIn(signed_in)) => signed_in_response(&state, &signed_in),
        Ok(LoginStep::SecondStep(challenge)) => {
            let to = match challenge.purpose {
                ChallengePurpose::Verify => "/login?step=code",
                ChallengePurpose::Enrol => "/login?step=enrol",
            };
            let cookie = mfa::challenge_cookie(&state.config, Some(&challenge));
            ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
        }
        Err(e) => back("/login?", LoginRefusal::of(&e)),
    }
}

#[derive(serde::Deserialize)]
pub struct CodeInput {
    #[serde(default)]
    code: String,
}

/// `POST /login/code`: the code step of a sign-in started by `POST /login`.
pub async fn submit_code(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    form: FormInput<CodeInput>,
) -> Response {
    let Ok(Form(form)) = form else {
        return not_a_form();
    };
    let Some(token) = tokens::cookie_value(&headers, tokens::CHALLENGE_COOKIE_NAME) else {
        return back("/login?", LoginRefusal::Ended);
    };
    let keys = &state.keys;
    match mfa::verify(&state.pool, &state.config, keys, &meta, &token, &form.code).await {
        Ok(signed_in) => signed_in_response(&state, &signed_in),
        Err(e) => match LoginRefusal::of(&e) {
            // the sign-in is over: start again from the password
            r @ (LoginRefusal::Ended | LoginRefusal::CodeLocked) => back("/login?", r),
            r => back("/login?step=code&", r),
        },
    }
}

fn signed_in_response(state: &AppState, signed_in: &SignedIn) -> Response {
    let to = if signed_in.user.must_change_password {
        "/account?first=1"
    } else {
        "/"
    };
    let session = service::session_cookie(&state.config, Some(signed_in));
    let challenge = mfa::challenge_cookie(&state.config, None);
    // two cookies: a plain array of headers would keep only the last
    let cookies = AppendHeaders([
        (header::SET_COOKIE, session),
        (header::SET_COOKIE, challenge),
    ]);
    (cookies, Redirect::to(to)).into_response()
}

fn back(page: &str, refusal: LoginRefusal) -> Response {
    Redirect::to(&format!("{page}error={}", refusal.code())).into_response()
}
