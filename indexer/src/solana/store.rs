//! Writing Solana batches: in one database transaction, the blocks, every new transaction (`solana_transactions`)
//! with its events (`raw_events`), the derived rows, the chain's checkpoint and the per-address checkpoints; and the
//! rollback of everything above a slot (finality re-check). The EVM writer (`crate::store`) is not touched; the
//! checkpoint lock and the undo machinery (`record_undo`, `rollback_state`) are the same.
//!
//! Positions: `raw_events` is keyed (chain, slot, index of the transaction in its block, index of the event among
//! the transaction's `Program data:` lines), `tx_hash` being the signature. Append-only derived tables are keyed
//! (chain, block_number, log_index), so there `log_index = tx_index * 65536 + event index` (and `+ 32768 + k` for
//! item transfers read from token balances).

use super::decode::{DecodedEvent, Programs, SolEvent, describe_change};
use super::source::{SlotBlock, TokenBalance};
use crate::store::{StoreError, lock_checkpoint};
use alloy::primitives::U256;
use mercato_solana_client::anchor_lang::AnchorSerialize;
use mercato_solana_client::{Pubkey, auction, governance};
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::{BTreeSet, HashMap};

const ZERO: [u8; 32] = [0; 32];

/// The deployment's fixed accounts, and the chain key.
#[derive(Debug, Clone)]
pub struct SolanaContext {
    /// `solana:<cluster>`.
    pub chain: String,
    /// Program ids.
    pub programs: Programs,
    /// The currency mint.
    pub currency_mint: Pubkey,
    /// The items collection mint.
    pub collection: Pubkey,
    /// The auction house PDA.
    pub house: Pubkey,
    /// The governance PDA.
    pub governance: Pubkey,
    /// The economy config PDA (owner of the rewards vault and the treasury).
    pub economy_config: Pubkey,
}

/// A successful transaction to store.
#[derive(Debug)]
pub struct IngestedTx {
    /// Slot.
    pub slot: u64,
    /// Position in the block.
    pub tx_index: u64,
    /// Base58 signature.
    pub signature: String,
    /// Block time, seconds.
    pub block_time: i64,
    /// Its Mercato events.
    pub events: Vec<DecodedEvent>,
    /// Token balances before.
    pub pre: Vec<TokenBalance>,
    /// Token balances after.
    pub post: Vec<TokenBalance>,
}

/// Where a followed address's transactions are complete up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Slot.
    pub slot: u64,
    /// The newest signature of the address at or below it.
    pub signature: Option<String>,
}

/// A batch: every transaction of every followed address up to `cutoff`, above the previous checkpoint.
#[derive(Debug, Default)]
pub struct SolanaBatch {
    /// Every followed address is complete up to this slot after the commit.
    pub cutoff: u64,
    /// Blocks of the transactions' slots (and the cutoff's block, for the chain time).
    pub blocks: Vec<SlotBlock>,
    /// Transactions, sorted by (slot, tx index).
    pub txs: Vec<IngestedTx>,
    /// New per-address checkpoints.
    pub cursors: Vec<(Pubkey, Cursor)>,
    /// First SOL funders of the new sales' wallets not stored yet (the `common_funder` wash rule).
    pub funders: Vec<super::funders::FunderRow>,
}

/// What a commit wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SolanaStats {
    /// Transactions stored for the first time.
    pub new_transactions: u64,
    /// Transactions already stored.
    pub duplicates: u64,
    /// Events stored.
    pub new_events: u64,
}

fn pk(key: &Pubkey) -> Vec<u8> {
    key.to_bytes().to_vec()
}

fn pk58(text: &str) -> Option<Vec<u8>> {
    text.parse::<Pubkey>().ok().map(|k| pk(&k))
}

/// The chain's checkpoint slot (everything up to it is in).
pub async fn checkpoint(pool: &PgPool, chain: &str) -> Result<Option<u64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT block_number FROM checkpoints WHERE chain = $1")
        .bind(chain)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(n,)| n as u64))
}

/// The per-address checkpoints.
pub async fn cursors(pool: &PgPool, chain: &str) -> Result<HashMap<Pubkey, Cursor>, sqlx::Error> {
    let rows: Vec<(Vec<u8>, i64, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT address, slot, signature FROM solana_checkpoints WHERE chain = $1")
            .bind(chain)
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(address, slot, signature)| {
            let address = Pubkey::try_from(address.as_slice()).ok()?;
            Some((address, Cursor { slot: slot as u64, signature: signature.map(|s| bs58::encode(s).into_string()) }))
        })
        .collect())
}

