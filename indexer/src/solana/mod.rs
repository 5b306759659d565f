//! Solana ingest: the four Mercato programs (and the currency mint) followed over JSON-RPC at `confirmed`.
//!
//! One round: read the confirmed slot `S`; re-check stored slots that became finalized (see [`SolanaIndexer::verify`]);
//! list every followed address's signatures above its checkpoint and at or below `S` (`getSignaturesForAddress`,
//! paged, `until` the checkpoint's signature); order the transactions by (slot, position in the block) using
//! `getBlock` (signatures only); read each successful one (`getTransaction`) and decode its events; commit
//! everything with the new checkpoints in one database transaction ([`store::commit`]). A transaction seen through
//! several addresses is stored once (keyed by slot and position), so all addresses advance together and derived
//! rows are applied in chain order. Large backlogs are committed a few hundred transactions at a time, cut at slot
//! boundaries.
//!
//! Finality: `confirmed` slots are voted by a supermajority and are not expected to roll back, but they can. Every
//! round, stored slots at or below the finalized slot are checked once against the finalized chain (`getBlocks` for
//! membership, `getBlock` for the blockhash); a slot that is missing or differs is rolled back with everything above
//! it (undo log, as for EVM reorgs) and ingested again. Undo records are kept until their slot is verified final.

pub mod decode;
pub mod funders;
pub mod source;
pub mod store;
pub mod wake;

use crate::ingest::Status;
use crate::store::StoreError;
use decode::{Programs, decode_logs};
use futures_util::{StreamExt, TryStreamExt};
use mercato_manifest::SolanaDeployment;
use mercato_solana_client::Pubkey;
use source::{SignatureInfo, SolanaSource, SourceError};
use sqlx::PgPool;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use store::{Cursor, IngestedTx, SolanaBatch, SolanaContext};

/// Transactions read at once.
const CONCURRENCY: usize = 16;
/// Transactions per commit during a backlog (cut at a slot boundary), by default.
pub const BATCH_TRANSACTIONS: usize = 500;

/// Why a Solana round failed.
#[derive(Debug, thiserror::Error)]
pub enum SolanaError {
    /// The node.
    #[error("{0}")]
    Source(#[from] SourceError),
    /// The database.
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SolanaError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Db(e))
    }
}

/// The chain key of a Solana cluster: `solana:<cluster>`.
pub fn solana_chain_key(cluster: &str) -> String {
    format!("solana:{cluster}")
}

fn key(address: &mercato_manifest::SolanaAddress) -> Pubkey {
    address.to_string().parse().expect("a manifest address is a pubkey")
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SolanaStep {
    /// Transactions stored.
    pub transactions: u64,
    /// Events stored.
    pub events: u64,
    /// Slots rolled back by the finality check.
    pub rolled_back: u64,
    /// The checkpoint moved.
    pub advanced: bool,
}

/// The Solana indexer of one deployment.
pub struct SolanaIndexer {
    pool: PgPool,
    source: SolanaSource,
    ctx: SolanaContext,
    deploy_slot: u64,
    followed: Vec<Pubkey>,
    poll: Duration,
    status: Arc<Status>,
    batch: usize,
    ws_url: Option<String>,
    ws_subscribed: Arc<std::sync::atomic::AtomicBool>,
}

/// What a [`SolanaIndexer::backfill`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SolanaBackfill {
    /// The slot it started above (the checkpoint, or the deploy slot − 1).
    pub from: u64,
    /// The slot everything is in up to.
    pub to: u64,
    /// The slot the backfill goes to.
    pub target: u64,
    /// Transactions stored.
    pub transactions: u64,
    /// Events stored.
    pub events: u64,
}

impl SolanaIndexer {
    /// An indexer of `deployment` on cluster `cluster` through `rpc_url`.
    pub fn new(pool: PgPool, rpc_url: &str, cluster: &str, deployment: &SolanaDeployment, poll: Duration) -> Self {
        let programs = Programs {
            token: key(&deployment.programs.token),
            items: key(&deployment.programs.items),
            auction: key(&deployment.programs.auction),
            governance: key(&deployment.programs.governance),
        };
        let accounts = &deployment.accounts;
        let ctx = SolanaContext {
            chain: solana_chain_key(cluster),
            programs,
            currency_mint: key(&accounts.currency_mint),
            collection: key(&accounts.collection),
            house: key(&accounts.auction_house),
            governance: key(&accounts.governance),
            economy_config: key(&accounts.economy_config),
        };
        let followed = vec![programs.token, programs.items, programs.auction, programs.governance, ctx.currency_mint];
        Self {
            pool,
            source: SolanaSource::new(rpc_url),
            ctx,
            deploy_slot: deployment.deploy_slot,
            followed,
            poll,
            status: Arc::new(Status::default()),
            batch: BATCH_TRANSACTIONS,
            ws_url: None,
            ws_subscribed: Arc::default(),
        }
    }

