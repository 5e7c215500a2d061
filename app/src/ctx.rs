//! The request context: everything a server function hands to a service, taken in one step.

use crate::auth::server::{current_user, request_meta, CurrentUser, RequestMeta};
use crate::config::Config;
use crate::crypto::Keyring;
use crate::error::AppError;
use crate::state::{app_state, AppState};
use sqlx::PgPool;
use std::sync::Arc;

/// The pool, configuration and data keys of the server, the signed-in user and where the request
/// came from. Services take its parts as arguments and never look in Leptos context themselves, so
/// tests call them directly; [`Ctx::new`] builds one outside a request.
#[derive(Clone)]
pub struct Ctx {
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub keys: Arc<Keyring>,
    pub user: CurrentUser,
    pub meta: RequestMeta,
}

impl Ctx {
    /// The context of the server function being run: `Unauthenticated` without a signed-in user.
    pub fn current() -> Result<Ctx, AppError> {
        Ok(Ctx::new(&app_state()?, current_user()?, request_meta()))
    }

    pub fn new(state: &AppState, user: CurrentUser, meta: RequestMeta) -> Ctx {
        Ctx {
            pool: state.pool.clone(),
            config: state.config.clone(),
            keys: state.keys.clone(),
            user,
            meta,
        }
    }
}
