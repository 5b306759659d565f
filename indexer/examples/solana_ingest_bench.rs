//! Solana ingest benchmark (`./mercato bench`, or `cargo run --release -p mercato-indexer --example
//! solana_ingest_bench`): events/s of the Solana backfill against the local node.
//!
//! The local node (surfpool with the SBF builds from `target/deploy`, `BENCH_SLOT_MS` slots, default 100) with the
//! economy deployed; `BENCH_EVENTS` events (default 20,000) generated as governance deposits, `BENCH_PER_TX`
//! (default 10) per transaction, from `BENCH_SENDERS` wallets (default 8), sent 8 at a time without preflight (in
//! chunks of 100 under one blockhash, each chunk confirmed before the next; dropped ones signed again once their
//! blockhash expired). Measured on that chain: the node's reads alone (`getSignaturesForAddress` of the governance
//! program, then `getTransaction` of every signature, 16 at a time as the indexer reads them); and the indexer's
//! Solana backfill (`SolanaIndexer::backfill`, what the `backfill` command runs, `BENCH_BATCH` transactions per
//! commit, default 500) into an empty database. It checks that every generated event was stored once and prints
//! events/s and transactions/s.
//!
//! Postgres is the tests' throwaway cluster (`fsync=off`): durability is off.

use futures_util::{StreamExt, TryStreamExt};
use mercato_indexer::db;
use mercato_indexer::solana::SolanaIndexer;
use mercato_indexer::solana::source::SolanaSource;
use mercato_postgres::LocalPostgres;
use mercato_solana_client::defaults::MRC;
use mercato_solana_client::{governance, token};
use mercato_solana_node::deploy::{self, Roles};
use mercato_solana_node::{LocalNode, NodeConfig, client};
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_signer::Signer;
use std::time::{Duration, Instant};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

async fn funded(rpc: &RpcClient) -> Keypair {
    let keypair = Keypair::new();
    client::airdrop(rpc, &keypair.pubkey(), 100_000_000_000).await.expect("airdrop");
    keypair
}

