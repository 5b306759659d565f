//! Writing to the mirror: a batch of blocks with their logs, the derived rows and the checkpoint in one database
//! transaction; and the rollback of everything above a block.
//!
//! Idempotence: a log's raw row is keyed by (chain, block, tx index, log index) and inserted with
//! `ON CONFLICT DO NOTHING`; derived rows are written only when that insert took, so a redelivered log changes
//! nothing. The checkpoint row is locked and compared with what the caller read, so two writers (or a writer that
//! raced a rollback) cannot interleave: the loser gets [`StoreError::CheckpointMoved`] and re-reads.

use crate::evm::decode::{Event, decode};
use alloy::primitives::{Address, B256, U256};
use alloy::rpc::types::Log;
use mercato_manifest::EvmContracts;
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::{HashMap, HashSet};

/// Why a write failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Another writer moved the checkpoint since it was read.
    #[error("checkpoint moved: expected {expected:?}, found {found:?}")]
    CheckpointMoved {
        /// What the caller read.
        expected: Option<u64>,
        /// What the database holds.
        found: Option<u64>,
    },
    /// A log came without its position (a pending log): the source is broken.
    #[error("log without block number, hash, transaction or index")]
    IncompleteLog,
    /// A log's block is not among the batch's blocks (or its hash differs): the batch is inconsistent.
    #[error("log in block {0:?} whose header is not in the batch")]
    UnexpectedLog(Option<u64>),
}

/// A block header as the mirror keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockInfo {
    /// Height.
    pub number: u64,
    /// Hash.
    pub hash: B256,
    /// Parent hash.
    pub parent_hash: B256,
    /// Chain time, seconds.
    pub timestamp: u64,
}

/// The checkpoint: every block up to `number` (hash `hash`) is ingested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Last ingested block.
    pub number: u64,
    /// Its hash.
    pub hash: B256,
}

/// Blocks to commit: `blocks` sorted by number, ending with the new checkpoint; `logs` sorted by (block, log index),
/// each in a block of `blocks`.
#[derive(Debug, Default)]
pub struct Batch {
    /// The blocks (every block in live mode; blocks with logs and the last block in backfill).
    pub blocks: Vec<BlockInfo>,
    /// Their logs.
    pub logs: Vec<Log>,
}

/// What a commit wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommitStats {
    /// Logs stored for the first time.
    pub new_events: u64,
    /// Logs already stored (redelivered).
    pub duplicates: u64,
}

/// The chain key used in every table: `evm:<chain id>`.
pub fn evm_chain_key(chain_id: u64) -> String {
    format!("evm:{chain_id}")
}

/// Reads the checkpoint of `chain`.
pub async fn checkpoint(pool: &PgPool, chain: &str) -> Result<Option<Checkpoint>, sqlx::Error> {
    let row: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT block_number, block_hash FROM checkpoints WHERE chain = $1")
            .bind(chain)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(number, hash)| Checkpoint { number: number as u64, hash: B256::from_slice(&hash) }))
}

/// The stored blocks of `chain` from `at` down to `lowest`, newest first.
pub async fn recent_blocks(pool: &PgPool, chain: &str, at: u64, lowest: u64) -> Result<Vec<(u64, B256)>, sqlx::Error> {
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT number, hash FROM blocks WHERE chain = $1 AND number <= $2 AND number >= $3 ORDER BY number DESC",
    )
    .bind(chain)
    .bind(at as i64)
    .bind(lowest as i64)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(n, h)| (n as u64, B256::from_slice(&h))).collect())
}

async fn lock_checkpoint(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    expected: Option<u64>,
) -> Result<(), StoreError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT block_number FROM checkpoints WHERE chain = $1 FOR UPDATE")
        .bind(chain)
        .fetch_optional(&mut **tx)
        .await?;
    let found = found.map(|(n,)| n as u64);
    if found != expected {
        return Err(StoreError::CheckpointMoved { expected, found });
    }
    Ok(())
}

