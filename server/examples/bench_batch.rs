//! The time to make one 837P batch of 500 claims: run by `scripts/bench-batch.sh` against a demo
//! database. Each round copies 500 ready claims (the lines of a demo claim, for one payer) and times
//! the real service, `batches::create_batch`: lock, load, validate every claim, write the 837P, read
//! it back, store it, mark the claims submitted, audit — one transaction. Prints each round and the
//! median, and the file's size.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot go on stops here

use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::billing::server::batches;
use app::ids::{PayerId, SessionId, UserId};
use std::time::Instant;

const CLAIMS: i64 = 500;
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await?;
    let (biller, template, payer): (uuid::Uuid, uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT u.id, c.id, c.payer_id FROM users u, claims c
          WHERE u.email = 'biller@demo.test' AND c.status IN ('submitted', 'accepted', 'paid')
          ORDER BY c.claim_number LIMIT 1",
    )
    .fetch_one(&pool)
    .await?;
    let biller = CurrentUser {
        id: UserId(biller),
        email: "biller@demo.test".into(),
        display_name: "Bench biller".into(),
        role: Role::Biller,
        session_id: SessionId(uuid::Uuid::nil()),
        must_change_password: false,
    };
    let mut times = Vec::new();
    for round in 1..=ROUNDS {
        copy_ready_claims(&pool, template, CLAIMS).await?;
        let started = Instant::now();
        let batch = batches::create_batch(&pool, &biller, &RequestMeta::default(), PayerId(payer))
            .await
            .map_err(|e| format!("{e:?}"))?;
        let took = started.elapsed();
        let (count, size): (i32, i32) =
            sqlx::query_as("SELECT claim_count, length(file) FROM claim_batches WHERE id = $1")
                .bind(batch.0)
                .fetch_one(&pool)
                .await?;
        println!(
            "round {round}: {count} claims, {:.1} KB of 837P in {:.0} ms",
            f64::from(size) / 1024.0,
            took.as_secs_f64() * 1000.0
        );
        times.push(took);
    }
    times.sort();
    println!(
        "median {:.0} ms, slowest {:.0} ms for a batch of {CLAIMS} claims (goal: under 2000 ms)",
        times[ROUNDS / 2].as_secs_f64() * 1000.0,
        times[ROUNDS - 1].as_secs_f64() * 1000.0
    );
    Ok(())
}

/// `n` ready claims for the template's client, policy and provider, each with the template's lines.
async fn copy_ready_claims(
    pool: &sqlx::PgPool,
    template: uuid::Uuid,
    n: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    // the copies reuse one claim's charges, which the one-live-claim trigger refuses: this bench's
    // own copying transaction skips triggers (the batch it times runs with all of them)
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "CREATE TEMP TABLE bench_claims ON COMMIT DROP AS
         SELECT gen_random_uuid() AS id FROM generate_series(1, $1)",
    )
    .bind(n)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO claims (id, client_id, policy_id, payer_id, rendering_provider_id, status, created_by)
         SELECT b.id, c.client_id, c.policy_id, c.payer_id, c.rendering_provider_id, 'ready', c.created_by
           FROM bench_claims b, claims c WHERE c.id = $1",
    )
    .bind(template)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO claim_lines (claim_id, line_number, charge_id)
         SELECT b.id, l.line_number, l.charge_id FROM bench_claims b, claim_lines l WHERE l.claim_id = $1",
    )
    .bind(template)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
