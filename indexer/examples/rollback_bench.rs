//! Rollback benchmark (`./mercato bench`, or `cargo run --release -p mercato-indexer --example rollback_bench`):
//! the time of the rollback transaction of a depth-10 reorg (`store::rollback`, what `indexer_rollback_seconds`
//! measures), without a chain.
//!
//! `BENCH_BASE_BLOCKS` blocks (default 300) are committed one by one as live ingest does (each block its own
//! transaction, undo window 256), each with `BENCH_EVENTS_PER_BLOCK` events (default 200: currency transfers between
//! `BENCH_ACCOUNTS` accounts (default 1,000), a `DelegateVotesChanged` per 8 transfers and an item transfer per 20).
//! Then, `BENCH_ROUNDS` times (default 20): 10 more blocks are committed and rolled back to the block below them.
//! Printed: the per-block commit time, and the rollback time (p50, p90, max) with the undo records it replayed.
//!
//! Postgres is the tests' throwaway cluster (`fsync=off`).

use alloy::primitives::{Address, B256, LogData, U256};
use alloy::rpc::types::Log;
use alloy::sol_types::SolEvent;
use mercato_evm_bindings::{MercatoItems, MercatoToken};
use mercato_indexer::db;
use mercato_indexer::store::{self, Batch, BlockInfo, Checkpoint};
use mercato_manifest::EvmContracts;
use mercato_postgres::LocalPostgres;
use std::time::{Duration, Instant};

const CHAIN: &str = "evm:31337";
const DEPTH: u64 = 10;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn contracts() -> EvmContracts {
    let a = |n: u8| Address::repeat_byte(n);
    EvmContracts {
        forwarder: a(1),
        timelock: a(2),
        economy_config: a(3),
        token: a(4),
        items: a(5),
        auction_house: a(6),
        governor: a(7),
    }
}

fn hash(number: u64, round: u64) -> B256 {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&round.to_be_bytes());
    bytes[24..].copy_from_slice(&number.to_be_bytes());
    B256::from(bytes)
}

fn account(i: u64) -> Address {
    Address::left_padding_from(&(0x10000 + i).to_be_bytes())
}

/// Block `number` (of fork `round`) with `events` synthetic events.
fn block(c: &EvmContracts, number: u64, round: u64, events: u64, accounts: u64) -> Batch {
    let info =
        BlockInfo { number, hash: hash(number, round), parent_hash: hash(number - 1, round), timestamp: number * 12 };
    let mut data: Vec<(Address, LogData)> = Vec::new();
    let mut i = number * events;
    while (data.len() as u64) < events {
        let (from, to) = (account(i % accounts), account((i * 7 + 1) % accounts));
        data.push((c.token, MercatoToken::Transfer { from, to, value: U256::from(i + 1) }.encode_log_data()));
        if i.is_multiple_of(8) {
            let votes = MercatoToken::DelegateVotesChanged {
                delegate: to,
                previousVotes: U256::from(i),
                newVotes: U256::from(i + 1),
            };
            data.push((c.token, votes.encode_log_data()));
        }
        if i.is_multiple_of(20) {
            let id = U256::from(1 + i % 500);
            data.push((c.items, MercatoItems::Transfer { from, to, id }.encode_log_data()));
        }
        i += 1;
    }
    let logs = data
        .into_iter()
        .enumerate()
        .map(|(index, (address, data))| Log {
            inner: alloy::primitives::Log { address, data },
            block_hash: Some(info.hash),
            block_number: Some(number),
            block_timestamp: None,
            transaction_hash: Some(B256::repeat_byte((index % 251) as u8)),
            transaction_index: Some(index as u64 / 10),
            log_index: Some(index as u64),
            removed: false,
        })
        .collect();
    Batch { blocks: vec![info], logs }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let base = env("BENCH_BASE_BLOCKS", 300).max(1);
    let per_block = env("BENCH_EVENTS_PER_BLOCK", 200).max(1);
    let accounts = env("BENCH_ACCOUNTS", 1_000).max(2);
    let rounds = env("BENCH_ROUNDS", 20).max(1);
    let c = contracts();
    let pg = LocalPostgres::start().unwrap();
    let pool = db::connect(&pg.create_database("bench_rollback").unwrap(), 2).await.unwrap();

    let mut commits = Vec::new();
    let mut checkpoint = None;
    for number in 1..=base {
        let batch = block(&c, number, 0, per_block, accounts);
        let started = Instant::now();
        store::commit(&pool, CHAIN, &c, checkpoint, &batch, 256).await.unwrap();
        commits.push(started.elapsed());
        checkpoint = Some(number);
    }
    let ancestor = Checkpoint { number: base, hash: hash(base, 0) };
    let mut rollbacks = Vec::new();
    let mut replayed = 0;
    let mut events = 0;
    for round in 1..=rounds {
        events = 0;
        for number in base + 1..=base + DEPTH {
            let batch = block(&c, number, round, per_block, accounts);
            events += batch.logs.len();
            let started = Instant::now();
            store::commit(&pool, CHAIN, &c, Some(number - 1), &batch, 256).await.unwrap();
            commits.push(started.elapsed());
        }
        let started = Instant::now();
        replayed = store::rollback(&pool, CHAIN, base + DEPTH, ancestor).await.unwrap();
        rollbacks.push(started.elapsed());
        assert_eq!(store::checkpoint(&pool, CHAIN).await.unwrap(), Some(ancestor));
    }
    let (above,): (i64,) = sqlx::query_as("SELECT count(*) FROM raw_events WHERE block_number > $1")
        .bind(base as i64)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(above, 0, "nothing above the ancestor after the rollback");
    commits.sort();
    rollbacks.sort();
    println!("Postgres: throwaway cluster on this machine, fsync=off (durability off)");
    println!(
        "live commits (one block, {} events each, undo window 256): p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms over {}",
        events / DEPTH as usize,
        ms(percentile(&commits, 0.5)),
        ms(percentile(&commits, 0.9)),
        ms(percentile(&commits, 1.0)),
        commits.len()
    );
    let p50 = percentile(&rollbacks, 0.5);
    println!(
        "rollback of a depth-{DEPTH} reorg ({events} events, {replayed} undo records, on {base} blocks of history): \
         p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms over {rounds} rounds — target < 50 ms: {}",
        ms(p50),
        ms(percentile(&rollbacks, 0.9)),
        ms(percentile(&rollbacks, 1.0)),
        if percentile(&rollbacks, 1.0) < Duration::from_millis(50) {
            "met (max)"
        } else if p50 < Duration::from_millis(50) {
            "met at p50, NOT at max"
        } else {
            "NOT met"
        }
    );
}
