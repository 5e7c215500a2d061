//! Connecting to PostgreSQL, creating the database when missing, and migrating it.

use app::config::Config;
use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres};
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    if !Postgres::database_exists(url).await? {
        tracing::info!("creating the database");
        Postgres::create_database(url).await?;
    }
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
}

pub async fn connect_and_migrate(config: &Config) -> Result<PgPool, crate::AnyError> {
    let pool = connect(&config.database_url, config.db_max_connections).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Periodic clean-up of short-lived rows. Safe on any number of replicas (plain deletes).
/// Adds up the receivables' recorded changes every half minute (see `billing::server::receivables::fold`).
pub async fn fold_receivables(pool: PgPool) {
    let mut every = tokio::time::interval(Duration::from_secs(30));
    loop {
        every.tick().await;
        if let Err(e) = app::billing::server::receivables::fold(&pool).await {
            tracing::warn!(error = %e, "adding up the receivables' changes failed");
        }
    }
}

pub async fn housekeeping(pool: PgPool) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        if let Err(e) = app::auth::server::service::prune(&pool).await {
            tracing::warn!(error = %e, "pruning sessions and sign-in attempts failed");
        }
    }
}
