//! Solana `backfill` (the binary): backfill then follow leaves no gap and no duplicate; `kill -9` in the middle of a
//! Solana backfill, then a restart, too. "No gap, no duplicate" is checked against the chain's own answers: every
//! successful transaction of the followed addresses (`getSignaturesForAddress`) is stored once, every event the
//! programs logged (`getTransaction`, attributed with the shared client crate) is in `raw_events` once at its
//! position, and every currency balance equals the token account on chain.

use crate::solana::{SolanaFixture, funded, pay, send, token_balance, wait_synced};
use mercato_indexer::solana::store as sstore;
use mercato_manifest::Manifest;
use mercato_solana_client::defaults::MRC;
use mercato_solana_client::events::program_payloads;
use mercato_solana_client::token;
use serde_json::{Value, json};
use solana_keypair::Keypair;
use solana_rpc_client_api::request::RpcRequest;
use solana_signer::Signer;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mercato-indexer");
const CHAIN: &str = "solana:localtest";

/// `n` transactions of the followed addresses: currency payments from the genesis holder to a few wallets (through
/// the currency mint), every fifth one an item mint (through the items program) or a governance deposit.
async fn workload(f: &SolanaFixture, wallets: &[Keypair], n: usize) {
    let holder = &f.roles.genesis_holder;
    let mut next = f.next_item_id().await;
    for i in 0..n {
        let wallet = &wallets[i % wallets.len()];
        match i % 10 {
            4 => {
                f.mint(&wallet.pubkey(), next, (i % 3) as u16).await;
                next += 1;
            }
            9 => {
                let ix = mercato_solana_client::governance::deposit(wallet.pubkey(), MRC);
                send(&f.rpc, &[ix], wallet).await;
            }
            _ => pay(&f.rpc, holder, &wallet.pubkey(), (i as u64 + 1) * MRC).await,
        }
    }
}

/// The manifest of the deployment (Solana only, cluster `localtest`), written to `dir`.
fn manifest(f: &SolanaFixture, dir: &Path) -> std::path::PathBuf {
    let path = dir.join("localtest.json");
    Manifest { network: "localtest".into(), evm: None, solana: Some(f.solana.clone()) }.save(&path).unwrap();
    path
}

fn backfill(f: &SolanaFixture, manifest: &Path, batch: usize) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(["backfill", "--solana-batch", &batch.to_string()])
        .env("MERCATO_INDEXER_DATABASE_URL", &f.url)
        .env("MERCATO_MANIFEST", manifest)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

