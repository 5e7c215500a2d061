//! Week-view latency and throughput in a million-appointment practice: run by
//! `scripts/bench-week.sh` against a database seeded with `server seed --demo --clients 100000`.
//! Calls the real service (access rule, one range query, placement in the practice's zone, audit
//! write) as the front desk, for one clinician, over weeks spread across the two and a half years
//! of data; then as many concurrent callers as the pool allows for ten seconds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot go on stops here

use app::auth::server::service as auth;
use app::auth::server::RequestMeta;
use app::config::Config;
use app::ids::UserId;
use app::scheduling::server::service::week;
use chrono::{Duration as Days, NaiveDate};
use std::time::{Duration, Instant};

const RUNS: usize = 500;
const CONCURRENCY: usize = 8;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(CONCURRENCY as u32 + 2)
        .connect(&url)
        .await?;
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments")
        .fetch_one(&pool)
        .await?;
    let config = Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("bench-secret-bench-secret-bench-secret".to_owned()),
        "LOGIN_RATE_LIMIT_PER_MINUTE" => Some("1000".to_owned()),
        _ => None,
    })?;
    let meta = RequestMeta::default();
    let s = auth::login(
        &pool,
        &config,
        &meta,
        "frontdesk@demo.test",
        "demo-password-123",
    )
    .await?
    .signed_in()
    .ok_or("the bench account uses two-step sign-in")?;
    let desk = auth::authenticate(&pool, &config, &s.token, false)
        .await?
        .ok_or("no session")?
        .user;
    let clinician: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'bench-clinician-100@demo.test'")
            .fetch_one(&pool)
            .await?;
    let today = chrono::Utc::now().date_naive();
    // weeks from 100 back to 25 ahead, in a scattered order
    let day = move |i: usize| today + Days::days(((i * 37) % 126) as i64 * 7 - 700);

    week(&pool, &desk, &meta, clinician, today).await?;
    let mut times = Vec::with_capacity(RUNS);
    let mut entries = 0;
    for i in 0..RUNS {
        let t = Instant::now();
        entries += week(&pool, &desk, &meta, clinician, day(i))
            .await?
            .entries
            .len();
        times.push(t.elapsed());
    }
    println!("week view, {appointments} appointments in the database, one clinician, {RUNS} weeks");
    println!(
        "  latency median / p99: {:.2} / {:.2} ms   ({:.1} appointments a week on average)",
        ms(percentile(&mut times, 50)),
        ms(percentile(&mut times, 99)),
        entries as f64 / RUNS as f64
    );

    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..CONCURRENCY {
        let (pool, desk, meta) = (pool.clone(), desk.clone(), meta.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = 0usize;
            while started.elapsed() < Duration::from_secs(10) {
                let d: NaiveDate = day(done * CONCURRENCY + t);
                week(&pool, &desk, &meta, clinician, d).await.expect("week");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    println!(
        "  throughput: {:.0} week views a second ({CONCURRENCY} concurrent callers, 10 s)",
        total as f64 / started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times[(times.len() * p / 100).min(times.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