#[tokio::main]
async fn main() {
    let events = env("BENCH_EVENTS", 20_000);
    let per_tx = env("BENCH_PER_TX", 10).max(1);
    let senders = env("BENCH_SENDERS", 8).max(1) as usize;
    let batch = env("BENCH_BATCH", 500) as usize;
    let slot_ms = env("BENCH_SLOT_MS", 100);
    let Some(dir) = mercato_e2e::solana::programs_dir("solana_ingest_bench") else { return };
    let node = LocalNode::start(&NodeConfig { slot_time_ms: slot_ms, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");
    let holder = &roles.genesis_holder;
    let mut wallets = Vec::new();
    for _ in 0..senders {
        let wallet = funded(&rpc).await;
        let mint = token::mint_address();
        let create =
            anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                &holder.pubkey(),
                &wallet.pubkey(),
                &mint,
                &anchor_spl::token::ID,
            );
        let transfer = anchor_spl::token::spl_token::instruction::transfer_checked(
            &anchor_spl::token::ID,
            &token::currency_account(&holder.pubkey()),
            &mint,
            &token::currency_account(&wallet.pubkey()),
            &holder.pubkey(),
            &[],
            1_000 * MRC,
            9,
        )
        .unwrap();
        client::send(&rpc, &[create, transfer], holder, &[]).await.expect("payment");
        wallets.push(wallet);
    }

    // Generate: every transaction `per_tx` deposits (each a `Deposited` event), amounts all different (so every
    // transaction is unique under one blockhash).
    let transactions = events.div_ceil(per_tx);
    println!(
        "generating {} events: {transactions} transactions of {per_tx} deposits from {senders} wallets \
         ({slot_ms} ms slots)",
        transactions * per_tx
    );
    let started = Instant::now();
    // In chunks of 100 transactions signed under one fresh blockhash, each chunk confirmed before the next. A
    // transaction the node dropped (it answers "Blockhash not found" to some sent without preflight) is signed again
    // under a new blockhash, but only once its first blockhash has expired: then the first can no longer land, so
    // no deposit is made twice.
    let config = RpcSendTransactionConfig { skip_preflight: true, ..RpcSendTransactionConfig::default() };
    let rpc_ref = &rpc;
    let mut failed = 0;
    let mut resent = 0;
    for first in (0..transactions).step_by(100) {
        let mut pending: Vec<u64> = (first..(first + 100).min(transactions)).collect();
        while !pending.is_empty() {
            let blockhash = rpc.get_latest_blockhash().await.unwrap();
            let signed: Vec<_> = pending
                .iter()
                .map(|&t| {
                    let wallet = &wallets[t as usize % senders];
                    let ixs: Vec<_> =
                        (0..per_tx).map(|j| governance::deposit(wallet.pubkey(), 1 + t * per_tx + j)).collect();
                    solana_transaction::Transaction::new_signed_with_payer(
                        &ixs,
                        Some(&wallet.pubkey()),
                        &[wallet],
                        blockhash,
                    )
                })
                .collect();
            // A send the node refuses outright is left to the expiry below like a dropped one.
            let _: Vec<_> = futures_util::stream::iter(signed.iter())
                .map(|tx| async move { rpc_ref.send_transaction_with_config(tx, config).await })
                .buffered(8)
                .collect()
                .await;
            let signatures: Vec<_> = signed.iter().map(|tx| tx.signatures[0]).collect();
            loop {
                let statuses = rpc.get_signature_statuses(&signatures).await.unwrap().value;
                let landed: Vec<bool> = statuses
                    .iter()
                    .map(|s| {
                        s.as_ref().is_some_and(|s| {
                            s.satisfies_commitment(solana_commitment_config::CommitmentConfig::confirmed())
                        })
                    })
                    .collect();
                if landed.iter().all(|l| *l) {
                    failed += statuses.iter().filter(|s| s.as_ref().is_some_and(|s| s.err.is_some())).count();
                    pending.clear();
                    break;
                }
                let commitment = solana_commitment_config::CommitmentConfig::processed();
                if !rpc.is_blockhash_valid(&blockhash, commitment).await.unwrap() {
                    // Expired: whatever has not landed never will; sign those again.
                    let statuses = rpc.get_signature_statuses(&signatures).await.unwrap().value;
                    failed += statuses.iter().filter(|s| s.as_ref().is_some_and(|s| s.err.is_some())).count();
                    pending = pending.iter().zip(&statuses).filter(|(_, s)| s.is_none()).map(|(t, _)| *t).collect();
                    resent += pending.len();
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    if resent > 0 {
        println!(
            "generation: {resent} transactions dropped by the node were signed again after their blockhash expired"
        );
    }
    assert_eq!(failed, 0, "{failed} generated transactions failed");
    let generated = started.elapsed().as_secs_f64();
    let expected = transactions * per_tx;
    println!(
        "generated: {expected} events in {transactions} transactions, {generated:.1} s ({:.0} events/s)",
        expected as f64 / generated
    );

    // The node's reads alone: the governance program's signatures, then every transaction, 16 at a time.
    let source = SolanaSource::new(node.rpc_url());
    let started = Instant::now();
    let listed = source
        .signatures(&solana.programs.governance.to_string(), None, solana.deploy_slot, u64::MAX)
        .await
        .expect("signatures");
    let listing = started.elapsed().as_secs_f64();
    let source_ref = &source;
    let read: Vec<_> = futures_util::stream::iter(listed.iter())
        .map(|s| async move { source_ref.transaction(&s.signature).await })
        .buffered(16)
        .try_collect()
        .await
        .expect("transactions");
    let reading = started.elapsed().as_secs_f64();
    let logged: usize =
        read.iter().flatten().map(|t| t.logs.iter().filter(|l| l.starts_with("Program data: ")).count()).sum();
    println!(
        "RPC alone: {} signatures listed in {listing:.2} s; {} transactions read in {reading:.2} s \
         ({:.0} transactions/s, {:.0} Program data lines/s)",
        listed.len(),
        read.len(),
        read.len() as f64 / reading,
        logged as f64 / reading
    );

    // The indexer's Solana backfill into an empty database.
    let pg = LocalPostgres::start().expect("postgres");
    let url = pg.create_database("solana_bench").expect("database");
    let pool = db::connect(&url, 4).await.expect("pool");
    let mut indexer = SolanaIndexer::new(pool.clone(), node.rpc_url(), "bench", &solana, Duration::from_millis(400))
        .with_batch(batch);
    let started = Instant::now();
    let mut commits = 0u64;
    let done = indexer.backfill(None, |_| commits += 1).await.expect("backfill");
    let seconds = started.elapsed().as_secs_f64();
    let (stored,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM raw_events WHERE chain = 'solana:bench' AND name = 'Deposited'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(stored as u64, expected, "every generated Deposited event stored once");
    println!(
        "backfill (Postgres fsync=off, durability off): {} transactions, {} events in {seconds:.2} s, {} commits of \
         ≤ {batch} transactions: {:.0} events/s, {:.0} transactions/s",
        done.transactions,
        done.events,
        commits.saturating_sub(1),
        done.events as f64 / seconds,
        done.transactions as f64 / seconds
    );
    node.stop().expect("the node stops");
}
