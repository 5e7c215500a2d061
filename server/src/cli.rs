//! The operator commands: migrate, seed, create-admin, audit verify.

use crate::{db, seed, AnyError};
use app::auth::types::Role;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

fn database_url() -> String {
    app::config::database_url_from(&|k| std::env::var(k).ok())
}

async fn pool() -> Result<sqlx::PgPool, AnyError> {
    let pool = db::connect(&database_url(), 2).await?;
    db::MIGRATOR.run(&pool).await?;
    Ok(pool)
}

pub async fn migrate() -> Result<ExitCode, AnyError> {
    pool().await?;
    println!("database is migrated");
    Ok(ExitCode::SUCCESS)
}

pub async fn seed(demo: bool, clients: u64) -> Result<ExitCode, AnyError> {
    if !demo {
        eprintln!("nothing to seed: pass --demo for the demo practice");
        return Ok(ExitCode::from(2));
    }
    let pool = pool().await?;
    let report = seed::demo(&pool).await?;
    let added = seed::demo_clients(&pool, clients).await?;
    seed::demo_chart_details(&pool).await?;
    seed::demo_staff(&pool).await?;
    seed::demo_appointments(&pool).await?;
    seed::demo_waitlist(&pool).await?;
    match crate::data_keys() {
        Ok(keys) => {
            let notes = seed::demo_notes(&pool, &keys).await?;
            println!("{notes} demo notes written");
            // charges need signed notes
            let charges = seed::demo_billing(&pool).await?;
            println!("{charges} demo charges made");
        }
        Err(e) => eprintln!("demo notes skipped: {e}"),
    }
    if clients >= 10_000 {
        let made = seed::bench_appointments(&pool).await?;
        println!("{made} appointments added for performance work");
    }
    println!(
        "demo practice ready ({} accounts created, {} already there; {added} clients added)",
        report.created, report.existing
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn keys_rotate() -> Result<ExitCode, AnyError> {
    let keys = crate::data_keys()?;
    let pool = pool().await?;
    for (table, moved) in app::documents::server::keys::rotate(&pool, &keys).await? {
        println!(
            "{table}: {moved} values re-encrypted under key {}",
            keys.current_id()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn create_admin(email: &str, name: &str) -> Result<ExitCode, AnyError> {
    let password = read_password()?;
    let pool = pool().await?;
    match app::auth::server::service::upsert_account(
        &pool,
        email,
        name,
        Role::Admin,
        &password,
        true,
    )
    .await
    {
        Ok((id, true)) => println!("created administrator {id}"),
        Ok((id, false)) => {
            println!("account {id} already existed: its password was reset and it is active")
        }
        Err(app::error::AppError::Validation { fields }) => {
            for (field, messages) in fields {
                eprintln!("{field}: {}", messages.join(" "));
            }
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(ExitCode::SUCCESS)
}

/// From a pipe: the first line. From a terminal: asked twice, not echoed.
fn read_password() -> Result<String, AnyError> {
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("Password for the new administrator: ")?;
    let again = rpassword::prompt_password("Repeat it: ")?;
    if first != again {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}

pub async fn audit_verify() -> Result<ExitCode, AnyError> {
    let pool = pool().await?;
    let report = app::audit::server::service::verify_chain(&pool).await?;
    // the lanes' heads: kept somewhere else, they show whether rows were later cut from an end
    for head in &report.heads {
        let hash: String = head.hash.iter().map(|b| format!("{b:02x}")).collect();
        println!(
            "lane {:>2}: {} events, last hash {hash}",
            head.lane, head.place
        );
    }
    match report.first_broken {
        None => {
            println!("audit chain intact: {} events checked", report.checked);
            Ok(ExitCode::SUCCESS)
        }
        Some((id, reason)) => {
            println!(
                "audit chain BROKEN at event {id}: {reason} ({} events checked)",
                report.checked
            );
            Ok(ExitCode::from(1))
        }
    }
}