async fn rpc_value(f: &SolanaFixture, request: RpcRequest, params: Value) -> Value {
    let name = format!("{request:?}");
    f.rpc.send(request, params).await.unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Asserts that the mirror equals the chain up to its checkpoint (see the module doc); balances (of `wallets` and
/// the genesis holder) only when `wallets` is not empty (they are compared with the chain's current state).
/// Returns (transactions, events).
async fn assert_mirror_matches_chain(f: &SolanaFixture, wallets: &[Keypair]) -> (usize, usize) {
    let checkpoint = sstore::checkpoint(&f.pool, CHAIN).await.unwrap().expect("a checkpoint");
    let p = &f.solana.programs;
    let programs: BTreeSet<String> =
        [p.token, p.items, p.auction, p.governance].iter().map(|a| a.to_string()).collect();
    let mut followed: Vec<String> = programs.iter().cloned().collect();
    followed.push(f.solana.accounts.currency_mint.to_string());
    // Successful signatures of the followed addresses from the deploy slot to the checkpoint.
    let mut signatures: BTreeMap<String, u64> = BTreeMap::new();
    for address in &followed {
        let mut before: Option<String> = None;
        loop {
            let mut config = json!({"commitment": "confirmed", "limit": 1000});
            if let Some(b) = &before {
                config["before"] = json!(b);
            }
            let page = rpc_value(f, RpcRequest::GetSignaturesForAddress, json!([address, config])).await;
            let page = page.as_array().unwrap().clone();
            for entry in &page {
                let slot = entry["slot"].as_u64().unwrap();
                if entry["err"].is_null() && slot >= f.solana.deploy_slot && slot <= checkpoint {
                    signatures.insert(entry["signature"].as_str().unwrap().to_owned(), slot);
                }
            }
            before = page.last().map(|e| e["signature"].as_str().unwrap().to_owned());
            if page.len() < 1000 {
                break;
            }
        }
    }
    let stored: Vec<(String, i64, i32)> =
        sqlx::query_as("SELECT base58(signature), slot, events FROM solana_transactions WHERE chain = $1")
            .bind(CHAIN)
            .fetch_all(&f.pool)
            .await
            .unwrap();
    let stored_set: BTreeMap<String, u64> = stored.iter().map(|(s, slot, _)| (s.clone(), *slot as u64)).collect();
    assert_eq!(stored.len(), stored_set.len(), "a transaction stored twice");
    assert_eq!(stored_set, signatures, "stored transactions vs the chain's signatures (gap or extra)");

    // Events: every payload our programs logged, at (slot, signature, index).
    let mut chain_events = Vec::new();
    for (signature, slot) in &signatures {
        let config = json!({"encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0});
        let tx = rpc_value(f, RpcRequest::GetTransaction, json!([signature, config])).await;
        let logs: Vec<String> =
            tx["meta"]["logMessages"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_owned()).collect();
        for payload in program_payloads(&logs) {
            if payload.program.as_ref().is_some_and(|p| programs.contains(p)) {
                chain_events.push((*slot as i64, signature.clone(), payload.index as i64));
            }
        }
    }
    chain_events.sort();
    let mut db_events: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT block_number, base58(tx_hash), log_index FROM raw_events WHERE chain = $1")
            .bind(CHAIN)
            .fetch_all(&f.pool)
            .await
            .unwrap();
    db_events.sort();
    assert_eq!(db_events.len(), chain_events.len(), "event count: mirror vs chain");
    assert_eq!(db_events, chain_events, "raw events vs the programs' logs");

    // Balances.
    let holder = (!wallets.is_empty()).then(|| f.roles.genesis_holder.pubkey());
    for wallet in wallets.iter().map(Keypair::pubkey).chain(holder) {
        let stored: Option<(String,)> =
            sqlx::query_as("SELECT balance::text FROM accounts WHERE chain = $1 AND address = $2")
                .bind(CHAIN)
                .bind(wallet.to_bytes().to_vec())
                .fetch_optional(&f.pool)
                .await
                .unwrap();
        let on_chain = token_balance(&f.rpc, &token::currency_account(&wallet)).await;
        assert_eq!(stored.map(|(b,)| b).unwrap_or_else(|| "0".into()), on_chain.to_string(), "balance of {wallet}");
    }
    (signatures.len(), chain_events.len())
}

async fn wallets(f: &SolanaFixture, n: usize) -> Vec<Keypair> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(funded(&f.rpc).await);
    }
    // Currency first, so that deposits can be paid.
    for w in &out {
        pay(&f.rpc, &f.roles.genesis_holder, &w.pubkey(), 100 * MRC).await;
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn solana_backfill_then_follow_leaves_no_gap_and_no_duplicate() {
    let Some(f) = SolanaFixture::start("the indexer's Solana backfill test", "solana_backfill").await else { return };
    let wallets = wallets(&f, 4).await;
    workload(&f, &wallets, 60).await;
    let tmp = tempfile::tempdir().unwrap();
    let manifest = manifest(&f, tmp.path());

    let output = backfill(&f, &manifest, 25).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "backfill failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line =
        stdout.lines().find(|l| l.starts_with("backfilled Solana to slot ")).unwrap_or_else(|| panic!("{stdout}"));
    eprintln!("{line}");
    let backfilled = sstore::checkpoint(&f.pool, CHAIN).await.unwrap().expect("a checkpoint");
    assert!(line.starts_with(&format!("backfilled Solana to slot {backfilled}:")), "{line}");
    let (transactions, events) = assert_mirror_matches_chain(&f, &wallets).await;
    assert!(transactions >= 60 && events > 0, "{transactions} transactions, {events} events");
    // Backfill again: nothing new.
    let output = backfill(&f, &manifest, 25).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains(" 0 transactions, 0 events"), "{output:?}");

    // More transactions, then follow from the backfill's checkpoints (what `serve` runs).
    workload(&f, &wallets, 30).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(f.indexer(Duration::from_millis(50)).follow(stopped));
    wait_synced(&f.rpc, &f.pool, CHAIN).await;
    stop.send(true).unwrap();
    follower.await.unwrap().unwrap();
    let (after, _) = assert_mirror_matches_chain(&f, &wallets).await;
    assert!(after >= transactions + 30, "{after} transactions after following, {transactions} after the backfill");
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_solana_backfill_then_restart_leaves_no_gap_and_no_duplicate() {
    let Some(f) = SolanaFixture::start("the indexer's Solana kill test", "solana_kill").await else { return };
    let wallets = wallets(&f, 4).await;
    workload(&f, &wallets, 150).await;
    let target = f.rpc.get_slot().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let manifest = manifest(&f, tmp.path());

    // Two transactions per commit: many commits to land the kill between.
    let mut child = backfill(&f, &manifest, 2).stderr(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    let (first, killed_at) = loop {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM solana_transactions WHERE chain = $1")
            .bind(CHAIN)
            .fetch_one(&f.pool)
            .await
            .unwrap();
        if n >= 20 {
            break (n, sstore::checkpoint(&f.pool, CHAIN).await.unwrap().unwrap());
        }
        assert!(child.try_wait().unwrap().is_none(), "backfill ended before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(120), "backfill made no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(child.try_wait().unwrap().is_none(), "backfill still running when killed");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let after_kill = sstore::checkpoint(&f.pool, CHAIN).await.unwrap().unwrap();
    assert!(after_kill >= killed_at && after_kill < target, "killed mid-way: checkpoint {after_kill} of {target}");
    // What the killed process committed is consistent on its own: the mirror equals the chain up to its checkpoint.
    let (partial, _) = assert_mirror_matches_chain(&f, &[]).await;
    assert!(partial as i64 >= first, "{partial} transactions at the kill");

    let output = backfill(&f, &manifest, 2).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "restart failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(sstore::checkpoint(&f.pool, CHAIN).await.unwrap().unwrap() >= target);
    let (transactions, events) = assert_mirror_matches_chain(&f, &wallets).await;
    assert!(transactions > partial && transactions >= 150, "{transactions} transactions");
    eprintln!(
        "killed at slot {after_kill} ({partial} transactions); after the restart {transactions} transactions, \
         {events} events: {}",
        stdout.trim()
    );
}
