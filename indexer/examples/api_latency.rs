//! API latency under load: seeds a Postgres mirror with a market's worth of sales (default 200,000 sales over
//! 30 days, 1 collection, 20 item classes, 1,000 open listings, 5% flagged as wash trades), serves the API (release
//! build, in this process, the same router `mercato-indexer serve` runs), and drives each prices and candles endpoint
//! with an **open-loop constant-rate** load generator: request `i` is scheduled at `start + i / RATE` whatever the
//! earlier requests did, and its latency is measured from that scheduled time (so a stalled server is charged for
//! the requests that queued behind it: no coordinated omission). Printed per endpoint: the achieved rate, p50, p99,
//! p99.9, max and errors (non-200 or transport failures).
//!
//! Each endpoint is measured twice: with the head still (the answer cache serves every request after the first),
//! and with a new block committed every `BLOCK_MS` (default 2,000 ms: a block with one sale and the checkpoint
//! moved, in one transaction as ingest does), so every block invalidates the cache and the next request pays for the
//! uncached query. The uncached ("cold") answer time is also printed on its own (median of 5 fresh heads).
//!
//! `SALES=…`, `RATE=…` (default 2,000 req/s), `DURATION=…` (s per run, default 10), `BLOCK_MS=…` override the
//! defaults. `cargo run --release -p mercato-indexer --example api_latency` (needs Postgres: `./mercato setup`).

use mercato_indexer::{api, db};
use mercato_postgres::LocalPostgres;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

const CHAIN: &str = "evm:1";
const COLLECTION: &str = "00000000000000000000000000000000000000c1";

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let sales = env("SALES", 200_000);
    let rate = env("RATE", 2_000).max(1);
    let duration = env("DURATION", 10).max(1);
    let block_ms = env("BLOCK_MS", 2_000).max(1);
    let pg = LocalPostgres::start().expect("Postgres (./mercato setup)");
    let url = pg.create_database("api_latency").unwrap();
    let pool = db::connect(&url, 16).await.unwrap();

    // ---- seed: one sale per 30 days / SALES, prices 100..150 tokens, 20 classes, 5,000 items, 500 wallets
    let started = Instant::now();
    let now: i64 = 1_800_000_000;
    let span: i64 = 30 * 86_400;
    sqlx::query(
        "INSERT INTO blocks (chain, number, hash, parent_hash, timestamp) VALUES ($1, $2, '\\x01', '\\x00', $3)",
    )
    .bind(CHAIN)
    .bind(sales as i64 / 4 + 1)
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO sales (chain, block_number, log_index, tx_hash, block_time, house, listing_id, kind, seller, buyer,
                            nft, token_id, item_class, currency, price, fee, royalty, royalty_receiver)
         SELECT $1, g / 4, g % 4, '\\xaa', $2 - ($3 * ($4 - g)) / $4, '\\xbb', g, 'fixed',
                decode(lpad(to_hex(g % 500), 40, '0'), 'hex'), decode(lpad(to_hex(500 + g % 499), 40, '0'), 'hex'),
                '\\x{COLLECTION}', g % 5000, g % 20, '\\xcc', (100 + g % 50) * 10::numeric ^ 18,
                (100 + g % 50) * 10::numeric ^ 16, 0, '\\xdd'
         FROM generate_series(1, $4) g"
    ))
    .bind(CHAIN)
    .bind(now)
    .bind(span)
    .bind(sales as i64)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO wash_trades (chain, block_number, sale_block, sale_log, rule)
         SELECT chain, block_number, block_number, log_index, 'repeat_buyer' FROM sales WHERE listing_id % 20 = 0",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SELECT set_config('mercato.block', '1', true)").execute(&mut *tx).await.unwrap();
    sqlx::query(&format!(
        "INSERT INTO items (chain, collection, token_id, owner, class, rarity, power, minted_block)
         SELECT $1, '\\x{COLLECTION}', g, '\\xee', g % 20, 1, 1, 1 FROM generate_series(0, 4999) g"
    ))
    .bind(CHAIN)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO listings (chain, house, listing_id, kind, seller, nft, token_id, start_price, floor_price,
                               start_time, end_time, created_block, created_log)
         SELECT $1, '\\xbb', 10000000 + g, CASE WHEN g % 2 = 0 THEN 'fixed' ELSE 'dutch' END, '\\xee', '\\x{COLLECTION}',
                g % 5000, (120 + g % 80) * 10::numeric ^ 18, 90 * 10::numeric ^ 18, $2 - 600, $2 + 3000, 1, g
         FROM generate_series(1, 1000) g"
    ))
    .bind(CHAIN)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("INSERT INTO checkpoints (chain, block_number, block_hash) VALUES ($1, $2, '\\x01')")
        .bind(CHAIN)
        .bind(sales as i64 / 4 + 1)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("DELETE FROM undo_log").execute(&pool).await.unwrap();
    sqlx::query("VACUUM ANALYZE").execute(&pool).await.unwrap();
    println!("seeded {sales} sales, 1,000 open listings, 5,000 items in {:.1} s", started.elapsed().as_secs_f64());

    // ---- serve
    let state = api::AppState {
        pool: pool.clone(),
        chain: CHAIN.into(),
        status: None,
        max_lag: 5,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mercato_indexer::serve(listener, state, std::future::pending()));

    let week = now - 7 * 86_400;
    let endpoints = [
        ("class prices", "/v1/prices/classes/7".to_owned()),
        ("class candles 1h, 7 days", format!("/v1/prices/classes/7/candles?interval=1h&from={week}&limit=500")),
        (
            "class candles 1m, last hour",
            format!("/v1/prices/classes/7/candles?interval=1m&from={}&limit=60", now - 3_600),
        ),
        ("collection prices", format!("/v1/prices/collections/0x{COLLECTION}")),
        ("collection candles 1d, 30 days", format!("/v1/prices/collections/0x{COLLECTION}/candles?interval=1d")),
    ];
    let client = reqwest::Client::builder().pool_max_idle_per_host(1_024).tcp_nodelay(true).build().unwrap();
    let chain = Chain { pool: pool.clone(), block: Arc::new(AtomicI64::new(sales as i64 / 4 + 1)), now };
    println!(
        "load: open loop, {rate} req/s per endpoint for {duration} s, latency from each request's scheduled send time; \
         client and server in this process (2-core machine: they share the cores)"
    );
    println!("load average before: {}", loadavg());
    for (name, path) in endpoints {
        let url = format!("{base}{path}");
        let first = client.get(&url).send().await.unwrap();
        let status = first.status();
        let body = first.text().await.unwrap();
        println!("\n== {name}: GET {path}\n   {status} {}", body.chars().take(140).collect::<String>());
        let mut cold = Vec::new();
        for _ in 0..5 {
            chain.commit_block().await;
            let started = Instant::now();
            let response = client.get(&url).send().await.unwrap();
            assert!(response.status().is_success());
            response.bytes().await.unwrap();
            cold.push(started.elapsed());
        }
        cold.sort();
        println!("   uncached answer (first request at a new head): median {:.2} ms", ms(cold[2]));
        let still = run(&client, &url, rate, duration, None).await;
        println!("   head still:              {still}   [load {}]", loadavg());
        let moving = run(&client, &url, rate, duration, Some((&chain, Duration::from_millis(block_ms)))).await;
        println!("   new block every {block_ms} ms: {moving}   [load {}]", loadavg());
    }
}

