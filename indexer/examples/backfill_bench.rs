//! Backfill benchmark (`./mercato bench`, or `cargo run --release -p mercato-indexer --example backfill_bench`).
//!
//! 1. **Generate**: anvil (`--gas-limit 1000000000`, manual mining) with the suite deployed; the bench-only
//!    `BenchEmitter` (contracts/test/bench/BenchEmitter.sol) is put at the suite token's address with
//!    `anvil_setCode`, so its logs are the token's `Transfer` and `DelegateVotesChanged` as the indexer reads them.
//!    `BENCH_EVENTS` transfers (default 1,000,000; plus one `DelegateVotesChanged` per 8) are emitted,
//!    `BENCH_PER_TX` per transaction (default 1,000), `BENCH_TX_PER_BLOCK` transactions per block (default 10),
//!    between `BENCH_ACCOUNTS` synthetic accounts (default 1,000).
//! 2. **Profile**: the same `eth_getLogs` ranges read alone (RPC), decoded alone (decode).
//! 3. **Ceiling**: the rows the indexer writes for those logs (`raw_events`, `transfers`) COPYed into an empty
//!    migrated database (CSV, one COPY per range), timed without the RPC.
//! 4. **Backfill**: the indexer's own backfill (`Indexer::backfill`, as the `backfill` command runs it) into another
//!    empty database, from the deploy block to the head: events/s, and the share of the ceiling.
//!
//! Postgres is the tests' throwaway cluster (`fsync=off`): durability is off, for both the ceiling and the backfill.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::sol_types::SolCall;
use mercato_e2e::evm::{deploy, repo_root};
use mercato_indexer::evm::decode::{Event, decode};
use mercato_indexer::evm::source::EvmSource;
use mercato_indexer::ingest::{Indexer, IngestConfig};
use mercato_indexer::{db, store};
use mercato_postgres::LocalPostgres;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

