//! Relayer throughput benchmark (`./mercato bench`, or `cargo run --release -p mercato-relayer --example
//! throughput`): sponsored forwarder calls against a local anvil (`--block-time 1`) with 4 sender keys.
//!
//! 1. **Accept**: custodial calls (token approvals, one per user per round) sent over 64 connections — requests
//!    accepted per second — then one more round at a steady `BENCH_RATE` per second (open loop) for the p50/p99
//!    accept latency (HTTP round trip, simulation included).
//! 2. **Mined**: how fast those requests are confirmed (from the first accepted to the last confirmed).
//! 3. **Ceiling**: the same kind of calls, signed beforehand and sent directly to anvil from the same 4 sender keys
//!    without the relayer; mined per second.
//!
//! Env: `BENCH_USERS` (default 1,000), `BENCH_ROUNDS` (default 2), `BENCH_RATE` (default 500). A user's requests
//! are sent one per block (one in flight per principal: each custodial request is signed for the user's current
//! forwarder nonce), so few users with many rounds measure that rule rather than throughput.

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::primitives::{Bytes, TxKind, U256, aliases::U48};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::signers::{SignerSync, local::PrivateKeySigner};
use alloy::sol_types::{SolCall, SolStruct, eip712_domain};
use mercato_e2e::evm::deploy;
use mercato_evm_bindings::{ForwardRequest, MercatoForwarder, MercatoToken};
use mercato_postgres::LocalPostgres;
use mercato_relayer::api::{AppState, sponsor::SponsorPolicy};
use mercato_relayer::evm::engine::{EvmConfig, EvmEngine};
use mercato_relayer::evm::policy::Allowlist;
use mercato_relayer::keys::LocalKeyStore;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A process's `stat` fields after its name: state is index 0, parent pid 1, utime 11, stime 12.
fn stat_fields(pid: &str) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Some(stat[stat.rfind(')')? + 2..].split_whitespace().map(str::to_owned).collect())
}

fn cpu_ticks(fields: &[String]) -> u64 {
    fields.get(11).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0)
        + fields.get(12).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0)
}