/// The bench's chain: commits a block (one sale, the checkpoint moved) as ingest does, in one transaction.
struct Chain {
    pool: PgPool,
    block: Arc<AtomicI64>,
    now: i64,
}

impl Chain {
    async fn commit_block(&self) {
        let number = self.block.fetch_add(1, Ordering::SeqCst) + 1;
        let mut tx = self.pool.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO blocks (chain, number, hash, parent_hash, timestamp) VALUES ($1, $2, '\\x02', '\\x01', $3)",
        )
        .bind(CHAIN)
        .bind(number)
        .bind(self.now)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(&format!(
            "INSERT INTO sales (chain, block_number, log_index, tx_hash, block_time, house, listing_id, kind, seller,
                                buyer, nft, token_id, item_class, currency, price, fee, royalty, royalty_receiver)
             VALUES ($1, $2, 0, '\\xaa', $3, '\\xbb', $2, 'fixed', '\\x01', '\\x02', '\\x{COLLECTION}', 1, 7, '\\xcc',
                     125 * 10::numeric ^ 18, 0, 0, '\\xdd')"
        ))
        .bind(CHAIN)
        .bind(number)
        .bind(self.now)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("UPDATE checkpoints SET block_number = $2, updated_at = now() WHERE chain = $1")
            .bind(CHAIN)
            .bind(number)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

/// One constant-rate run: request `i` is sent at `start + i / rate` (open loop), its latency counted from then.
async fn run(
    client: &reqwest::Client,
    url: &str,
    rate: u64,
    duration: u64,
    blocks: Option<(&Chain, Duration)>,
) -> String {
    let total = rate * duration;
    let period = Duration::from_secs_f64(1.0 / rate as f64);
    let start = tokio::time::Instant::now() + Duration::from_millis(10);
    let mut tasks = tokio::task::JoinSet::new();
    let mut next_block = blocks.map(|(_, every)| start + every);
    let mut block_task = None;
    let mut i = 0u64;
    while i < total {
        let now = tokio::time::Instant::now();
        while i < total && start + period.mul_f64(i as f64) <= now {
            let scheduled = start + period.mul_f64(i as f64);
            let request = client.get(url).send();
            tasks.spawn(async move {
                let ok = match request.await {
                    Ok(r) => r.status() == reqwest::StatusCode::OK && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                (tokio::time::Instant::now() - scheduled, ok)
            });
            i += 1;
        }
        if let (Some((chain, every)), Some(at)) = (blocks, next_block)
            && now >= at
        {
            let (pool, block, t) = (chain.pool.clone(), chain.block.clone(), chain.now);
            let previous =
                block_task.replace(tokio::spawn(async move { Chain { pool, block, now: t }.commit_block().await }));
            if let Some(p) = previous {
                p.await.unwrap();
            }
            next_block = Some(at + every);
        }
        tokio::time::sleep_until(start + period.mul_f64(i as f64)).await;
    }
    let mut latencies = Vec::with_capacity(total as usize);
    let mut errors = 0u64;
    while let Some(done) = tasks.join_next().await {
        let (latency, ok) = done.unwrap();
        errors += u64::from(!ok);
        latencies.push(latency);
    }
    if let Some(p) = block_task {
        p.await.unwrap();
    }
    let elapsed = (tokio::time::Instant::now() - start).as_secs_f64();
    latencies.sort();
    let p = |q: f64| ms(latencies[((latencies.len() as f64 - 1.0) * q).round() as usize]);
    format!(
        "{} requests, achieved {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms, errors {errors} — \
         target p99 < 5 ms: {}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        p(0.5),
        p(0.99),
        p(0.999),
        p(1.0),
        if p(0.99) < 5.0 && errors == 0 { "met" } else { "NOT met" }
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
