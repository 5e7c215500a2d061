//! The axum server: configuration, router, middleware and command-line tools.

pub mod cli;
pub mod db;
pub mod limits;
pub mod metrics;
pub mod middleware;
pub mod rate;
pub mod router;
pub mod security;
pub mod seed;
pub mod sign_in;
pub mod telemetry;
pub mod uploads;

use app::config::Config;
use std::net::SocketAddr;
use std::process::ExitCode;

/// Any failure of a command, shown to the operator as one line.
pub type AnyError = Box<dyn std::error::Error + Send + Sync>;

pub async fn serve() -> Result<ExitCode, AnyError> {
    let config = Config::from_env()?;
    let keys = data_keys()?;
    let leptos_options = site_options()?;
    let addr: SocketAddr = leptos_options.site_addr;
    let pool = db::connect_and_migrate(&config).await?;
    let state = app::state::AppState {
        leptos_options,
        pool: pool.clone(),
        config: std::sync::Arc::new(config),
        keys: std::sync::Arc::new(keys),
    };
    let housekeeping = tokio::spawn(db::housekeeping(pool.clone()));
    let folding = tokio::spawn(db::fold_receivables(pool.clone()));
    let metrics_upkeep = tokio::spawn(metrics::upkeep());
    let transport = app::scheduling::server::outbox::Transport::from_config(&state.config)?;
    if matches!(transport, app::scheduling::server::outbox::Transport::None) {
        tracing::warn!("SMTP_URL is not set: reminders are marked \"no transport configured\"");
    }
    let outbox = tokio::spawn(app::scheduling::server::outbox::run(
        pool.clone(),
        transport,
        state.config.public_origin.clone(),
    ));
    let app = router::build(state);

    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    housekeeping.abort();
    folding.abort();
    metrics_upkeep.abort();
    outbox.abort();
    pool.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The site's settings from the `LEPTOS_*` variables. Unless `LEPTOS_HASH_FILES` says otherwise,
/// the asset names are hashed exactly when the build left its list of hashes (`hash.txt`) beside
/// this binary: a release build copied with its site then needs no extra setting.
pub fn site_options() -> Result<leptos::config::LeptosOptions, AnyError> {
    let mut options = leptos::config::get_configuration(None)?.leptos_options;
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        options.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(options.hash_file.as_ref())))
            .is_some_and(|list| list.is_file());
    }
    Ok(options)
}

/// The data keys from `DATA_ENCRYPTION_KEY` (and `DATA_ENCRYPTION_OLD_KEYS`).
pub fn data_keys() -> Result<app::crypto::Keyring, AnyError> {
    Ok(app::crypto::Keyring::from_lookup(&|k| {
        std::env::var(k).ok()
    })?)
}

/// Resolves on Ctrl-C or SIGTERM, letting in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