/// Commits `batch` on top of checkpoint `expected` (None: nothing ingested yet).
pub async fn commit(
    pool: &PgPool,
    ctx: &SolanaContext,
    expected: Option<u64>,
    batch: &SolanaBatch,
) -> Result<SolanaStats, StoreError> {
    let chain = ctx.chain.as_str();
    let mut tx = pool.begin().await?;
    lock_checkpoint(&mut tx, chain, expected).await?;
    let mut stats = SolanaStats::default();
    for block in &batch.blocks {
        sqlx::query(
            "INSERT INTO blocks (chain, number, hash, parent_hash, timestamp) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (chain, number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash,
             timestamp = EXCLUDED.timestamp",
        )
        .bind(chain)
        .bind(block.slot as i64)
        .bind(&block.hash)
        .bind(&block.parent_hash)
        .bind(block.time)
        .execute(&mut *tx)
        .await?;
    }
    let hashes: HashMap<u64, &[u8]> = batch.blocks.iter().map(|b| (b.slot, b.hash.as_slice())).collect();
    let mut tagged = None;
    for t in &batch.txs {
        let signature = bs58::decode(&t.signature).into_vec().map_err(|_| StoreError::IncompleteLog)?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO solana_transactions (chain, slot, tx_index, signature, block_time, events)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING slot",
        )
        .bind(chain)
        .bind(t.slot as i64)
        .bind(t.tx_index as i64)
        .bind(&signature)
        .bind(t.block_time)
        .bind(t.events.len() as i32)
        .fetch_optional(&mut *tx)
        .await?;
        if inserted.is_none() {
            stats.duplicates += 1;
            continue;
        }
        stats.new_transactions += 1;
        if tagged != Some(t.slot) {
            sqlx::query("SELECT set_config('mercato.block', $1, true)")
                .bind(t.slot.to_string())
                .execute(&mut *tx)
                .await?;
            tagged = Some(t.slot);
        }
        let block_hash = hashes.get(&t.slot).map(|h| h.to_vec()).unwrap_or_default();
        for e in &t.events {
            sqlx::query(
                "INSERT INTO raw_events (chain, block_number, tx_index, log_index, block_hash, tx_hash, address, name,
                                         topics, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ARRAY[substring($9 FROM 1 FOR 8)], substring($9 FROM 9))
                 ON CONFLICT DO NOTHING",
            )
            .bind(chain)
            .bind(t.slot as i64)
            .bind(t.tx_index as i64)
            .bind(e.index as i64)
            .bind(&block_hash)
            .bind(&signature)
            .bind(pk(&e.program))
            .bind(e.event.name())
            .bind(&e.bytes)
            .execute(&mut *tx)
            .await?;
            stats.new_events += 1;
            let at = At {
                chain,
                block: t.slot as i64,
                log: (t.tx_index as i64) * 65_536 + e.index as i64,
                tx: &signature,
                time: t.block_time,
            };
            apply(&mut tx, ctx, &at, &e.event).await?;
        }
        let at = At {
            chain,
            block: t.slot as i64,
            log: (t.tx_index as i64) * 65_536 + 32_768,
            tx: &signature,
            time: t.block_time,
        };
        apply_balances(&mut tx, ctx, &at, t).await?;
    }
    let newest = batch.blocks.iter().map(|b| b.slot).max();
    if let Some(newest) = newest {
        // Blocks without a Mercato transaction are kept only as the newest (the chain time the API prices at).
        sqlx::query(
            "DELETE FROM blocks b WHERE b.chain = $1 AND b.number >= $2 AND b.number < $3
             AND NOT EXISTS (SELECT 1 FROM solana_transactions t WHERE t.chain = b.chain AND t.slot = b.number)",
        )
        .bind(chain)
        .bind(expected.unwrap_or(0) as i64)
        .bind(newest as i64)
        .execute(&mut *tx)
        .await?;
    }
    if !batch.funders.is_empty() {
        let f = &batch.funders;
        sqlx::query(
            "INSERT INTO solana_funders (chain, wallet, funder, slot, signature)
             SELECT $1, * FROM UNNEST($2::bytea[], $3::bytea[], $4::bigint[], $5::bytea[])
             ON CONFLICT (chain, wallet) DO NOTHING",
        )
        .bind(chain)
        .bind(f.iter().map(|r| pk(&r.wallet)).collect::<Vec<_>>())
        .bind(f.iter().map(|r| r.funder.as_ref().map(pk)).collect::<Vec<_>>())
        .bind(f.iter().map(|r| r.slot as i64).collect::<Vec<_>>())
        .bind(f.iter().map(|r| r.signature.clone()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    // Wash-trade flags of the new sales (same rules and table as EVM; slot-tagged, so a rollback removes them).
    crate::wash::flag_new_solana_sales(&mut tx, chain, expected, batch.cutoff).await?;
    let cutoff_hash = hashes.get(&batch.cutoff).map(|h| h.to_vec()).unwrap_or_default();
    sqlx::query(
        "INSERT INTO checkpoints (chain, block_number, block_hash) VALUES ($1, $2, $3)
         ON CONFLICT (chain) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
         updated_at = now()",
    )
    .bind(chain)
    .bind(batch.cutoff as i64)
    .bind(cutoff_hash)
    .execute(&mut *tx)
    .await?;
    for (address, cursor) in &batch.cursors {
        let signature = cursor.signature.as_deref().and_then(|s| bs58::decode(s).into_vec().ok());
        sqlx::query(
            "INSERT INTO solana_checkpoints (chain, address, slot, signature) VALUES ($1, $2, $3, $4)
             ON CONFLICT (chain, address) DO UPDATE SET slot = EXCLUDED.slot,
             signature = COALESCE(EXCLUDED.signature, solana_checkpoints.signature), updated_at = now()",
        )
        .bind(chain)
        .bind(pk(address))
        .bind(cursor.slot as i64)
        .bind(signature)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(stats)
}

/// Undoes everything of `chain` above slot `to` (derived rows through the undo log, append-only rows, raw events,
/// transactions, blocks) and moves every checkpoint back to `to`, in one transaction. Returns the undo records
/// replayed.
pub async fn rollback(pool: &PgPool, chain: &str, expected: u64, to: u64) -> Result<i64, StoreError> {
    let mut tx = pool.begin().await?;
    lock_checkpoint(&mut tx, chain, Some(expected)).await?;
    let (replayed,): (i64,) =
        sqlx::query_as("SELECT rollback_state($1, $2)").bind(chain).bind(to as i64).fetch_one(&mut *tx).await?;
    // Append-only rows, by the column that holds their slot.
    let appended = [
        ("transfers", "block_number"),
        ("bids", "block_number"),
        ("sales", "block_number"),
        ("votes", "block_number"),
        ("parameter_changes", "block_number"),
        ("wash_trades", "block_number"),
        ("raw_events", "block_number"),
        ("solana_funders", "slot"),
        ("solana_transactions", "slot"),
        ("blocks", "number"),
    ];
    for (table, slot) in appended {
        sqlx::query(&format!("DELETE FROM {table} WHERE chain = $1 AND {slot} > $2"))
            .bind(chain)
            .bind(to as i64)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE checkpoints SET block_number = $2, block_hash = '', updated_at = now(), rollbacks = rollbacks + 1
         WHERE chain = $1",
    )
    .bind(chain)
    .bind(to as i64)
    .execute(&mut *tx)
    .await?;
    // The signatures above `to` are gone: the next round pages back to slot `to` instead of stopping at one.
    sqlx::query(
        "UPDATE solana_checkpoints SET slot = $2, signature = NULL, updated_at = now() WHERE chain = $1 AND slot > $2",
    )
    .bind(chain)
    .bind(to as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(replayed)
}

/// Which of `wallets` have a row in `solana_funders` (their first funder was looked up).
pub async fn known_funders(
    pool: &PgPool,
    chain: &str,
    wallets: &[Pubkey],
) -> Result<std::collections::HashSet<Pubkey>, sqlx::Error> {
    let rows: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT wallet FROM solana_funders WHERE chain = $1 AND wallet = ANY($2)")
            .bind(chain)
            .bind(wallets.iter().map(pk).collect::<Vec<_>>())
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().filter_map(|(w,)| Pubkey::try_from(w.as_slice()).ok()).collect())
}

/// The slot up to which stored blocks were checked against the finalized chain.
pub async fn verified_slot(pool: &PgPool, chain: &str) -> Result<Option<u64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT verified_slot FROM solana_finality WHERE chain = $1")
        .bind(chain)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(n,)| n as u64))
}

