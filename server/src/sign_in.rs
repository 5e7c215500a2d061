//! The sign-in form as a plain form post, for a browser that has not loaded the WASM yet (or never
//! will). Once hydrated, the page calls the `auth/login` server function instead; both end in the
//! same service call.

use app::auth::server::{service, RequestMeta};
use app::auth::types::LoginRefusal;
use app::state::AppState;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use http::header;

#[derive(serde::Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`: on success the session cookie and the home page (or the password change a new
/// account needs first); otherwise back to the form with the refusal's code.
pub async fn submit(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    form: Result<Form<Credentials>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return (
            http::StatusCode::BAD_REQUEST,
            "Send the email and password as an HTML form (application/x-www-form-urlencoded).",
        )
            .into_response();
    };
    match service::login(
        &state.pool,
        &state.config,
        &meta,
        &form.email,
        &form.password,
    )
    .await
    {
        Ok(signed_in) => {
            let to = if signed_in.user.must_change_password {
                "/account?first=1"
            } else {
                "/"
            };
            let cookie = service::session_cookie(&state.config, Some(&signed_in));
            ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
        }
        Err(e) => back(LoginRefusal::of(&e)),
    }
}

fn back(refusal: LoginRefusal) -> Response {
    Redirect::to(&format!("/login?error={}", refusal.code())).into_response()
}