alloy::sol! {
    function emitBulk(uint256 start, uint256 count, uint256 accounts) external;
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn hex(bytes: &[u8]) -> String {
    format!("\\x{}", alloy::hex::encode(bytes))
}

/// CSV rows of `raw_events` and `transfers` for `logs`, as the indexer stores them.
fn csv_rows(
    chain: &str,
    contracts: &mercato_manifest::EvmContracts,
    logs: &[alloy::rpc::types::Log],
) -> (String, String) {
    let (mut raw, mut transfers) = (String::new(), String::new());
    for log in logs {
        let event = decode(contracts, log);
        let topics: Vec<String> = log.topics().iter().map(|t| format!("\\\\x{}", alloy::hex::encode(t))).collect();
        let block = log.block_number.unwrap_or_default();
        let index = log.log_index.unwrap_or_default();
        let tx_hash = hex(log.transaction_hash.unwrap_or_default().as_slice());
        let _ = writeln!(
            raw,
            "{chain},{block},{},{index},{},{tx_hash},{},{},\"{{{}}}\",{}",
            log.transaction_index.unwrap_or_default(),
            hex(log.block_hash.unwrap_or_default().as_slice()),
            hex(log.address().as_slice()),
            event.as_ref().map_or("", |e| e.name()),
            topics.join(","),
            hex(&log.data().data),
        );
        if let Some(Event::CurrencyTransfer { from, to, value }) = event {
            let _ = writeln!(
                transfers,
                "{chain},{block},{index},{tx_hash},0,currency,{},{},{},{value},",
                hex(log.address().as_slice()),
                hex(from.as_slice()),
                hex(to.as_slice()),
            );
        }
    }
    (raw, transfers)
}

async fn copy(conn: &mut sqlx::PgConnection, statement: &str, rows: String) {
    let mut copy = conn.copy_in_raw(statement).await.unwrap();
    copy.send(rows.into_bytes()).await.unwrap();
    copy.finish().await.unwrap();
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let events = env("BENCH_EVENTS", 1_000_000);
    let per_tx = env("BENCH_PER_TX", 1_000).max(1);
    let tx_per_block = env("BENCH_TX_PER_BLOCK", 10).max(1);
    let accounts = env("BENCH_ACCOUNTS", 1_000).max(2);
    let max_logs = env("BENCH_MAX_LOGS", 25_000) as usize;

    // ---------------------------------------------------------------- generate
    let deployed = deploy(&["--gas-limit", "1000000000"]);
    let evm = deployed.manifest.evm.clone().unwrap();
    let c = evm.contracts;
    let provider = ProviderBuilder::new().connect_http(deployed.anvil.endpoint().parse().unwrap());
    let artifact: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("contracts/out/BenchEmitter.sol/BenchEmitter.json"))
            .expect("contracts/out/BenchEmitter.sol: run forge build in contracts/"),
    )
    .unwrap();
    let code: Bytes = artifact["deployedBytecode"]["object"].as_str().unwrap().parse().unwrap();
    provider.anvil_set_code(c.token, code).await.unwrap();
    provider.anvil_set_auto_mine(false).await.unwrap();
    let sender: Address = deployed.anvil.addresses()[0];
    let call = |start: u64, count: u64| {
        emitBulkCall { start: U256::from(start), count: U256::from(count), accounts: U256::from(accounts) }.abi_encode()
    };
    let gas = provider
        .estimate_gas(TransactionRequest::default().from(sender).to(c.token).input(Bytes::from(call(0, per_tx)).into()))
        .await
        .unwrap()
        * 12
        / 10;
    let mut nonce = provider.get_transaction_count(sender).await.unwrap();
    let first_block = provider.get_block_number().await.unwrap() + 1;
    eprintln!("generating {events} transfers, {per_tx} per transaction, {tx_per_block} transactions per block…");
    let started = Instant::now();
    let mut emitted = 0u64;
    while emitted < events {
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..tx_per_block {
            if emitted >= events {
                break;
            }
            let count = per_tx.min(events - emitted);
            let tx = TransactionRequest::default()
                .from(sender)
                .to(c.token)
                .input(Bytes::from(call(emitted, count)).into())
                .nonce(nonce)
                .gas_limit(gas)
                .max_fee_per_gas(10_000_000_000)
                .max_priority_fee_per_gas(1);
            let provider = provider.clone();
            sends.spawn(async move { provider.send_transaction(tx).await.map(|p| *p.tx_hash()) });
            nonce += 1;
            emitted += count;
        }
        let sent = sends.join_all().await.into_iter().collect::<Result<Vec<_>, _>>().unwrap();
        provider.evm_mine(None).await.unwrap();
        let block = provider.get_block_number().await.unwrap();
        let mined = provider.get_block_by_number(block.into()).await.unwrap().unwrap();
        assert_eq!(mined.transactions.len(), sent.len(), "block {block} holds every transaction sent for it");
    }
    let generation = started.elapsed();
    let head = provider.get_block_number().await.unwrap();
    let expected_bench = events + events.div_ceil(8);
    let receipt_check =
        provider.get_logs(&Filter::new().address(c.token).from_block(head).to_block(head)).await.unwrap().len();
    assert!(receipt_check > 0, "the last block has the emitter's logs");
    let suite: Vec<Address> = c.named().iter().map(|(_, a)| *a).collect();
    let deploy_logs = provider
        .get_logs(&Filter::new().address(suite.clone()).from_block(evm.deploy_block).to_block(first_block - 1))
        .await
        .unwrap()
        .len() as u64;
    let total = expected_bench + deploy_logs;
    println!(
        "generated {expected_bench} events ({events} Transfer + {} DelegateVotesChanged) in blocks {first_block}..={head} \
         ({} blocks) in {:.1} s: {:.0} events/s",
        events.div_ceil(8),
        head + 1 - first_block,
        generation.as_secs_f64(),
        expected_bench as f64 / generation.as_secs_f64()
    );

    // ---------------------------------------------------------------- profile and ceiling
    let pg = LocalPostgres::start().unwrap();
    let chain = store::evm_chain_key(evm.chain_id);
    let ceiling_pool = db::connect(&pg.create_database("bench_ceiling").unwrap(), 2).await.unwrap();
    let source = EvmSource::connect(&deployed.anvil.endpoint(), suite.clone()).unwrap();
    let (mut rpc, mut decoding, mut copying) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut copied = 0u64;
    let mut conn = ceiling_pool.acquire().await.unwrap();
    // The ranges the indexer settles on for these blocks: as many blocks as fit in max_logs.
    let per_block = per_tx * tx_per_block * 9 / 8;
    let range = (max_logs as u64 / per_block.max(1)).max(1);
    let mut from = evm.deploy_block;
    while from <= head {
        let to = (from + range - 1).min(head);
        let t = Instant::now();
        let logs = source.logs_in_range(from, to).await.unwrap();
        rpc += t.elapsed();
        let t = Instant::now();
        let decoded = logs.iter().filter(|l| decode(&c, l).is_some()).count();
        decoding += t.elapsed();
        assert!(decoded <= logs.len());
        let t = Instant::now();
        let (raw, transfers) = csv_rows(&chain, &c, &logs);
        copy(
            &mut conn,
            "COPY raw_events (chain, block_number, tx_index, log_index, block_hash, tx_hash, address, name, topics, data) \
             FROM STDIN (FORMAT csv)",
            raw,
        )
        .await;
        copy(
            &mut conn,
            "COPY transfers (chain, block_number, log_index, tx_hash, block_time, asset, contract, from_address, \
             to_address, amount, token_id) FROM STDIN (FORMAT csv)",
            transfers,
        )
        .await;
        copying += t.elapsed();
        copied += logs.len() as u64;
        from = to + 1;
    }
    drop(conn);
    assert_eq!(copied, total, "every log read once");
    let (copied_raw,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM raw_events").fetch_one(&ceiling_pool).await.unwrap();
    assert_eq!(copied_raw as u64, total);
    let ceiling = total as f64 / copying.as_secs_f64();

    // ---------------------------------------------------------------- backfill
    let pool = db::connect(&pg.create_database("bench_backfill").unwrap(), 4).await.unwrap();
    let config = IngestConfig {
        initial_range: 1,
        max_range: 5_000,
        max_logs,
        live_window: 0,
        undo_window: 256,
        poll: Duration::from_millis(100),
    };
    let mut indexer = Indexer::new(pool.clone(), source, evm.chain_id, c, evm.deploy_block, config);
    let started = Instant::now();
    let mut ingested = 0u64;
    let mut batches = 0u64;
    indexer
        .backfill(head, |_, step| {
            ingested += step.events;
            batches += u64::from(step.blocks > 0);
        })
        .await
        .unwrap();
    let backfill = started.elapsed();
    assert_eq!(ingested, total, "the backfill stored every log once");
    let (stored,): (i64,) = sqlx::query_as("SELECT count(*) FROM raw_events").fetch_one(&pool).await.unwrap();
    assert_eq!(stored as u64, total);
    let (transfer_rows,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM transfers WHERE asset = 'currency'").fetch_one(&pool).await.unwrap();
    assert!(transfer_rows as u64 >= events, "one transfers row per Transfer");
    let (supply,): (String,) =
        sqlx::query_as("SELECT COALESCE(sum(balance), 0)::text FROM accounts WHERE address >= $1 AND address <= $2")
            .bind(Address::left_padding_from(&0x10000u64.to_be_bytes()).as_slice())
            .bind(Address::left_padding_from(&(0x10000u64 + accounts).to_be_bytes()).as_slice())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(supply, "0", "the synthetic accounts' transfers net to zero");
    let rate = total as f64 / backfill.as_secs_f64();

    println!("Postgres: throwaway cluster on this machine, fsync=off (durability off) for ceiling and backfill alike");
    println!("events: {total} ({deploy_logs} from the deployment), {batches} batches of up to {max_logs} logs");
    println!(
        "profile: eth_getLogs alone {:.2} s ({:.0} events/s); decode alone {:.2} s; COPY of raw_events + transfers rows {:.2} s",
        rpc.as_secs_f64(),
        total as f64 / rpc.as_secs_f64(),
        decoding.as_secs_f64(),
        copying.as_secs_f64()
    );
    println!("ceiling (COPY of the same rows): {ceiling:.0} events/s");
    println!(
        "backfill: {total} events in {:.2} s: {rate:.0} events/s ({:.0}% of the ceiling) — targets: ≥ 50,000 events/s {}, ≥ 50% of the ceiling {}",
        backfill.as_secs_f64(),
        100.0 * rate / ceiling,
        if rate >= 50_000.0 { "met" } else { "NOT met" },
        if rate >= ceiling / 2.0 { "met" } else { "NOT met" },
    );
}
