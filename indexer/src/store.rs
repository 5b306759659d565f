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

/// Locks `chain`'s checkpoint row for the transaction and checks it is still at `expected` (None: no row yet): a
/// writer that read an older checkpoint is refused instead of committing on top of another writer's blocks.
pub(crate) async fn lock_checkpoint(
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
    let events: Vec<Option<Event>> = batch.logs.iter().map(|l| decode(contracts, l)).collect();
    let mut inserted = insert_raw(&mut tx, chain, &batch.logs, &events).await?;
    // Derived rows, in chain order, only for logs stored for the first time (a redelivered log is a no-op).
    let mut order: Vec<usize> = (0..batch.logs.len()).collect();
    order.sort_by_key(|&i| (batch.logs[i].block_number, batch.logs[i].log_index));
    // Blocks below this one are past the undo window once this batch commits (their undo records are pruned
    // below): their state changes are written as one group without undo records.
    let final_below = last.number.saturating_sub(undo_window);
    let mut derived = Derived::default();
    let mut group = Group::default();
    for i in order {
        let log = &batch.logs[i];
        let (block, index) = (log.block_number.unwrap_or_default(), log.log_index.unwrap_or_default());
        // remove: a log delivered twice in one batch is stored once and applied once
        if !inserted.remove(&(block as i64, index as i64)) {
            stats.duplicates += 1;
            continue;
        }
        stats.new_events += 1;
        let Some(event) = &events[i] else { continue };
        let key = if block < final_below { None } else { Some(block) };
        if group.key != key {
            group.flush(&mut tx, chain, contracts).await?;
            group = Group { key, ..Group::default() };
        }
        let at = At {
            chain,
            block: block as i64,
            log: index as i64,
            tx: log.transaction_hash.unwrap_or_default(),
            time: headers.get(&block).map_or(0, |h| h.timestamp as i64),
        };
        if !derived.take(&mut group, &at, contracts, event) {
            group.sequential.push((at, event));
        }
    }
    group.flush(&mut tx, chain, contracts).await?;
    derived.insert_transfers(&mut tx, chain).await?;
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
/// one transaction and one call (`rollback_to`, migration `0011_fast_rollback.sql`, which lists the append-only
/// tables), counting the rollback in the checkpoint row (`rollbacks`, read by the API's answer cache). Returns the
/// number of undo records replayed.
pub async fn rollback(pool: &PgPool, chain: &str, expected: u64, ancestor: Checkpoint) -> Result<i64, StoreError> {
    let mut tx = pool.begin().await?;
    lock_checkpoint(&mut tx, chain, Some(expected)).await?;
    let (replayed,): (i64,) = sqlx::query_as("SELECT rollback_to($1, $2, $3)")
        .bind(chain)
        .bind(ancestor.number as i64)
        .bind(ancestor.hash.as_slice())
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE checkpoints SET rollbacks = rollbacks + 1 WHERE chain = $1")
        .bind(chain)
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
/// Topics travel as four nullable columns (a log has at most four) and are gathered back into an array in SQL.
async fn insert_raw(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    logs: &[Log],
    events: &[Option<Event>],
) -> Result<HashSet<(i64, i64)>, sqlx::Error> {
    if logs.is_empty() {
        return Ok(HashSet::new());
    }
    let column = |f: &dyn Fn(&Log) -> i64| logs.iter().map(f).collect::<Vec<i64>>();
    let bytes = |f: &dyn Fn(&Log) -> Vec<u8>| logs.iter().map(f).collect::<Vec<Vec<u8>>>();
    let topic = |n: usize| logs.iter().map(|l| l.inner.topics().get(n).map(|t| t.to_vec())).collect::<Vec<_>>();
    let names: Vec<Option<&str>> = events.iter().map(|e| e.as_ref().map(Event::name)).collect();
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "INSERT INTO raw_events (chain, block_number, tx_index, log_index, block_hash, tx_hash, address, name, topics, data)
         SELECT $1, r.b, r.t, r.l, r.bh, r.th, r.a, r.n, array_remove(ARRAY[r.t0, r.t1, r.t2, r.t3], NULL), r.d
         FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[], $5::bytea[], $6::bytea[], $7::bytea[], $8::text[],
                     $9::bytea[], $10::bytea[], $11::bytea[], $12::bytea[], $13::bytea[])
              AS r(b, t, l, bh, th, a, n, t0, t1, t2, t3, d)
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
    .bind(topic(0))
    .bind(topic(1))
    .bind(topic(2))
    .bind(topic(3))
    .bind(bytes(&|l| l.inner.data.data.to_vec()))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The append-only rows of a batch written in bulk: `transfers` (currency and items).
#[derive(Default)]
struct Derived {
    block: Vec<i64>,
    log: Vec<i64>,
    tx: Vec<Vec<u8>>,
    time: Vec<i64>,
    asset: Vec<&'static str>,
    contract: Vec<Vec<u8>>,
    from: Vec<Vec<u8>>,
    to: Vec<Vec<u8>>,
    amount: Vec<Option<String>>,
    token_id: Vec<Option<String>>,
}

impl Derived {
    /// Records the bulk-written effects of `event` (in `group` for state tables, here for `transfers`); false when
    /// the event is applied on its own (market and governance events: rare, and they update rows in place).
    fn take(&mut self, group: &mut Group<'_>, at: &At<'_>, c: &EvmContracts, event: &Event) -> bool {
        match event {
            Event::CurrencyTransfer { from, to, value } => {
                for (who, delta) in [(from, format!("-{value}")), (to, n(*value))] {
                    if *who != Address::ZERO {
                        group.accounts.push(*who, Some(delta), None, None);
                    }
                }
                self.push(at, "currency", &c.token, from, to, Some(n(*value)), None);
            }
            Event::DelegateChanged { delegator, to } => group.accounts.push(*delegator, None, Some(*to), None),
            Event::DelegateVotesChanged { delegate, votes } => {
                group.accounts.push(*delegate, None, None, Some(n(*votes)));
            }
            Event::ItemTransfer { from, to, id } => {
                group.items.push(at.block, *id, *to, None);
                self.push(at, "item", &c.items, from, to, None, Some(n(*id)));
            }
            Event::ItemMinted { id, to, class, rarity, power } => {
                group.items.push(at.block, *id, *to, Some((*class, *rarity, *power)));
            }
            _ => return false,
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        at: &At<'_>,
        asset: &'static str,
        contract: &Address,
        from: &Address,
        to: &Address,
        amount: Option<String>,
        token_id: Option<String>,
    ) {
        self.block.push(at.block);
        self.log.push(at.log);
        self.tx.push(at.tx.to_vec());
        self.time.push(at.time);
        self.asset.push(asset);
        self.contract.push(contract.to_vec());
        self.from.push(from.to_vec());
        self.to.push(to.to_vec());
        self.amount.push(amount);
        self.token_id.push(token_id);
    }

    async fn insert_transfers(self, tx: &mut Transaction<'_, Postgres>, chain: &str) -> Result<(), sqlx::Error> {
        if self.block.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO transfers (chain, block_number, log_index, tx_hash, block_time, asset, contract, from_address,
                                    to_address, amount, token_id)
             SELECT $1, r.b, r.l, r.th, r.bt, r.a, r.c, r.f, r.t, r.am::numeric, r.id::numeric
             FROM UNNEST($2::bigint[], $3::bigint[], $4::bytea[], $5::bigint[], $6::text[], $7::bytea[], $8::bytea[],
                         $9::bytea[], $10::text[], $11::text[]) AS r(b, l, th, bt, a, c, f, t, am, id)",
        )
        .bind(chain)
        .bind(self.block)
        .bind(self.log)
        .bind(self.tx)
        .bind(self.time)
        .bind(self.asset)
        .bind(self.contract)
        .bind(self.from)
        .bind(self.to)
        .bind(self.amount)
        .bind(self.token_id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// Account changes of one group, in chain order: a balance delta, a new delegate, new voting power.
#[derive(Default)]
struct AccountChanges {
    address: Vec<Vec<u8>>,
    delta: Vec<Option<String>>,
    delegate: Vec<Option<Vec<u8>>>,
    votes: Vec<Option<String>>,
}

impl AccountChanges {
    fn push(&mut self, who: Address, delta: Option<String>, delegate: Option<Address>, votes: Option<String>) {
        self.address.push(who.to_vec());
        self.delta.push(delta);
        self.delegate.push(delegate.map(|d| d.to_vec()));
        self.votes.push(votes);
    }
}

/// Item changes of one group, in chain order: a transfer (new owner) or a mint (recipient and attributes).
#[derive(Default)]
struct ItemChanges {
    block: Vec<i64>,
    id: Vec<String>,
    owner: Vec<Vec<u8>>,
    minted: Vec<bool>,
    class: Vec<Option<i32>>,
    rarity: Vec<Option<i32>>,
    power: Vec<Option<i64>>,
}

impl ItemChanges {
    fn push(&mut self, block: i64, id: U256, owner: Address, mint: Option<(u16, u8, u32)>) {
        self.block.push(block);
        self.id.push(n(id));
        self.owner.push(owner.to_vec());
        self.minted.push(mint.is_some());
        self.class.push(mint.map(|m| i32::from(m.0)));
        self.rarity.push(mint.map(|m| i32::from(m.1)));
        self.power.push(mint.map(|m| i64::from(m.2)));
    }
}

/// The state-table changes of one block (`key` Some), or of the batch's blocks that are past the undo window
/// (`key` None: written without undo records, which this commit would prune anyway). Accounts and items are merged
/// in one statement each (the result of applying the group's events in order); market and governance events follow,
/// one by one, in chain order.
#[derive(Default)]
struct Group<'a> {
    key: Option<u64>,
    accounts: AccountChanges,
    items: ItemChanges,
    sequential: Vec<(At<'a>, &'a Event)>,
}

impl Group<'_> {
    fn is_empty(&self) -> bool {
        self.accounts.address.is_empty() && self.items.id.is_empty() && self.sequential.is_empty()
    }

    async fn flush(
        &mut self,
        tx: &mut Transaction<'_, Postgres>,
        chain: &str,
        c: &EvmContracts,
    ) -> Result<(), sqlx::Error> {
        if self.is_empty() {
            return Ok(());
        }
        // The undo trigger tags state-table changes with this block; `mercato.rollback = on` mutes it (the
        // group past the undo window).
        let (block, mute) = match self.key {
            Some(block) => (block.to_string(), "off"),
            None => (String::new(), "on"),
        };
        sqlx::query("SELECT set_config('mercato.block', $1, true), set_config('mercato.rollback', $2, true)")
            .bind(block)
            .bind(mute)
            .execute(&mut **tx)
            .await?;
        let accounts = std::mem::take(&mut self.accounts);
        if !accounts.address.is_empty() {
            // Per account: the sum of the deltas, the last delegate and the last voting power (NULL: unchanged).
            sqlx::query(
                "MERGE INTO accounts AS t
                 USING (SELECT e.address, sum(e.delta::numeric) AS delta,
                               (array_agg(e.delegate ORDER BY e.ord DESC) FILTER (WHERE e.delegate IS NOT NULL))[1]
                                   AS delegate,
                               (array_agg(e.votes ORDER BY e.ord DESC) FILTER (WHERE e.votes IS NOT NULL))[1]::numeric
                                   AS votes
                        FROM UNNEST($2::bytea[], $3::text[], $4::bytea[], $5::text[]) WITH ORDINALITY
                             AS e(address, delta, delegate, votes, ord)
                        GROUP BY e.address) AS g
                 ON t.chain = $1 AND t.address = g.address
                 WHEN MATCHED THEN UPDATE SET balance = t.balance + COALESCE(g.delta, 0),
                      delegate = COALESCE(g.delegate, t.delegate), votes = COALESCE(g.votes, t.votes)
                 WHEN NOT MATCHED THEN INSERT (chain, address, balance, delegate, votes)
                      VALUES ($1, g.address, COALESCE(g.delta, 0), g.delegate, COALESCE(g.votes, 0))",
            )
            .bind(chain)
            .bind(accounts.address)
            .bind(accounts.delta)
            .bind(accounts.delegate)
            .bind(accounts.votes)
            .execute(&mut **tx)
            .await?;
        }
        let items = std::mem::take(&mut self.items);
        if !items.id.is_empty() {
            // Per item: the last transfer's recipient is the owner; the last mint gives the attributes (and the
            // owner of an item the group creates without a transfer); minted_block is the first block that
            // created it.
            sqlx::query(
                "MERGE INTO items AS t
                 USING (SELECT e.id::numeric AS token_id, min(e.block) AS block, bool_or(e.minted) AS minted,
                               (array_agg(e.owner ORDER BY e.ord DESC) FILTER (WHERE NOT e.minted))[1] AS owner,
                               (array_agg(e.owner ORDER BY e.ord DESC) FILTER (WHERE e.minted))[1] AS mint_to,
                               (array_agg(e.class ORDER BY e.ord DESC) FILTER (WHERE e.minted))[1] AS class,
                               (array_agg(e.rarity ORDER BY e.ord DESC) FILTER (WHERE e.minted))[1] AS rarity,
                               (array_agg(e.power ORDER BY e.ord DESC) FILTER (WHERE e.minted))[1] AS power
                        FROM UNNEST($3::bigint[], $4::text[], $5::bytea[], $6::bool[], $7::int[], $8::int[],
                                    $9::bigint[]) WITH ORDINALITY AS e(block, id, owner, minted, class, rarity, power, ord)
                        GROUP BY e.id::numeric) AS g
                 ON t.chain = $1 AND t.collection = $2 AND t.token_id = g.token_id
                 WHEN MATCHED THEN UPDATE SET owner = COALESCE(g.owner, t.owner),
                      class = CASE WHEN g.minted THEN g.class ELSE t.class END,
                      rarity = CASE WHEN g.minted THEN g.rarity ELSE t.rarity END,
                      power = CASE WHEN g.minted THEN g.power ELSE t.power END
                 WHEN NOT MATCHED THEN INSERT (chain, collection, token_id, owner, class, rarity, power, minted_block)
                      VALUES ($1, $2, g.token_id, COALESCE(g.owner, g.mint_to), g.class, g.rarity, g.power, g.block)",
            )
            .bind(chain)
            .bind(a(&c.items))
            .bind(items.block)
            .bind(items.id)
            .bind(items.owner)
            .bind(items.minted)
            .bind(items.class)
            .bind(items.rarity)
            .bind(items.power)
            .execute(&mut **tx)
            .await?;
        }
        for (at, event) in std::mem::take(&mut self.sequential) {
            apply(tx, c, &at, event).await?;
        }
        if self.key.is_none() {
            sqlx::query("SELECT set_config('mercato.rollback', 'off', true)").execute(&mut **tx).await?;
        }
        Ok(())
    }
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
        // Written in bulk by `Group::flush` and `Derived::insert_transfers`.
        Event::CurrencyTransfer { .. }
        | Event::DelegateChanged { .. }
        | Event::DelegateVotesChanged { .. }
        | Event::ItemTransfer { .. }
        | Event::ItemMinted { .. } => {}
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