/// Stored blocks with Mercato transactions in `(above, to]`: slot and blockhash.
pub async fn blocks_with_transactions(
    pool: &PgPool,
    chain: &str,
    above: u64,
    to: u64,
) -> Result<Vec<(u64, Vec<u8>)>, sqlx::Error> {
    let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT b.number, b.hash FROM blocks b WHERE b.chain = $1 AND b.number > $2 AND b.number <= $3
         AND EXISTS (SELECT 1 FROM solana_transactions t WHERE t.chain = b.chain AND t.slot = b.number)
         ORDER BY b.number",
    )
    .bind(chain)
    .bind(above as i64)
    .bind(to as i64)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(n, h)| (n as u64, h)).collect())
}

/// Records that everything up to `slot` is final and prunes its undo records (a final slot is never rolled back).
pub async fn set_verified(pool: &PgPool, chain: &str, slot: u64) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO solana_finality (chain, verified_slot) VALUES ($1, $2)
         ON CONFLICT (chain) DO UPDATE SET verified_slot = GREATEST(solana_finality.verified_slot, EXCLUDED.verified_slot)",
    )
    .bind(chain)
    .bind(slot as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM undo_log WHERE chain = $1 AND block_number <= $2")
        .bind(chain)
        .bind(slot as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

struct At<'a> {
    chain: &'a str,
    block: i64,
    log: i64,
    tx: &'a [u8],
    time: i64,
}

fn kind_name(kind: &auction::ListingKind) -> &'static str {
    match kind {
        auction::ListingKind::English => "english",
        auction::ListingKind::Dutch => "dutch",
        auction::ListingKind::Fixed => "fixed",
    }
}

