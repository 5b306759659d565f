//! Crash safety: `kill -9` the relayer while 2,000 sponsored requests are in flight, start it again, and every
//! accepted request lands exactly once with no nonce gap left in any lane.
//!
//! 200 custodial users send 10 token approvals each (a user's forward requests go one at a time, so 10 per user
//! take at least 10 blocks); anvil mines a block a second.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::sol_types::SolCall;
use mercato_e2e::evm::deploy;
use mercato_evm_bindings::{MercatoForwarder, MercatoToken};
use mercato_postgres::LocalPostgres;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mercato-relayer");
const USERS: usize = 200;
const PER_USER: usize = 10;
const SENDER_KEYS: [&str; 4] = [
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];

struct Server {
    child: Child,
    url: String,
}

fn start(database: &str, manifest: &std::path::Path, dir: &std::path::Path, port: u16) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--manifest")
        .arg(manifest)
        .arg("--evm-sender-keys-file")
        .arg(dir.join("senders"))
        .arg("--master-key-file")
        .arg(dir.join("master.key"))
        .args(["--evm-confirmations", "1", "--requests-per-minute", "100000", "--auth-per-ip-per-minute", "100000"])
        .env("MERCATO_RELAYER_DATABASE_URL", database)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.contains("listening on"), "{line:?}");
    Server { child, url: format!("http://127.0.0.1:{port}") }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_with_2000_requests_in_flight_loses_and_repeats_nothing() {
    let deployed = deploy(&["--block-time", "1"]);
    let c = deployed.manifest.evm.as_ref().unwrap().contracts;
    let pg = LocalPostgres::start().unwrap();
    let database = pg.create_database("relayer_crash").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("senders"), SENDER_KEYS.join("\n")).unwrap();
    std::fs::write(dir.path().join("master.key"), "44".repeat(32)).unwrap();
    let port = free_port();
    let mut server = start(&database, &deployed.manifest_path, dir.path(), port);
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();

    // 200 users.
    let mut users = Vec::new();
    for i in 0..USERS {
        let body = json!({"email": format!("crash{i}@example.com"), "password": "a long enough password"});
        let session: Value =
            http.post(format!("{}/v1/auth/signup", server.url)).json(&body).send().await.unwrap().json().await.unwrap();
        let address: Address = session["user"]["evm_address"].as_str().unwrap().parse().unwrap();
        users.push((session["token"].as_str().unwrap().to_owned(), address));
    }

    // 2,000 requests, 32 at a time; every one must be accepted (202).
    let accepted = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::new();
    for round in 0..PER_USER {
        for (user, (token, _)) in users.iter().enumerate() {
            let data =
                MercatoToken::approveCall { spender: c.auction_house, value: U256::from(round + 1) }.abi_encode();
            let request = http
                .post(format!("{}/v1/evm/calls", server.url))
                .bearer_auth(token)
                .header("Idempotency-Key", format!("u{user}-r{round}"))
                .json(&json!({"to": c.token, "data": Bytes::from(data), "gas": 80_000}));
            let permit = semaphore.clone().acquire_owned().await.unwrap();
            let accepted = accepted.clone();
            tasks.push(tokio::spawn(async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 202);
                let view: Value = response.json().await.unwrap();
                accepted.lock().await.push(view["id"].as_i64().unwrap());
                drop(permit);
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    let ids = accepted.lock().await.clone();
    assert_eq!(ids.len(), USERS * PER_USER);

    // Kill -9 once some are confirmed and many are in flight, then start again on the same database.
    let pool = mercato_relayer::db::connect(&database, 4).await.unwrap();
    let started = Instant::now();
    loop {
        let (confirmed,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM requests WHERE status = 'confirmed'").fetch_one(&pool).await.unwrap();
        if confirmed >= 100 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "nothing confirmed in 2 minutes");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    let (in_flight,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests WHERE status IN ('queued', 'submitted')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(in_flight > 0, "the kill happened with requests in flight");
    let server = start(&database, &deployed.manifest_path, dir.path(), port);

    // Everything lands.
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let (open,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests WHERE status IN ('queued', 'submitted')")
            .fetch_one(&pool)
            .await
            .unwrap();
        if open == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{open} requests still open after 10 minutes");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (confirmed, hashes): (i64, i64) =
        sqlx::query_as("SELECT count(*) FILTER (WHERE status = 'confirmed'), count(DISTINCT tx_hash) FROM requests")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (confirmed, hashes),
        ((USERS * PER_USER) as i64, (USERS * PER_USER) as i64),
        "all confirmed, each its own transaction"
    );

    // Exactly once: each user's forwarder nonce is exactly 10 (a repeated request would have used one more), and
    // the last approval is the last request's value.
    let provider = ProviderBuilder::new().connect_http(deployed.anvil.endpoint().parse().unwrap());
    let forwarder = MercatoForwarder::new(c.forwarder, &provider);
    let token = MercatoToken::new(c.token, &provider);
    for (_, address) in &users {
        assert_eq!(forwarder.nonces(*address).call().await.unwrap(), U256::from(PER_USER));
        assert_eq!(token.allowance(*address, c.auction_house).call().await.unwrap(), U256::from(PER_USER));
    }
    // No nonce gap: every lane's chain nonce equals the nonces it assigned, and nothing is pending.
    let lanes: Vec<(Vec<u8>, i64)> =
        sqlx::query_as("SELECT address, next_nonce FROM evm_senders").fetch_all(&pool).await.unwrap();
    assert_eq!(lanes.len(), 4);
    for (address, next) in lanes {
        let address = Address::from_slice(&address);
        let latest = provider.get_transaction_count(address).latest().await.unwrap();
        let pending = provider.get_transaction_count(address).pending().await.unwrap();
        assert_eq!((latest, pending), (next as u64, next as u64), "lane {address}: no gap, nothing stuck");
    }
    drop(server);
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