/// CPU seconds (user + system) used so far by process `pid` and, with `children`, its direct children (Postgres'
/// backends), from /proc. Exited children are not counted (a backend lives as long as its pooled connection).
fn cpu_seconds(pid: u32, children: bool) -> f64 {
    let own = stat_fields(&pid.to_string()).map_or(0, |f| cpu_ticks(&f));
    let theirs: u64 = if children {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| stat_fields(entry.file_name().to_str()?))
            .filter(|f| f.get(1).map(String::as_str) == Some(pid.to_string().as_str()))
            .map(|f| cpu_ticks(&f))
            .sum()
    } else {
        0
    };
    (own + theirs) as f64 / 100.0 // USER_HZ
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    tracing_subscriber::fmt().with_env_filter("warn").with_writer(std::io::stderr).init();
    let users = env("BENCH_USERS", 1_000);
    let rounds = env("BENCH_ROUNDS", 2);
    let deployed = deploy(&["--block-time", "1"]);
    let evm = deployed.manifest.evm.clone().unwrap();
    let c = evm.contracts;
    let anvil_url = deployed.anvil.endpoint();
    let pg = LocalPostgres::start().unwrap();
    let database = pg.create_database("relayer_bench").unwrap();
    let pool = mercato_relayer::db::connect(&database, 32).await.unwrap();
    let keys = Arc::new(LocalKeyStore::from_hex(&"55".repeat(32), &[]).unwrap());
    let senders: Vec<PrivateKeySigner> =
        (6..=9).map(|i| PrivateKeySigner::from(deployed.anvil.keys()[i].clone())).collect();
    let config = EvmConfig {
        chain_id: evm.chain_id,
        forwarder: c.forwarder,
        senders: senders.clone(),
        confirmations: 1,
        bump_after_blocks: 5,
        max_fee_cap: 500_000_000_000,
        poll: Duration::from_millis(20),
        batch: 256,
    };
    let engine = EvmEngine::start(pool.clone(), keys.clone(), &anvil_url, config).await.unwrap();
    let state = AppState::new(pool.clone(), keys, 3_600, mercato_relayer::metrics_handle())
        .with_evm(engine.clone(), Allowlist::mercato(&c))
        .with_policy(SponsorPolicy { user_daily_gas: i64::MAX / 4, global_daily_gas: i64::MAX / 4 }, 1_000_000)
        .with_auth_limit(1_000_000);
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(engine.run(stop.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut stop_serving = stop.clone();
    tokio::spawn(mercato_relayer::serve(listener, state, async move {
        let _ = stop_serving.changed().await;
    }));
    let http = reqwest::Client::builder().pool_max_idle_per_host(128).build().unwrap();

    eprintln!("signing up {users} custodial users…");
    let mut signups = Vec::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(8));
    for i in 0..users {
        let (http, url, limit) = (http.clone(), url.clone(), limit.clone());
        signups.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await.unwrap();
            let body = json!({"email": format!("bench{i}@example.com"), "password": "a long enough password"});
            let session: Value =
                http.post(format!("{url}/v1/auth/signup")).json(&body).send().await.unwrap().json().await.unwrap();
            session["token"].as_str().unwrap().to_owned()
        }));
    }
    let mut tokens = Vec::new();
    for signup in signups {
        tokens.push(signup.await.unwrap());
    }

    // 1. Accept: capacity (closed loop, 64 connections), then latency at a steady rate (open loop, BENCH_RATE/s).
    let call = |user: usize, round: usize| {
        let data = MercatoToken::approveCall { spender: c.auction_house, value: U256::from(round + 1) }.abi_encode();
        http.post(format!("{url}/v1/evm/calls"))
            .bearer_auth(&tokens[user])
            .header("Idempotency-Key", format!("{user}-{round}"))
            .json(&json!({"to": c.token, "data": Bytes::from(data), "gas": 80_000}))
    };
    let timed = |request: reqwest::RequestBuilder| async move {
        let sent = Instant::now();
        let response = request.send().await.unwrap();
        let elapsed = sent.elapsed();
        assert_eq!(response.status(), 202, "{}", response.text().await.unwrap_or_default());
        elapsed
    };
    let closed = users * rounds;
    eprintln!("capacity: {closed} sponsored calls over 64 connections…");
    let semaphore = Arc::new(tokio::sync::Semaphore::new(64));
    // CPU seconds of this benchmark's anvil, its Postgres, and this process (relayer + load generator).
    let (anvil_pid, pg_pid) = (deployed.anvil.child().id(), pg.pid().expect("the Postgres pid"));
    let cpu = || [cpu_seconds(anvil_pid, false), cpu_seconds(pg_pid, true), cpu_seconds(std::process::id(), false)];
    let cpu_start = cpu();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for round in 0..rounds {
        for user in 0..users {
            let permit = semaphore.clone().acquire_owned().await.unwrap();
            let request = timed(call(user, round));
            tasks.push(tokio::spawn(async move {
                let elapsed = request.await;
                drop(permit);
                elapsed
            }));
        }
    }
    let mut saturated = Vec::new();
    for task in tasks {
        saturated.push(task.await.unwrap());
    }
    let accept_time = started.elapsed();
    saturated.sort();
    let rate = env("BENCH_RATE", 500);
    eprintln!("latency: {users} more calls at a steady {rate}/s…");
    let steady_start = Instant::now();
    let mut tasks = Vec::new();
    for user in 0..users {
        let at = steady_start + Duration::from_secs_f64(user as f64 / rate as f64);
        tokio::time::sleep_until(at.into()).await;
        tasks.push(tokio::spawn(timed(call(user, rounds))));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.push(task.await.unwrap());
    }
    let steady_time = steady_start.elapsed();
    let cpu_accepted = cpu();
    latencies.sort();
    let total = users * (rounds + 1);

    // 2. Mined.
    loop {
        let (open,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests WHERE status IN ('queued', 'submitted')")
            .fetch_one(&pool)
            .await
            .unwrap();
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mined_time = started.elapsed();
    let cpu_mined = cpu();
    let (confirmed,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM requests WHERE status = 'confirmed'").fetch_one(&pool).await.unwrap();
    let _ = stop_tx.send(true);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // 3. Ceiling: the same calls, pre-signed by fresh users and by the 4 senders, sent straight to anvil.
    eprintln!("ceiling: {total} pre-signed forwarder calls sent directly…");
    let provider = ProviderBuilder::new().connect_http(anvil_url.parse().unwrap());
    let domain = eip712_domain! {
        name: "MercatoForwarder", version: "1", chain_id: evm.chain_id, verifying_contract: c.forwarder,
    };
    let mut raws: Vec<Vec<Vec<u8>>> = vec![Vec::new(); senders.len()];
    let mut nonces = Vec::new();
    for sender in &senders {
        nonces.push(provider.get_transaction_count(sender.address()).pending().await.unwrap());
    }
    let signers: Vec<PrivateKeySigner> = (0..users).map(|_| PrivateKeySigner::random()).collect();
    for round in 0..=rounds {
        for (i, user) in signers.iter().enumerate() {
            let data =
                MercatoToken::approveCall { spender: c.auction_house, value: U256::from(round + 1) }.abi_encode();
            let request = ForwardRequest {
                from: user.address(),
                to: c.token,
                value: U256::ZERO,
                gas: U256::from(80_000),
                nonce: U256::from(round),
                deadline: U48::from(4_000_000_000u64),
                data: data.into(),
            };
            let signature = user.sign_hash_sync(&request.eip712_signing_hash(&domain)).unwrap();
            let call = MercatoForwarder::executeCall { request: request.with_signature(signature.as_bytes().to_vec()) };
            let lane = i % senders.len();
            let tx = TxEip1559 {
                chain_id: evm.chain_id,
                nonce: nonces[lane],
                gas_limit: EvmEngine::gas_limit(80_000),
                max_fee_per_gas: 50_000_000_000,
                max_priority_fee_per_gas: 1_000_000_000,
                to: TxKind::Call(c.forwarder),
                value: U256::ZERO,
                access_list: Default::default(),
                input: call.abi_encode().into(),
            };
            nonces[lane] += 1;
            let signature = senders[lane].sign_hash_sync(&tx.signature_hash()).unwrap();
            let envelope = TxEnvelope::Eip1559(tx.into_signed(signature));
            raws[lane].push(envelope.encoded_2718());
        }
    }
    let direct_start = Instant::now();
    let start_block = provider.get_block_number().await.unwrap();
    let mut sends = Vec::new();
    for lane_raws in raws {
        let provider = provider.clone();
        sends.push(tokio::spawn(async move {
            for raw in lane_raws {
                let _pending = provider.send_raw_transaction(&raw).await.unwrap();
            }
        }));
    }
    for send in sends {
        send.await.unwrap();
    }
    let target: Vec<u64> = nonces.clone();
    loop {
        let mut done = true;
        for (sender, want) in senders.iter().zip(&target) {
            if provider.get_transaction_count(sender.address()).latest().await.unwrap() < *want {
                done = false;
            }
        }
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let direct_time = direct_start.elapsed();
    let end_block = provider.get_block_number().await.unwrap();

    let accepted_per_s = closed as f64 / accept_time.as_secs_f64();
    let mined_per_s = confirmed as f64 / mined_time.as_secs_f64();
    let direct_per_s = total as f64 / direct_time.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("relayer throughput: {users} users, {total} sponsored forwarder calls (token approvals), 4 sender keys");
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    println!(
        "| accepted, 64 connections | {accepted_per_s:.0} requests/s ({closed} in {:.2} s) | >= 500/s |",
        accept_time.as_secs_f64()
    );
    println!(
        "| accept latency at saturation p50 / p99 | {:.1} / {:.1} ms | |",
        ms(percentile(&saturated, 0.50)),
        ms(percentile(&saturated, 0.99))
    );
    println!(
        "| accept latency at a steady {rate}/s p50 / p99 | {:.1} / {:.1} ms ({users} calls in {:.2} s) | p99 < 20 ms |",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        steady_time.as_secs_f64()
    );
    println!(
        "| mined through the relayer | {mined_per_s:.0} /s ({confirmed} confirmed {:.1} s after the first call) | |",
        mined_time.as_secs_f64()
    );
    println!(
        "| mined directly (ceiling) | {direct_per_s:.0} /s ({total} in {:.1} s, blocks {start_block}..{end_block}) | |",
        direct_time.as_secs_f64()
    );
    println!("| relayer / ceiling | {:.0}% | >= 70% |", 100.0 * mined_per_s / direct_per_s);
    let spent = |from: [f64; 3], to: [f64; 3]| {
        format!("{:.1} / {:.1} / {:.1} s", to[0] - from[0], to[1] - from[1], to[2] - from[2])
    };
    println!(
        "| CPU while accepting (anvil / Postgres / relayer + load generator), {:.1} s wall | {} | |",
        (accept_time + steady_time).as_secs_f64(),
        spent(cpu_start, cpu_accepted)
    );
    println!(
        "| CPU until all confirmed (same), {:.1} s wall, 2 cores | {} | |",
        mined_time.as_secs_f64(),
        spent(cpu_start, cpu_mined)
    );
}
