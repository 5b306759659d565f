//! API latency under load: seeds a Postgres mirror with a market's worth of sales (default 200,000 sales over
//! 30 days, 1 collection, 20 item classes, 1,000 open listings, 5% flagged as wash trades), serves the API (release
//! build, in this process, the same router `mercato-indexer serve` runs), and drives it with `wrk` at a paced rate
//! (Debian's wrk has no `-R`: each connection waits `delay` ms after every response, so the rate is
//! connections × 1000 / (delay + latency); the achieved rate is printed). Prints wrk's latency percentiles per
//! endpoint. `SALES=…`, `CONNECTIONS=…`, `DELAY_MS=…`, `DURATION=…` override the defaults.
//!
//! `cargo run --release -p mercato-indexer --example api_latency` (needs `wrk` and Postgres: `./mercato setup`).

use mercato_indexer::{api, db};
use mercato_postgres::LocalPostgres;
use std::process::Command;
use std::time::Instant;

const CHAIN: &str = "evm:1";
const COLLECTION: &str = "00000000000000000000000000000000000000c1";

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let sales = env("SALES", 200_000);
    let connections = env("CONNECTIONS", 20);
    let delay_ms = env("DELAY_MS", 9);
    let duration = env("DURATION", 20);
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
    let script = std::env::temp_dir().join("mercato_api_latency.lua");
    std::fs::write(&script, format!("function delay()\n  return {delay_ms}\nend\n")).unwrap();
    println!(
        "wrk: 2 threads, {connections} connections, {delay_ms} ms pause after each response, {duration} s per endpoint \
         (paced, target ≈ 2,000 req/s)"
    );
    for (name, path) in endpoints {
        let probe = probe(&base, &path);
        println!("\n== {name}: GET {path}\n   first bytes: {probe}");
        let out = Command::new("wrk")
            .args(["-t2", &format!("-c{connections}"), &format!("-d{duration}s"), "--latency", "-s"])
            .arg(&script)
            .arg(format!("{base}{path}"))
            .output()
            .expect("wrk (apt-get install wrk, or ./mercato setup)");
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

/// One request over a plain TCP socket (a status line check without an HTTP client dependency).
fn probe(base: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    let status = body.lines().next().unwrap_or_default().to_owned();
    let json = body.split("\r\n\r\n").nth(1).unwrap_or_default();
    format!("{status} {}", json.chars().take(160).collect::<String>())
}
