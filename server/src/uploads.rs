//! X12 files that come back from payers and clearinghouses: 835 remittances and 999
//! acknowledgements. Each route takes the raw file as the body (scripts and clearinghouse
//! downloaders; the answer is JSON) or the page's plain upload form (multipart, field `file`,
//! which works before the WASM loads; the answer is a redirect, back to the form with the reason
//! when the file is refused).

use app::auth::server::{CurrentUser, RequestMeta};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{FromRequest, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use http::{header, StatusCode};

/// Which file a route takes.
#[derive(Debug, Clone, Copy)]
enum Upload {
    Remittance,
    Acknowledgement,
}

/// What an import did: whether it changed nothing (the file came before), the JSON answer, and
/// the page the form goes on to.
struct Imported {
    duplicate: bool,
    json: serde_json::Value,
    next_page: String,
}

impl Upload {
    /// The page whose form sends this file.
    fn form_page(self) -> &'static str {
        match self {
            Upload::Remittance => "/billing/payments",
            Upload::Acknowledgement => "/billing/batches",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Upload::Remittance => "an 835",
            Upload::Acknowledgement => "a 999",
        }
    }

    async fn import(
        self,
        state: &AppState,
        user: &CurrentUser,
        meta: &RequestMeta,
        file: &[u8],
    ) -> Result<Imported, AppError> {
        use app::billing::server::{acks, remits};
        match self {
            Upload::Remittance => {
                let done = remits::import_era(&state.pool, user, meta, file).await?;
                let flag = if done.duplicate {
                    "duplicate"
                } else {
                    "imported"
                };
                Ok(Imported {
                    duplicate: done.duplicate,
                    next_page: format!("/billing/eras/{}?{flag}=1", done.era_id),
                    json: serde_json::to_value(&done).unwrap_or_default(),
                })
            }
            Upload::Acknowledgement => {
                let done = acks::import_ack(&state.pool, user, meta, file).await?;
                let duplicate = done.batches.iter().all(|b| b.duplicate);
                let flag = if duplicate {
                    "duplicate"
                } else {
                    "acknowledged"
                };
                Ok(Imported {
                    duplicate,
                    next_page: format!("/billing/batches?{flag}={}", done.batches.len()),
                    json: serde_json::to_value(&done).unwrap_or_default(),
                })
            }
        }
    }
}

/// `POST /billing/eras`: 201 with what was posted, 200 when the file was imported before.
pub async fn import_era(
    state: State<AppState>,
    user: Option<Extension<CurrentUser>>,
    meta: Extension<RequestMeta>,
    req: Request,
) -> Response {
    receive(Upload::Remittance, state, user, meta, req).await
}

/// `POST /billing/acks`: 201 with each batch's answer, 200 when every batch had it already.
pub async fn import_ack(
    state: State<AppState>,
    user: Option<Extension<CurrentUser>>,
    meta: Extension<RequestMeta>,
    req: Request,
) -> Response {
    receive(Upload::Acknowledgement, state, user, meta, req).await
}

async fn receive(
    kind: Upload,
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Extension(meta): Extension<RequestMeta>,
    req: Request,
) -> Response {
    let from_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let Some(Extension(user)) = user else {
        return if from_form {
            Redirect::to("/login").into_response()
        } else {
            AppError::Unauthenticated.into_response()
        };
    };
    // as everywhere else: a password that must change is changed before anything is done
    if user.must_change_password {
        return if from_form {
            Redirect::to("/account?first=1").into_response()
        } else {
            AppError::Forbidden.into_response()
        };
    }
    if !from_form {
        let Ok(body) = axum::body::Bytes::from_request(req, &state).await else {
            return AppError::field("file", "The file is larger than 20 MB.").into_response();
        };
        return match kind.import(&state, &user, &meta, &body).await {
            Ok(done) => {
                let status = if done.duplicate {
                    StatusCode::OK
                } else {
                    StatusCode::CREATED
                };
                (status, axum::Json(done.json)).into_response()
            }
            Err(e) => e.into_response(),
        };
    }
    let Ok(mut form) = axum::extract::Multipart::from_request(req, &state).await else {
        return back(
            kind,
            &state,
            &user,
            "The upload could not be read: choose the file again.",
        )
        .await;
    };
    let mut file = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            match field.bytes().await {
                Ok(bytes) => file = Some(bytes),
                Err(_) => return back(kind, &state, &user, "The file is larger than 20 MB.").await,
            }
        }
    }
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        let message = format!("Choose {} file to import.", kind.name());
        return back(kind, &state, &user, &message).await;
    };
    match kind.import(&state, &user, &meta, &file).await {
        Ok(done) => Redirect::to(&done.next_page).into_response(),
        Err(AppError::Validation { fields }) => {
            let message = fields
                .get("file")
                .and_then(|m| m.first())
                .map_or("The file was refused.", String::as_str);
            back(kind, &state, &user, message).await
        }
        Err(e) => back(kind, &state, &user, &e.to_string()).await,
    }
}

/// Back to the form's page with why the file was refused: the sentence is kept on the server and
/// the address carries only its id (a crafted address cannot put words on the page).
async fn back(kind: Upload, state: &AppState, user: &CurrentUser, message: &str) -> Response {
    match app::billing::server::refusals::keep(&state.pool, user, message).await {
        Ok(id) => Redirect::to(&format!("{}?refused={id}", kind.form_page())).into_response(),
        Err(e) => e.into_response(),
    }
}