fn support(side: &governance::Side) -> i32 {
    match side {
        governance::Side::Against => 0,
        governance::Side::For => 1,
        governance::Side::Abstain => 2,
    }
}

/// What a `transfers` row moves: an amount of the currency, or one item (by id).
enum Moved<'a> {
    Currency(u64),
    Item(&'a str),
}

async fn transfer(
    tx: &mut Transaction<'_, Postgres>,
    ctx: &SolanaContext,
    at: &At<'_>,
    from: &[u8],
    to: &[u8],
    moved: Moved<'_>,
) -> Result<(), sqlx::Error> {
    let (asset, contract, amount, token_id) = match moved {
        Moved::Currency(amount) => ("currency", pk(&ctx.currency_mint), Some(amount.to_string()), None),
        Moved::Item(id) => ("item", pk(&ctx.collection), None, Some(id)),
    };
    sqlx::query(
        "INSERT INTO transfers (chain, block_number, log_index, tx_hash, block_time, asset, contract, from_address,
                                to_address, amount, token_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric, $11::numeric)",
    )
    .bind(at.chain)
    .bind(at.block)
    .bind(at.log)
    .bind(at.tx)
    .bind(at.time)
    .bind(asset)
    .bind(contract)
    .bind(from)
    .bind(to)
    .bind(amount)
    .bind(token_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    ctx: &SolanaContext,
    at: &At<'_>,
    id: u64,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE listings SET status = $4, closed_block = $5 WHERE chain = $1 AND house = $2 AND listing_id = $3::numeric",
    )
    .bind(at.chain)
    .bind(pk(&ctx.house))
    .bind(id.to_string())
    .bind(status)
    .bind(at.block)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn parameter(
    tx: &mut Transaction<'_, Postgres>,
    at: &At<'_>,
    name: &str,
    old: String,
    new: String,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO parameter_changes (chain, block_number, log_index, tx_hash, block_time, name, old_value, new_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric)",
    )
    .bind(at.chain)
    .bind(at.block)
    .bind(at.log)
    .bind(at.tx)
    .bind(at.time)
    .bind(name)
    .bind(old)
    .bind(new)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    ctx: &SolanaContext,
    at: &At<'_>,
    event: &SolEvent,
) -> Result<(), sqlx::Error> {
    let chain = at.chain;
    match event {
        // Currency movements (mints, emission, rewards, burns, and every plain SPL transfer) are read from the
        // transaction's token balances in `apply_balances`, not from these events.
        SolEvent::GenesisMinted(_) | SolEvent::RewardGranted(_) | SolEvent::Burned(_) => {}
        SolEvent::ParameterChanged(e) => {
            parameter(tx, at, &e.name, e.old_value.to_string(), e.new_value.to_string()).await?
        }
        SolEvent::AddressChanged(e) => {
            let value = |k: &Pubkey| U256::from_be_bytes(k.to_bytes()).to_string();
            parameter(tx, at, &e.name, value(&e.old_value), value(&e.new_value)).await?
        }
        SolEvent::ItemMinted(e) => {
            sqlx::query(
                "INSERT INTO items (chain, collection, token_id, owner, class, rarity, power, minted_block, mint)
                 VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (chain, collection, token_id) DO UPDATE
                 SET class = EXCLUDED.class, rarity = EXCLUDED.rarity, power = EXCLUDED.power, mint = EXCLUDED.mint",
            )
            .bind(chain)
            .bind(pk(&ctx.collection))
            .bind(e.id.to_string())
            .bind(pk(&e.owner))
            .bind(i32::from(e.attributes.class))
            .bind(i32::from(e.attributes.rarity))
            .bind(i64::from(e.attributes.power))
            .bind(at.block)
            .bind(pk(&e.mint))
            .execute(&mut **tx)
            .await?;
            transfer(tx, ctx, at, &ZERO, &pk(&e.owner), Moved::Item(&e.id.to_string())).await?;
        }
        SolEvent::ItemBurned(e) => {
            sqlx::query("UPDATE items SET owner = $3 WHERE chain = $1 AND mint = $2")
                .bind(chain)
                .bind(pk(&e.mint))
                .bind(ZERO.as_slice())
                .execute(&mut **tx)
                .await?;
            transfer(tx, ctx, at, &pk(&e.owner), &ZERO, Moved::Item(&e.id.to_string())).await?;
        }
        SolEvent::ListingCreated(e) => {
            sqlx::query(
                "INSERT INTO listings (chain, house, listing_id, kind, seller, nft, token_id, start_price, floor_price,
                                       start_time, end_time, created_block, created_log, item_mint)
                 VALUES ($1, $2, $3::numeric, $4, $5, $6,
                         COALESCE((SELECT token_id FROM items WHERE chain = $1 AND mint = $13), 0),
                         $7::numeric, $8::numeric, $9, $10, $11, $12, $13)",
            )
            .bind(chain)
            .bind(pk(&ctx.house))
            .bind(e.id.to_string())
            .bind(kind_name(&e.kind))
            .bind(pk(&e.seller))
            .bind(pk(&ctx.collection))
            .bind(e.start_price.to_string())
            .bind(e.floor_price.to_string())
            .bind(e.start_ts)
            .bind(e.end_ts)
            .bind(at.block)
            .bind(at.log)
            .bind(pk(&e.item_mint))
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::BidPlaced(e) => {
            sqlx::query(
                "UPDATE listings SET high_bidder = $4, high_bid = $5::numeric, end_time = $6, bid_count = bid_count + 1
                 WHERE chain = $1 AND house = $2 AND listing_id = $3::numeric",
            )
            .bind(chain)
            .bind(pk(&ctx.house))
            .bind(e.id.to_string())
            .bind(pk(&e.bidder))
            .bind(e.amount.to_string())
            .bind(e.end_ts)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO bids (chain, block_number, log_index, tx_hash, block_time, house, listing_id, bidder, amount,
                                   previous_bidder, previous_amount, end_time)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9::numeric, $10, $11::numeric, $12)",
            )
            .bind(chain)
            .bind(at.block)
            .bind(at.log)
            .bind(at.tx)
            .bind(at.time)
            .bind(pk(&ctx.house))
            .bind(e.id.to_string())
            .bind(pk(&e.bidder))
            .bind(e.amount.to_string())
            .bind(pk(&e.previous_bidder))
            .bind(e.previous_amount.to_string())
            .bind(e.end_ts)
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::Sale(e) => {
            set_status(tx, ctx, at, e.id, "sold").await?;
            sqlx::query(
                "INSERT INTO sales (chain, block_number, log_index, tx_hash, block_time, house, listing_id, kind, seller,
                                    buyer, nft, token_id, item_class, currency, price, fee, royalty, royalty_receiver)
                 SELECT $1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10, $11, COALESCE(i.token_id, 0), i.class,
                        $13, $14::numeric, $15::numeric, $16::numeric, $17
                 FROM (SELECT 1) one LEFT JOIN items i ON i.chain = $1 AND i.mint = $12",
            )
            .bind(chain)
            .bind(at.block)
            .bind(at.log)
            .bind(at.tx)
            .bind(at.time)
            .bind(pk(&ctx.house))
            .bind(e.id.to_string())
            .bind(kind_name(&e.kind))
            .bind(pk(&e.seller))
            .bind(pk(&e.buyer))
            .bind(pk(&ctx.collection))
            .bind(pk(&e.item_mint))
            .bind(pk(&ctx.currency_mint))
            .bind(e.price.to_string())
            .bind(e.fee.to_string())
            .bind(e.royalty.to_string())
            .bind(pk(&e.royalty_receiver))
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::ListingCancelled(e) => set_status(tx, ctx, at, e.id, "cancelled").await?,
        SolEvent::AuctionUnsold(e) => set_status(tx, ctx, at, e.id, "unsold").await?,
        SolEvent::Deposited(governance::events::Deposited { owner, deposited, .. })
        | SolEvent::Withdrawn(governance::events::Withdrawn { owner, deposited, .. }) => {
            // Voting power on Solana is the governance deposit; the event carries the deposit after the change.
            sqlx::query(
                "INSERT INTO accounts (chain, address, votes) VALUES ($1, $2, $3::numeric)
                 ON CONFLICT (chain, address) DO UPDATE SET votes = EXCLUDED.votes",
            )
            .bind(chain)
            .bind(pk(owner))
            .bind(deposited.to_string())
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::ProposalCreated(e) => {
            let mut calldata = Vec::new();
            e.change.serialize(&mut calldata).unwrap_or_default();
            sqlx::query(
                "INSERT INTO proposals (chain, governor, proposal_id, proposer, description, targets, calldatas,
                                        vote_start, vote_end, eta, quorum_votes, created_block, created_log)
                 VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12, $13)",
            )
            .bind(chain)
            .bind(pk(&ctx.governance))
            .bind(e.id.to_string())
            .bind(pk(&e.author))
            .bind(describe_change(&e.change))
            .bind(vec![pk(&ctx.programs.token)])
            .bind(vec![calldata])
            .bind(at.time)
            .bind(e.voting_ends_ts)
            .bind(e.executable_ts)
            .bind(e.quorum_votes.to_string())
            .bind(at.block)
            .bind(at.log)
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::VoteCast(e) => {
            // The event carries the running tallies: set them rather than add.
            sqlx::query(
                "UPDATE proposals SET votes_for = $4::numeric, votes_against = $5::numeric, votes_abstain = $6::numeric,
                 voters = voters + 1 WHERE chain = $1 AND governor = $2 AND proposal_id = $3::numeric",
            )
            .bind(chain)
            .bind(pk(&ctx.governance))
            .bind(e.proposal_id.to_string())
            .bind(e.votes_for.to_string())
            .bind(e.votes_against.to_string())
            .bind(e.votes_abstain.to_string())
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO votes (chain, block_number, log_index, tx_hash, block_time, governor, proposal_id, voter,
                                    support, weight, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10::numeric, '')",
            )
            .bind(chain)
            .bind(at.block)
            .bind(at.log)
            .bind(at.tx)
            .bind(at.time)
            .bind(pk(&ctx.governance))
            .bind(e.proposal_id.to_string())
            .bind(pk(&e.voter))
            .bind(support(&e.side))
            .bind(e.weight.to_string())
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::ProposalCancelled(governance::events::ProposalCancelled { id })
        | SolEvent::ProposalExecuted(governance::events::ProposalExecuted { id, .. }) => {
            let outcome = if matches!(event, SolEvent::ProposalExecuted(_)) { "executed" } else { "canceled" };
            sqlx::query(
                "UPDATE proposals SET outcome = $4 WHERE chain = $1 AND governor = $2 AND proposal_id = $3::numeric",
            )
            .bind(chain)
            .bind(pk(&ctx.governance))
            .bind(id.to_string())
            .bind(outcome)
            .execute(&mut **tx)
            .await?;
        }
        SolEvent::EmissionReleased(_) | SolEvent::Other(_) => {}
    }
    Ok(())
}

