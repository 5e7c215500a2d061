//! Client search latency at scale: run by `scripts/bench-search.sh` against a database seeded with
//! `server seed --demo --clients 100000`. Prints the median and p99 of each kind of search, through
//! the real service (scope predicate, trigram search, audit write), for a front-desk user (all
//! clients) and a clinician (own caseload).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot go on stops here

use app::auth::server::service as auth;
use app::auth::server::RequestMeta;
use app::clients::server::service::search;
use app::clients::types::{ClientQuery, ClientStatus};
use app::config::Config;
use std::time::{Duration, Instant};

const RUNS: usize = 200;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await?;
    let clients: i64 = sqlx::query_scalar("SELECT count(*) FROM clients")
        .fetch_one(&pool)
        .await?;
    let config = Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("bench-secret-bench-secret-bench-secret".to_owned()),
        "LOGIN_RATE_LIMIT_PER_MINUTE" => Some("1000".to_owned()),
        _ => None,
    })?;
    let meta = RequestMeta::default();
    let mut users = Vec::new();
    for email in ["frontdesk@demo.test", "clinician@demo.test"] {
        let s = auth::login(&pool, &config, &meta, email, "demo-password-123")
            .await?
            .signed_in()
            .ok_or("the bench account uses two-step sign-in")?;
        users.push(
            auth::authenticate(&pool, &config, &s.token, false)
                .await?
                .ok_or("no session")?
                .user,
        );
    }
    let (chart, dob, phone): (String, chrono::NaiveDate, String) = sqlx::query_as(
        "SELECT chart_number, date_of_birth, phone_mobile FROM clients WHERE phone_mobile IS NOT NULL
          ORDER BY chart_number DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await?;
    let searches: Vec<(&str, ClientQuery)> = vec![
        ("list, first page", q("")),
        (
            "list, active only",
            ClientQuery {
                status: Some(ClientStatus::Active),
                ..q("")
            },
        ),
        ("name: \"smith\"", q("smith")),
        ("name with typo: \"olivai smtih\"", q("olivai smtih")),
        ("partial: \"ava gar\"", q("ava gar")),
        ("date of birth", q(&dob.format("%m/%d/%Y").to_string())),
        ("phone", q(&phone)),
        ("chart number", q(&chart)),
    ];

    println!("client search, {clients} clients, {RUNS} runs each (median / p99, milliseconds)");
    for user in &users {
        println!("\n  as {} ({})", user.email, user.role.label());
        let mut all = Vec::new();
        for (label, query) in &searches {
            // one warm-up run, then the measured ones
            search(&pool, user, &meta, query).await?;
            let mut times = Vec::with_capacity(RUNS);
            let mut rows = 0;
            for _ in 0..RUNS {
                let t = Instant::now();
                rows = search(&pool, user, &meta, query).await?.rows.len();
                times.push(t.elapsed());
            }
            all.extend_from_slice(&times);
            println!(
                "    {label:<36} {:>7.2} / {:>7.2}   ({rows} rows)",
                ms(percentile(&mut times, 50)),
                ms(percentile(&mut times, 99))
            );
        }
        println!(
            "    {:<36} {:>7.2} / {:>7.2}",
            "all searches",
            ms(percentile(&mut all, 50)),
            ms(percentile(&mut all, 99))
        );
    }
    Ok(())
}

fn q(text: &str) -> ClientQuery {
    ClientQuery {
        q: text.to_owned(),
        ..Default::default()
    }
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times[(times.len() * p / 100).min(times.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