/// Commits `batch` on top of checkpoint `expected` (None: nothing ingested yet) and prunes undo records more than
/// `undo_window` blocks below the new checkpoint.
pub async fn commit(
    pool: &PgPool,
    chain: &str,
    contracts: &EvmContracts,
    expected: Option<u64>,
    batch: &Batch,
    undo_window: u64,
) -> Result<CommitStats, StoreError> {
    let Some(last) = batch.blocks.last() else { return Ok(CommitStats::default()) };
    let mut tx = pool.begin().await?;
    lock_checkpoint(&mut tx, chain, expected).await?;
    let mut stats = CommitStats::default();
    let headers: HashMap<u64, &BlockInfo> = batch.blocks.iter().map(|b| (b.number, b)).collect();
    for log in &batch.logs {
        if log.transaction_hash.is_none() || log.transaction_index.is_none() || log.log_index.is_none() {
            return Err(StoreError::IncompleteLog);
        }
        let header = log.block_number.and_then(|n| headers.get(&n));
        if header.is_none_or(|h| log.block_hash != Some(h.hash)) {
            return Err(StoreError::UnexpectedLog(log.block_number));
        }
    }
    insert_blocks(&mut tx, chain, &batch.blocks).await?;
    let mut inserted = insert_raw(&mut tx, chain, contracts, &batch.logs).await?;
    // Derived rows, in chain order, only for logs stored for the first time (a redelivered log is a no-op).
    let mut sorted: Vec<&Log> = batch.logs.iter().collect();
    sorted.sort_by_key(|l| (l.block_number, l.log_index));
    let mut tagged = None;
    for log in sorted {
        let (block, index) = (log.block_number.unwrap_or_default(), log.log_index.unwrap_or_default());
        // remove: a log delivered twice in one batch is stored once and applied once
        if !inserted.remove(&(block as i64, index as i64)) {
            stats.duplicates += 1;
            continue;
        }
        stats.new_events += 1;
        let Some(event) = decode(contracts, log) else { continue };
        if tagged != Some(block) {
            // The undo trigger tags state-table changes with this block.
            sqlx::query("SELECT set_config('mercato.block', $1, true)")
                .bind(block.to_string())
                .execute(&mut *tx)
                .await?;
            tagged = Some(block);
        }
        let at = At {
            chain,
            block: block as i64,
            log: index as i64,
            tx: log.transaction_hash.unwrap_or_default(),
            time: headers.get(&block).map_or(0, |h| h.timestamp as i64),
        };
        apply(&mut tx, contracts, &at, &event).await?;
    }
    crate::wash::flag_new_sales(&mut tx, chain, expected, last.number).await?;
    sqlx::query(
        "INSERT INTO checkpoints (chain, block_number, block_hash) VALUES ($1, $2, $3)
         ON CONFLICT (chain) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
         updated_at = now()",
    )
    .bind(chain)
    .bind(last.number as i64)
    .bind(last.hash.as_slice())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM undo_log WHERE chain = $1 AND block_number < $2")
        .bind(chain)
        .bind(last.number.saturating_sub(undo_window) as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(stats)
}

/// Undoes everything of `chain` above `ancestor` (derived rows, raw events, blocks) and sets the checkpoint there, in
/// one transaction. Returns the number of undo records replayed.
pub async fn rollback(pool: &PgPool, chain: &str, expected: u64, ancestor: Checkpoint) -> Result<i64, StoreError> {
    let mut tx = pool.begin().await?;
    lock_checkpoint(&mut tx, chain, Some(expected)).await?;
    let (replayed,): (i64,) = sqlx::query_as("SELECT rollback_state($1, $2)")
        .bind(chain)
        .bind(ancestor.number as i64)
        .fetch_one(&mut *tx)
        .await?;
    for table in ["transfers", "bids", "sales", "votes", "parameter_changes", "wash_trades", "raw_events"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE chain = $1 AND block_number > $2"))
            .bind(chain)
            .bind(ancestor.number as i64)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM blocks WHERE chain = $1 AND number > $2")
        .bind(chain)
        .bind(ancestor.number as i64)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE checkpoints SET block_number = $2, block_hash = $3, updated_at = now() WHERE chain = $1")
        .bind(chain)
        .bind(ancestor.number as i64)
        .bind(ancestor.hash.as_slice())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(replayed)
}

async fn insert_blocks(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    blocks: &[BlockInfo],
) -> Result<(), sqlx::Error> {
    let numbers: Vec<i64> = blocks.iter().map(|b| b.number as i64).collect();
    let hashes: Vec<Vec<u8>> = blocks.iter().map(|b| b.hash.to_vec()).collect();
    let parents: Vec<Vec<u8>> = blocks.iter().map(|b| b.parent_hash.to_vec()).collect();
    let times: Vec<i64> = blocks.iter().map(|b| b.timestamp as i64).collect();
    sqlx::query(
        "INSERT INTO blocks (chain, number, hash, parent_hash, timestamp)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::bytea[], $4::bytea[], $5::bigint[])
         ON CONFLICT (chain, number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash,
         timestamp = EXCLUDED.timestamp",
    )
    .bind(chain)
    .bind(numbers)
    .bind(hashes)
    .bind(parents)
    .bind(times)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts the logs' raw rows in one statement; returns the (block, log index) of those stored for the first time.
/// Topics travel concatenated (32 bytes each) and are split back into an array in SQL.
async fn insert_raw(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    contracts: &EvmContracts,
    logs: &[Log],
) -> Result<HashSet<(i64, i64)>, sqlx::Error> {
    if logs.is_empty() {
        return Ok(HashSet::new());
    }
    let column = |f: &dyn Fn(&Log) -> i64| logs.iter().map(f).collect::<Vec<i64>>();
    let bytes = |f: &dyn Fn(&Log) -> Vec<u8>| logs.iter().map(f).collect::<Vec<Vec<u8>>>();
    let names: Vec<Option<&str>> = logs.iter().map(|l| decode(contracts, l).map(|e| e.name())).collect();
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "INSERT INTO raw_events (chain, block_number, tx_index, log_index, block_hash, tx_hash, address, name, topics, data)
         SELECT $1, r.b, r.t, r.l, r.bh, r.th, r.a, r.n,
                ARRAY(SELECT substring(r.tp FROM i * 32 + 1 FOR 32) FROM generate_series(0, length(r.tp) / 32 - 1) AS i
                      ORDER BY i),
                r.d
         FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[], $5::bytea[], $6::bytea[], $7::bytea[], $8::text[],
                     $9::bytea[], $10::bytea[]) AS r(b, t, l, bh, th, a, n, tp, d)
         ON CONFLICT DO NOTHING
         RETURNING block_number, log_index",
    )
    .bind(chain)
    .bind(column(&|l| l.block_number.unwrap_or_default() as i64))
    .bind(column(&|l| l.transaction_index.unwrap_or_default() as i64))
    .bind(column(&|l| l.log_index.unwrap_or_default() as i64))
    .bind(bytes(&|l| l.block_hash.unwrap_or_default().to_vec()))
    .bind(bytes(&|l| l.transaction_hash.unwrap_or_default().to_vec()))
    .bind(bytes(&|l| l.inner.address.to_vec()))
    .bind(names)
    .bind(bytes(&|l| l.inner.topics().iter().flat_map(|t| t.0).collect()))
    .bind(bytes(&|l| l.inner.data.data.to_vec()))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Where an event happened.
struct At<'a> {
    chain: &'a str,
    block: i64,
    log: i64,
    tx: B256,
    time: i64,
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        1 => "english",
        2 => "dutch",
        _ => "fixed",
    }
}

fn n(value: U256) -> String {
    value.to_string()
}

fn a(address: &Address) -> &[u8] {
    address.as_slice()
}

async fn add_balance(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    who: &Address,
    delta: String,
) -> Result<(), sqlx::Error> {
    if *who == Address::ZERO {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO accounts (chain, address, balance) VALUES ($1, $2, $3::numeric)
         ON CONFLICT (chain, address) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance",
    )
    .bind(chain)
    .bind(a(who))
    .bind(delta)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn set_listing_status(
    tx: &mut Transaction<'_, Postgres>,
    at: &At<'_>,
    house: &Address,
    id: U256,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE listings SET status = $4, closed_block = $5 WHERE chain = $1 AND house = $2 AND listing_id = $3::numeric")
        .bind(at.chain)
        .bind(a(house))
        .bind(n(id))
        .bind(status)
        .bind(at.block)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    c: &EvmContracts,
    at: &At<'_>,
    event: &Event,
) -> Result<(), sqlx::Error> {
    let chain = at.chain;
    match event {
        Event::CurrencyTransfer { from, to, value } => {
            add_balance(tx, chain, from, format!("-{value}")).await?;
            add_balance(tx, chain, to, n(*value)).await?;
            sqlx::query(
                "INSERT INTO transfers (chain, block_number, log_index, tx_hash, block_time, asset, contract, from_address, to_address, amount)
                 VALUES ($1, $2, $3, $4, $5, 'currency', $6, $7, $8, $9::numeric)",
            )
            .bind(chain).bind(at.block).bind(at.log).bind(at.tx.as_slice()).bind(at.time)
            .bind(a(&c.token)).bind(a(from)).bind(a(to)).bind(n(*value))
            .execute(&mut **tx).await?;
        }
        Event::DelegateChanged { delegator, to } => {
            sqlx::query(
                "INSERT INTO accounts (chain, address, delegate) VALUES ($1, $2, $3)
                 ON CONFLICT (chain, address) DO UPDATE SET delegate = EXCLUDED.delegate",
            )
            .bind(chain)
            .bind(a(delegator))
            .bind(a(to))
            .execute(&mut **tx)
            .await?;
        }
        Event::DelegateVotesChanged { delegate, votes } => {
            sqlx::query(
                "INSERT INTO accounts (chain, address, votes) VALUES ($1, $2, $3::numeric)
                 ON CONFLICT (chain, address) DO UPDATE SET votes = EXCLUDED.votes",
            )
            .bind(chain)
            .bind(a(delegate))
            .bind(n(*votes))
            .execute(&mut **tx)
            .await?;
        }
        Event::ItemTransfer { from, to, id } => {
            sqlx::query(
                "INSERT INTO items (chain, collection, token_id, owner, minted_block) VALUES ($1, $2, $3::numeric, $4, $5)
                 ON CONFLICT (chain, collection, token_id) DO UPDATE SET owner = EXCLUDED.owner",
            )
            .bind(chain).bind(a(&c.items)).bind(n(*id)).bind(a(to)).bind(at.block)
            .execute(&mut **tx).await?;
            sqlx::query(
                "INSERT INTO transfers (chain, block_number, log_index, tx_hash, block_time, asset, contract, from_address, to_address, token_id)
                 VALUES ($1, $2, $3, $4, $5, 'item', $6, $7, $8, $9::numeric)",
            )
            .bind(chain).bind(at.block).bind(at.log).bind(at.tx.as_slice()).bind(at.time)
            .bind(a(&c.items)).bind(a(from)).bind(a(to)).bind(n(*id))
            .execute(&mut **tx).await?;
        }
        Event::ItemMinted { id, to, class, rarity, power } => {
            sqlx::query(
                "INSERT INTO items (chain, collection, token_id, owner, class, rarity, power, minted_block)
                 VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $8)
                 ON CONFLICT (chain, collection, token_id) DO UPDATE
                 SET class = EXCLUDED.class, rarity = EXCLUDED.rarity, power = EXCLUDED.power",
            )
            .bind(chain)
            .bind(a(&c.items))
            .bind(n(*id))
            .bind(a(to))
            .bind(i32::from(*class))
            .bind(i32::from(*rarity))
            .bind(i64::from(*power))
            .bind(at.block)
            .execute(&mut **tx)
            .await?;
        }
        Event::ListingCreated { id, kind, seller, nft, token_id, start_price, floor_price, start_time, end_time } => {
            sqlx::query(
                "INSERT INTO listings (chain, house, listing_id, kind, seller, nft, token_id, start_price, floor_price,
                                       start_time, end_time, created_block, created_log)
                 VALUES ($1, $2, $3::numeric, $4, $5, $6, $7::numeric, $8::numeric, $9::numeric, $10, $11, $12, $13)",
            )
            .bind(chain)
            .bind(a(&c.auction_house))
            .bind(n(*id))
            .bind(kind_name(*kind))
            .bind(a(seller))
            .bind(a(nft))
            .bind(n(*token_id))
            .bind(n(*start_price))
            .bind(n(*floor_price))
            .bind(*start_time as i64)
            .bind(*end_time as i64)
            .bind(at.block)
            .bind(at.log)
            .execute(&mut **tx)
            .await?;
        }
        Event::BidPlaced { id, bidder, amount, previous_bidder, previous_amount, end_time } => {
            sqlx::query(
                "UPDATE listings SET high_bidder = $4, high_bid = $5::numeric, end_time = $6, bid_count = bid_count + 1
                 WHERE chain = $1 AND house = $2 AND listing_id = $3::numeric",
            )
            .bind(chain)
            .bind(a(&c.auction_house))
            .bind(n(*id))
            .bind(a(bidder))
            .bind(n(*amount))
            .bind(*end_time as i64)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO bids (chain, block_number, log_index, tx_hash, block_time, house, listing_id, bidder, amount,
                                   previous_bidder, previous_amount, end_time)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9::numeric, $10, $11::numeric, $12)",
            )
            .bind(chain).bind(at.block).bind(at.log).bind(at.tx.as_slice()).bind(at.time)
            .bind(a(&c.auction_house)).bind(n(*id)).bind(a(bidder)).bind(n(*amount))
            .bind(a(previous_bidder)).bind(n(*previous_amount)).bind(*end_time as i64)
            .execute(&mut **tx).await?;
        }
        Event::Sale { id, kind, seller, buyer, nft, token_id, price, fee, royalty, royalty_receiver } => {
            set_listing_status(tx, at, &c.auction_house, *id, "sold").await?;
            sqlx::query(
                "INSERT INTO sales (chain, block_number, log_index, tx_hash, block_time, house, listing_id, kind, seller,
                                    buyer, nft, token_id, item_class, currency, price, fee, royalty, royalty_receiver)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10, $11, $12::numeric,
                         (SELECT class FROM items WHERE chain = $1 AND collection = $11 AND token_id = $12::numeric),
                         $13, $14::numeric, $15::numeric, $16::numeric, $17)",
            )
            .bind(chain).bind(at.block).bind(at.log).bind(at.tx.as_slice()).bind(at.time)
            .bind(a(&c.auction_house)).bind(n(*id)).bind(kind_name(*kind)).bind(a(seller)).bind(a(buyer))
            .bind(a(nft)).bind(n(*token_id)).bind(a(&c.token)).bind(n(*price)).bind(n(*fee)).bind(n(*royalty))
            .bind(a(royalty_receiver))
            .execute(&mut **tx).await?;
        }
        Event::ListingCancelled { id } => set_listing_status(tx, at, &c.auction_house, *id, "cancelled").await?,
        Event::AuctionUnsold { id } => set_listing_status(tx, at, &c.auction_house, *id, "unsold").await?,
        Event::SettlementFailed { id } => set_listing_status(tx, at, &c.auction_house, *id, "failed").await?,
        Event::QuorumNumeratorUpdated { old, new } => {
            let name = "quorumNumerator".to_owned();
            let change = Event::ParameterChanged { name, old: *old, new: *new };
            Box::pin(apply(tx, c, at, &change)).await?;
        }
        Event::ParameterChanged { name, old, new } => {
            sqlx::query(
                "INSERT INTO parameter_changes (chain, block_number, log_index, tx_hash, block_time, name, old_value, new_value)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric)",
            )
            .bind(chain).bind(at.block).bind(at.log).bind(at.tx.as_slice()).bind(at.time)
            .bind(name).bind(n(*old)).bind(n(*new))
            .execute(&mut **tx).await?;
        }
        Event::ProposalCreated { id, proposer, targets, calldatas, vote_start, vote_end, description } => {
            let targets: Vec<Vec<u8>> = targets.iter().map(|t| t.to_vec()).collect();
            let calldatas: Vec<Vec<u8>> = calldatas.iter().map(|d| d.to_vec()).collect();
            sqlx::query(
                "INSERT INTO proposals (chain, governor, proposal_id, proposer, description, targets, calldatas,
                                        vote_start, vote_end, created_block, created_log)
                 VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(chain)
            .bind(a(&c.governor))
            .bind(n(*id))
            .bind(a(proposer))
            .bind(description)
            .bind(targets)
            .bind(calldatas)
            .bind(*vote_start as i64)
            .bind(*vote_end as i64)
            .bind(at.block)
            .bind(at.log)
            .execute(&mut **tx)
            .await?;
        }
        Event::VoteCast { voter, id, support, weight, reason } => {
            let column = match support {
                0 => "votes_against",
                1 => "votes_for",
                _ => "votes_abstain",
            };
            sqlx::query(&format!(
                "UPDATE proposals SET {column} = {column} + $4::numeric, voters = voters + 1
                 WHERE chain = $1 AND governor = $2 AND proposal_id = $3::numeric"
            ))
            .bind(chain)
            .bind(a(&c.governor))
            .bind(n(*id))
            .bind(n(*weight))
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO votes (chain, block_number, log_index, tx_hash, block_time, governor, proposal_id, voter,
                                    support, weight, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10::numeric, $11)",
            )
            .bind(chain)
            .bind(at.block)
            .bind(at.log)
            .bind(at.tx.as_slice())
            .bind(at.time)
            .bind(a(&c.governor))
            .bind(n(*id))
            .bind(a(voter))
            .bind(i32::from(*support))
            .bind(n(*weight))
            .bind(reason)
            .execute(&mut **tx)
            .await?;
        }
        Event::ProposalExtended { id, vote_end } => {
            sqlx::query(
                "UPDATE proposals SET vote_end = $4 WHERE chain = $1 AND governor = $2 AND proposal_id = $3::numeric",
            )
            .bind(chain)
            .bind(a(&c.governor))
            .bind(n(*id))
            .bind(*vote_end as i64)
            .execute(&mut **tx)
            .await?;
        }
        Event::ProposalQueued { id, eta } => {
            sqlx::query("UPDATE proposals SET outcome = 'queued', eta = $4 WHERE chain = $1 AND governor = $2 AND proposal_id = $3::numeric")
                .bind(chain).bind(a(&c.governor)).bind(n(*id)).bind(*eta as i64)
                .execute(&mut **tx).await?;
        }
        Event::ProposalExecuted { id } | Event::ProposalCanceled { id } => {
            let outcome = if matches!(event, Event::ProposalExecuted { .. }) { "executed" } else { "canceled" };
            sqlx::query(
                "UPDATE proposals SET outcome = $4 WHERE chain = $1 AND governor = $2 AND proposal_id = $3::numeric",
            )
            .bind(chain)
            .bind(a(&c.governor))
            .bind(n(*id))
            .bind(outcome)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