/// The currency the transaction moved, as `transfers` rows: each owner's change (its accounts' post minus pre
/// balances) decomposed in a fixed order — what owners lost is paired with what owners gained; a gain nobody lost is
/// a mint (from the zero key), a loss nobody gained a burn (to the zero key). Every movement is covered: the
/// programs' mints, emission, rewards and burns, escrows and proceeds, and plain SPL transfers between wallets, so
/// balances, holders and Gini rebuilt from `transfers` equal the chain's. Multi-party transactions (a sale pays
/// seller, treasury and creator) are paired by that order, not by who paid whom.
async fn currency_moves(
    tx: &mut Transaction<'_, Postgres>,
    ctx: &SolanaContext,
    at: &At<'_>,
    t: &IngestedTx,
    currency: &[u8],
) -> Result<(), sqlx::Error> {
    // Each currency account's balance before: its pre balance, else the amount last stored for it (a node may
    // leave an existing account out of the pre balances), else 0 (created by this transaction).
    let accounts: Vec<Vec<u8>> = t.post.iter().chain(&t.pre).filter_map(|b| pk58(&b.account)).collect();
    let stored: HashMap<Vec<u8>, String> = sqlx::query_as(
        "SELECT account, amount::text FROM solana_token_accounts WHERE chain = $1 AND account = ANY($2) AND mint = $3",
    )
    .bind(at.chain)
    .bind(&accounts)
    .bind(currency)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    let currency_of = |b: &TokenBalance| {
        let (account, mint, owner) = (pk58(&b.account)?, pk58(&b.mint)?, pk58(&b.owner)?);
        (mint == currency).then_some((account, owner, b.amount.parse::<i128>().ok()?))
    };
    let mut change: std::collections::BTreeMap<Vec<u8>, i128> = std::collections::BTreeMap::new();
    let pre: HashMap<Vec<u8>, (Vec<u8>, i128)> =
        t.pre.iter().filter_map(currency_of).map(|(account, owner, amount)| (account, (owner, amount))).collect();
    let mut seen = BTreeSet::new();
    for (account, owner, amount) in t.post.iter().filter_map(currency_of) {
        let before = match (pre.get(&account), stored.get(&account)) {
            (Some((_, amount)), _) => *amount,
            (None, Some(text)) => text.parse().unwrap_or(0),
            (None, None) => 0,
        };
        *change.entry(owner).or_default() += amount - before;
        seen.insert(account);
    }
    for (account, (owner, amount)) in &pre {
        if !seen.contains(account) {
            *change.entry(owner.clone()).or_default() -= amount; // closed by the transaction
        }
    }
    let mut lost: Vec<(Vec<u8>, i128)> = change.iter().filter(|(_, d)| **d < 0).map(|(o, d)| (o.clone(), -d)).collect();
    let mut gained: Vec<(Vec<u8>, i128)> = change.into_iter().filter(|(_, d)| *d > 0).collect();
    let (mut i, mut j) = (0, 0);
    let mut moves: Vec<(Vec<u8>, Vec<u8>, i128)> = Vec::new();
    while i < lost.len() && j < gained.len() {
        let amount = lost[i].1.min(gained[j].1);
        moves.push((lost[i].0.clone(), gained[j].0.clone(), amount));
        lost[i].1 -= amount;
        gained[j].1 -= amount;
        i += usize::from(lost[i].1 == 0);
        j += usize::from(gained[j].1 == 0);
    }
    moves.extend(gained[j..].iter().map(|(owner, amount)| (ZERO.to_vec(), owner.clone(), *amount)));
    moves.extend(lost[i..].iter().map(|(owner, amount)| (owner.clone(), ZERO.to_vec(), *amount)));
    for (n, (from, to, amount)) in moves.into_iter().enumerate() {
        let at = At { log: at.log + 16_384 + n as i64, ..*at };
        transfer(tx, ctx, &at, &from, &to, Moved::Currency(amount as u64)).await?;
    }
    Ok(())
}