    /// Commits a backlog at most about `transactions` transactions at a time (cut at a slot boundary; default
    /// [`BATCH_TRANSACTIONS`]).
    pub fn with_batch(mut self, transactions: usize) -> Self {
        self.batch = transactions.max(1);
        self
    }

    /// Wakes the follower early when the node's websocket (`ws_url`) reports a confirmed transaction mentioning a
    /// followed address (`logsSubscribe`). Polling stays the source of truth: see [`wake`].
    pub fn with_ws(mut self, ws_url: Option<String>) -> Self {
        self.ws_url = ws_url;
        self
    }

    /// The chain key.
    pub fn chain(&self) -> &str {
        &self.ctx.chain
    }

    /// True while the websocket wake-up has every subscription open (see [`Self::with_ws`]).
    pub fn ws_subscribed(&self) -> Arc<std::sync::atomic::AtomicBool> {
        self.ws_subscribed.clone()
    }

    /// The status shared with the API (head: the confirmed slot; checkpoint: the slot ingested up to).
    pub fn status(&self) -> Arc<Status> {
        self.status.clone()
    }

    /// Follows the cluster until `stop` turns true: a round every poll interval, or as soon as the websocket
    /// reports a transaction of a followed address (when [`Self::with_ws`] gave one).
    pub async fn follow(mut self, mut stop: tokio::sync::watch::Receiver<bool>) -> Result<(), SolanaError> {
        let wake = Arc::new(tokio::sync::Notify::new());
        let listener = self.ws_url.clone().map(|url| {
            tokio::spawn(wake::listen(
                url,
                self.followed.clone(),
                wake.clone(),
                self.ws_subscribed.clone(),
                stop.clone(),
            ))
        });
        // After a wake-up, rounds that find nothing are retried a few times: the notification can come a moment
        // before the node's confirmed slot and signature index include the transaction.
        let mut retries_left = 0u32;
        loop {
            if *stop.borrow() {
                break;
            }
            let (again, found) = match self.step().await {
                Ok(step) => (step.advanced && step.transactions >= self.batch as u64, step.transactions > 0),
                Err(e) => {
                    tracing::warn!(chain = %self.ctx.chain, error = %e, "Solana ingest round failed; retrying");
                    (false, false)
                }
            };
            if found {
                retries_left = 0;
            }
            if again {
                continue;
            }
            if retries_left > 0 {
                retries_left -= 1;
                tokio::select! {
                    _ = tokio::time::sleep(wake::RETRY.min(self.poll)) => {}
                    _ = stop.changed() => {}
                }
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll) => {}
                _ = wake.notified() => {
                    metrics::counter!("indexer_solana_wakeups_total").increment(1);
                    retries_left = wake::RETRIES;
                }
                _ = stop.changed() => {}
            }
        }
        if let Some(listener) = listener {
            listener.abort();
        }
        Ok(())
    }

    /// Ingests up to slot `to` (default: the confirmed slot when called), a batch at a time, calling `progress`
    /// after every commit with the checkpoint slot and the round's figures; returns what was stored. Resumes from
    /// the checkpoints, like `follow` (the two share every write path).
    pub async fn backfill(
        &mut self,
        to: Option<u64>,
        mut progress: impl FnMut(&SolanaBackfill),
    ) -> Result<SolanaBackfill, SolanaError> {
        let confirmed = self.source.slot("confirmed").await?;
        let target = to.unwrap_or(confirmed).min(confirmed);
        let start = store::checkpoint(&self.pool, &self.ctx.chain).await?.unwrap_or(self.deploy_slot.saturating_sub(1));
        let checkpoint = store::checkpoint(&self.pool, &self.ctx.chain).await?.unwrap_or(start);
        let mut done = SolanaBackfill { from: start, to: checkpoint, target, ..SolanaBackfill::default() };
        progress(&done);
        let mut idle = 0u32;
        loop {
            let checkpoint = store::checkpoint(&self.pool, &self.ctx.chain).await?.unwrap_or(start);
            done.to = checkpoint;
            if checkpoint >= target {
                return Ok(done);
            }
            let step = self.step_to(Some(target)).await?;
            done.transactions += step.transactions;
            done.events += step.events;
            if step.advanced || step.rolled_back > 0 {
                idle = 0;
                done.to = store::checkpoint(&self.pool, &self.ctx.chain).await?.unwrap_or(start);
                progress(&done);
            } else {
                // A transaction the node lists but cannot serve yet: wait a little and retry.
                idle += 1;
                if idle > 600 {
                    return Err(
                        SourceError::Malformed("progress: the node keeps listing unreadable transactions").into()
                    );
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    /// One round: finality check, then everything up to the confirmed slot (or the first few hundred transactions).
    pub async fn step(&mut self) -> Result<SolanaStep, SolanaError> {
        self.step_to(None).await
    }

    /// One round, ingesting no further than slot `max` (None: the confirmed slot).
    pub async fn step_to(&mut self, max: Option<u64>) -> Result<SolanaStep, SolanaError> {
        let head = self.source.slot("confirmed").await?;
        let confirmed = max.map_or(head, |m| m.min(head));
        self.status.head.store(head, Ordering::Relaxed);
        let chain = self.ctx.chain.clone();
        let mut step = SolanaStep { rolled_back: self.verify().await?, ..SolanaStep::default() };
        let checkpoint = store::checkpoint(&self.pool, &chain).await?;
        if let Some(c) = checkpoint {
            self.status.checkpoint.store(c, Ordering::Relaxed);
        }
        metrics::gauge!("indexer_solana_lag_slots").set(head.saturating_sub(checkpoint.unwrap_or(0)) as f64);
        let from = checkpoint.map_or(self.deploy_slot, |c| c + 1);
        if confirmed < from {
            return Ok(step);
        }
        let cursors = store::cursors(&self.pool, &chain).await?;
        // Every followed address's signatures in [from, confirmed], merged (a transaction may involve several).
        let mut all: BTreeMap<String, SignatureInfo> = BTreeMap::new();
        let mut per_address: Vec<(Pubkey, Vec<SignatureInfo>)> = Vec::new();
        for address in &self.followed {
            let until = cursors.get(address).and_then(|c| c.signature.clone());
            let sigs = self.source.signatures(&address.to_string(), until.as_deref(), from, confirmed).await?;
            for s in &sigs {
                all.insert(s.signature.clone(), s.clone());
            }
            per_address.push((*address, sigs));
        }
        let mut by_slot: BTreeMap<u64, Vec<SignatureInfo>> = BTreeMap::new();
        for s in all.into_values() {
            by_slot.entry(s.slot).or_default().push(s);
        }
        // Cut the batch at a slot boundary once it holds enough transactions.
        let mut cutoff = confirmed;
        let mut taken = 0usize;
        for (slot, sigs) in &by_slot {
            if taken >= self.batch {
                cutoff = slot - 1;
                break;
            }
            taken += sigs.len();
        }
        by_slot.retain(|slot, _| *slot <= cutoff);
        // Blocks: order within each slot, blockhash and time; plus the cutoff's block for the chain time.
        let mut slots: Vec<u64> = by_slot.keys().copied().collect();
        if !by_slot.contains_key(&cutoff) {
            slots.push(cutoff);
        }
        let source = &self.source;
        let blocks: Vec<Option<source::SlotBlock>> = futures_util::stream::iter(slots.iter().copied())
            .map(|slot| source.block(slot, "confirmed"))
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        let mut stored_blocks = Vec::new();
        let mut order: HashMap<String, (u64, u64, i64)> = HashMap::new();
        for (slot, block) in slots.iter().zip(blocks) {
            match block {
                Some(block) => {
                    for (i, sig) in block.signatures.iter().enumerate() {
                        order.insert(sig.clone(), (block.slot, i as u64, block.time));
                    }
                    stored_blocks.push(block);
                }
                // A slot with our transactions must have a block; try again next round.
                None if by_slot.contains_key(slot) => return Ok(step),
                None => {}
            }
        }
        let wanted: Vec<SignatureInfo> = by_slot.values().flatten().filter(|s| !s.failed).cloned().collect();
        let txs: Vec<Option<source::TxInfo>> = futures_util::stream::iter(wanted.clone())
            .map(|s| async move { source.transaction(&s.signature).await })
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        let mut ingested = Vec::with_capacity(txs.len());
        for (s, tx) in wanted.iter().zip(txs) {
            let (Some(tx), Some(&(slot, tx_index, time))) = (tx, order.get(&s.signature)) else {
                tracing::debug!(signature = %s.signature, "transaction not available yet; next round");
                return Ok(step);
            };
            if tx.slot != slot {
                return Ok(step); // the node moved under the read
            }
            if tx.truncated {
                tracing::warn!(signature = %s.signature, "transaction log truncated: events may be missing");
            }
            let events = decode_logs(&self.ctx.programs, &tx.logs);
            ingested.push(IngestedTx {
                slot,
                tx_index,
                signature: s.signature.clone(),
                block_time: time,
                events,
                pre: tx.pre,
                post: tx.post,
            });
        }
        ingested.sort_by_key(|t| (t.slot, t.tx_index));
        let funders = self.new_funders(&ingested, cutoff).await?;
        let new_cursors = per_address
            .into_iter()
            .map(|(address, sigs)| {
                let newest = sigs.iter().rev().find(|s| s.slot <= cutoff).map(|s| s.signature.clone());
                (address, Cursor { slot: cutoff, signature: newest })
            })
            .collect();
        let batch = SolanaBatch { cutoff, blocks: stored_blocks, txs: ingested, cursors: new_cursors, funders };
        match store::commit(&self.pool, &self.ctx, checkpoint, &batch).await {
            Ok(stats) => {
                self.status.checkpoint.store(cutoff, Ordering::Relaxed);
                metrics::counter!("indexer_solana_transactions_total").increment(stats.new_transactions);
                metrics::counter!("indexer_solana_events_total").increment(stats.new_events);
                step.transactions = stats.new_transactions;
                step.events = stats.new_events;
                step.advanced = true;
                Ok(step)
            }
            Err(StoreError::CheckpointMoved { expected, found }) => {
                tracing::info!(?expected, ?found, "another writer moved the Solana checkpoint; re-reading");
                Ok(step)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The first funders of the buyers and sellers of `txs`' sales that `solana_funders` does not hold yet.
    async fn new_funders(&self, txs: &[IngestedTx], cutoff: u64) -> Result<Vec<funders::FunderRow>, SolanaError> {
        let mut wallets: Vec<Pubkey> = txs
            .iter()
            .flat_map(|t| &t.events)
            .filter_map(|e| match &e.event {
                decode::SolEvent::Sale(s) => Some([s.buyer, s.seller]),
                _ => None,
            })
            .flatten()
            .collect();
        wallets.sort();
        wallets.dedup();
        if wallets.is_empty() {
            return Ok(Vec::new());
        }
        let known = store::known_funders(&self.pool, &self.ctx.chain, &wallets).await?;
        wallets.retain(|w| !known.contains(w));
        let source = &self.source;
        let rows = futures_util::stream::iter(wallets)
            .map(|w| funders::read(source, w, cutoff))
            .buffered(4)
            .try_collect()
            .await?;
        Ok(rows)
    }

    /// Checks stored slots that are now finalized against the finalized chain; rolls back from the first one that
    /// is missing or has another blockhash. Returns the number of slots rolled back (0: all final as stored).
    pub async fn verify(&mut self) -> Result<u64, SolanaError> {
        let chain = self.ctx.chain.clone();
        let finalized = self.source.slot("finalized").await?;
        let verified = store::verified_slot(&self.pool, &chain).await?.unwrap_or(0);
        let Some(checkpoint) = store::checkpoint(&self.pool, &chain).await? else { return Ok(0) };
        let upto = finalized.min(checkpoint);
        if upto <= verified {
            return Ok(0);
        }
        let stored = store::blocks_with_transactions(&self.pool, &chain, verified, upto).await?;
        if let (Some(first), Some(last)) = (stored.first(), stored.last()) {
            let final_slots: std::collections::HashSet<u64> =
                self.source.blocks_in(first.0, last.0, "finalized").await?.into_iter().collect();
            for (slot, hash) in &stored {
                let same = final_slots.contains(slot)
                    && self.source.block(*slot, "finalized").await?.is_some_and(|b| &b.hash == hash);
                if !same {
                    let to = slot - 1;
                    let replayed = store::rollback(&self.pool, &chain, checkpoint, to).await?;
                    metrics::counter!("indexer_solana_rollbacks_total").increment(1);
                    tracing::warn!(%chain, slot, to, replayed, "a confirmed slot is not final as stored: rolled back");
                    self.status.checkpoint.store(to, Ordering::Relaxed);
                    return Ok(checkpoint - to);
                }
            }
        }
        store::set_verified(&self.pool, &chain, upto).await?;
        Ok(0)
    }
}