/// (token account, mint, owner, amount) of one token balance.
type BalanceRow = (Vec<u8>, Vec<u8>, Vec<u8>, String);

/// Token balances after the transaction: currency accounts (→ wallet balances) and item accounts (→ owners).
async fn apply_balances(
    tx: &mut Transaction<'_, Postgres>,
    ctx: &SolanaContext,
    at: &At<'_>,
    t: &IngestedTx,
) -> Result<(), sqlx::Error> {
    let chain = at.chain;
    // Post balances, plus accounts closed by the transaction (in pre, not in post) at 0.
    let mut rows: Vec<BalanceRow> = Vec::new();
    for b in &t.post {
        if let (Some(a), Some(m), Some(o)) = (pk58(&b.account), pk58(&b.mint), pk58(&b.owner)) {
            rows.push((a, m, o, b.amount.clone()));
        }
    }
    for b in &t.pre {
        if !t.post.iter().any(|p| p.account == b.account)
            && let (Some(a), Some(m), Some(o)) = (pk58(&b.account), pk58(&b.mint), pk58(&b.owner))
        {
            rows.push((a, m, o, "0".to_owned()));
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    let currency = pk(&ctx.currency_mint);
    let accounts: Vec<Vec<u8>> = rows.iter().map(|r| r.0.clone()).collect();
    // Owners whose balance may change: the accounts' previous owners and their owners now.
    let previous: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT owner FROM solana_token_accounts WHERE chain = $1 AND account = ANY($2) AND mint = $3")
            .bind(chain)
            .bind(&accounts)
            .bind(&currency)
            .fetch_all(&mut **tx)
            .await?;
    let mut owners: BTreeSet<Vec<u8>> = previous.into_iter().map(|(o,)| o).collect();
    currency_moves(tx, ctx, at, t, &currency).await?;
    owners.extend(rows.iter().filter(|r| r.1 == currency).map(|r| r.2.clone()));
    sqlx::query(
        "INSERT INTO solana_token_accounts (chain, account, mint, owner, amount)
         SELECT $1, i.account, i.mint, i.owner, i.amount::numeric
         FROM UNNEST($2::bytea[], $3::bytea[], $4::bytea[], $5::text[]) AS i(account, mint, owner, amount)
         WHERE i.mint = $6 OR EXISTS (SELECT 1 FROM items WHERE items.chain = $1 AND items.mint = i.mint)
         ON CONFLICT (chain, account) DO UPDATE SET mint = EXCLUDED.mint, owner = EXCLUDED.owner, amount = EXCLUDED.amount",
    )
    .bind(chain)
    .bind(&accounts)
    .bind(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3.clone()).collect::<Vec<_>>())
    .bind(&currency)
    .execute(&mut **tx)
    .await?;
    if !owners.is_empty() {
        sqlx::query(
            "INSERT INTO accounts (chain, address, balance)
             SELECT $1, o, COALESCE((SELECT sum(amount) FROM solana_token_accounts t
                                     WHERE t.chain = $1 AND t.owner = o AND t.mint = $3), 0)
             FROM unnest($2::bytea[]) AS o
             ON CONFLICT (chain, address) DO UPDATE SET balance = EXCLUDED.balance",
        )
        .bind(chain)
        .bind(owners.into_iter().collect::<Vec<_>>())
        .bind(&currency)
        .execute(&mut **tx)
        .await?;
    }
    // Items: the holder of the account with amount 1 owns it; a change of owner is an item transfer.
    let holders: Vec<(Vec<u8>, Vec<u8>)> =
        rows.iter().filter(|r| r.1 != currency && r.3 == "1").map(|r| (r.1.clone(), r.2.clone())).collect();
    let mut k = 0;
    for (mint, owner) in holders {
        let current: Option<(String, Vec<u8>)> =
            sqlx::query_as("SELECT token_id::text, owner FROM items WHERE chain = $1 AND mint = $2")
                .bind(chain)
                .bind(&mint)
                .fetch_optional(&mut **tx)
                .await?;
        let Some((id, old)) = current else { continue };
        if old == owner {
            continue;
        }
        sqlx::query("UPDATE items SET owner = $3 WHERE chain = $1 AND mint = $2")
            .bind(chain)
            .bind(&mint)
            .bind(&owner)
            .execute(&mut **tx)
            .await?;
        let at = At { log: at.log + k, ..*at };
        transfer(tx, ctx, &at, &old, &owner, Moved::Item(&id)).await?;
        k += 1;
    }
    Ok(())
}
