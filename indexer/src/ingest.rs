//! EVM ingest: backfill in adaptive `eth_getLogs` ranges, then follow the head block by block, detecting reorgs
//! from block hashes and rolling back to the common ancestor.
//!
//! - **Backfill** covers blocks up to `head - live_window` (or a given target). The range grows while results are
//!   sparse and shrinks on an RPC error or too many results. For every block with logs, and for the range's last
//!   block, the header is fetched; a log whose block hash differs from its header's means the chain moved under
//!   the read, and the range is read again.
//! - **Live** (within `live_window` of the head): one block at a time, logs read by block hash (EIP-234), the new
//!   block's parent hash checked against the checkpoint's hash. Every block is stored with its hash.
//! - **Reorgs**: before each step the checkpoint's hash is compared with the canonical block at that height (this
//!   also catches a same-height replacement, as `anvil_reorg` makes). On a mismatch the newest stored block that is
//!   still canonical is the common ancestor — blocks chain by hash, so everything below it is canonical too — and
//!   [`store::rollback`] undoes everything above it. Ingest then continues from there.
//! - **Handoff**: backfill and live commit through the same checkpoint (locked and compared in each transaction),
//!   and raw events are keyed by position, so nothing is ingested twice at the switch or after a crash.

use crate::evm::source::EvmSource;
use crate::store::{self, Batch, Checkpoint, StoreError};
use alloy::primitives::B256;
use alloy::transports::TransportError;
use mercato_manifest::EvmContracts;
use sqlx::PgPool;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Headers requested at once during backfill (one per block with logs, plus the range's last block).
const HEADER_CONCURRENCY: usize = 16;

/// Tuning of ingest.
#[derive(Debug, Clone, Copy)]
pub struct IngestConfig {
    /// First backfill range, blocks.
    pub initial_range: u64,
    /// Largest backfill range, blocks.
    pub max_range: u64,
    /// A range with more logs than this is split (and one with fewer than a quarter of it grows).
    pub max_logs: usize,
    /// Within this many blocks of the head, ingest goes block by block.
    pub live_window: u64,
    /// Undo records are kept for this many blocks below the checkpoint: the deepest reorg that can be rolled back.
    pub undo_window: u64,
    /// How often the head is polled when caught up.
    pub poll: Duration,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            initial_range: 100,
            max_range: 5_000,
            max_logs: 10_000,
            live_window: 32,
            undo_window: 256,
            poll: Duration::from_millis(500),
        }
    }
}

/// Why ingest stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The node failed (after retries where they make sense).
    #[error("RPC: {0}")]
    Rpc(#[from] TransportError),
    /// The database failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// No stored block within the undo window is still canonical.
    #[error("reorg deeper than the undo window ({window} blocks) below block {checkpoint}")]
    ReorgTooDeep {
        /// The checkpoint that was reorged out.
        checkpoint: u64,
        /// The window.
        window: u64,
    },
}

/// What the API reads about ingest: the last head seen and the checkpoint (u64::MAX: not known yet).
#[derive(Debug)]
pub struct Status {
    /// The chain's head at the last poll.
    pub head: AtomicU64,
    /// The last ingested block.
    pub checkpoint: AtomicU64,
    /// How long the last reorg's rollback transaction took, microseconds (0: no reorg yet).
    pub last_rollback_micros: AtomicU64,
}

impl Default for Status {
    fn default() -> Self {
        Self {
            head: AtomicU64::new(u64::MAX),
            checkpoint: AtomicU64::new(u64::MAX),
            last_rollback_micros: AtomicU64::new(0),
        }
    }
}

/// What one step did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Blocks the checkpoint advanced (0 on a retry or when caught up).
    pub blocks: u64,
    /// New events stored.
    pub events: u64,
    /// Blocks rolled back by a reorg.
    pub rolled_back: u64,
    /// The backfill range after this step, blocks.
    pub range: u64,
    /// Nothing was committed but work remains (the range shrank, or the chain moved during the read): no pause.
    pub again: bool,
}

impl Step {
    fn again() -> Self {
        Self { again: true, ..Self::default() }
    }
}

/// The EVM indexer of one deployment.
pub struct Indexer {
    pool: PgPool,
    source: EvmSource,
    chain: String,
    contracts: EvmContracts,
    deploy_block: u64,
    config: IngestConfig,
    range: u64,
    status: Arc<Status>,
    /// The next backfill range, being read while the previous one commits.
    prefetch: Option<Prefetch>,
}

/// A backfill range read ahead.
struct Prefetch {
    from: u64,
    to: u64,
    task: tokio::task::JoinHandle<Result<Fetched, FetchError>>,
}

/// A backfill range as read: its logs and the headers of its blocks with logs and of its last block.
enum Fetched {
    /// More logs than `max_logs` (headers not read).
    TooMany,
    /// The chain is shorter than the range (it got shorter under the read).
    Shorter,
    /// Logs and headers.
    Read(Vec<alloy::rpc::types::Log>, Vec<store::BlockInfo>),
}

enum FetchError {
    Logs(TransportError),
    Headers(TransportError),
}

async fn fetch(source: EvmSource, from: u64, to: u64, max_logs: usize) -> Result<Fetched, FetchError> {
    let logs = source.logs_in_range(from, to).await.map_err(FetchError::Logs)?;
    if logs.len() > max_logs && to > from {
        return Ok(Fetched::TooMany);
    }
    let mut numbers: BTreeSet<u64> = logs.iter().filter_map(|l| l.block_number).collect();
    numbers.insert(to);
    let numbers: Vec<u64> = numbers.into_iter().collect();
    match source.headers(&numbers, HEADER_CONCURRENCY).await.map_err(FetchError::Headers)? {
        Some(blocks) => Ok(Fetched::Read(logs, blocks)),
        None => Ok(Fetched::Shorter),
    }
}

impl Indexer {
    /// An indexer of the suite at `contracts`, deployed at `deploy_block` on chain `chain_id`.
    pub fn new(
        pool: PgPool,
        source: EvmSource,
        chain_id: u64,
        contracts: EvmContracts,
        deploy_block: u64,
        config: IngestConfig,
    ) -> Self {
        Self {
            pool,
            source,
            chain: store::evm_chain_key(chain_id),
            contracts,
            deploy_block,
            range: config.initial_range.clamp(1, config.max_range.max(1)),
            config,
            status: Arc::new(Status::default()),
            prefetch: None,
        }
    }

    /// The status shared with the API.
    pub fn status(&self) -> Arc<Status> {
        self.status.clone()
    }

    /// The chain key (`evm:<chain id>`).
    pub fn chain(&self) -> &str {
        &self.chain
    }

    /// The current backfill range, blocks.
    pub fn range(&self) -> u64 {
        self.range
    }

    /// The chain's head (also recorded in the status).
    pub async fn head(&self) -> Result<u64, IngestError> {
        let head = self.source.head().await?;
        self.status.head.store(head, Ordering::Relaxed);
        Ok(head)
    }

    /// The stored checkpoint.
    pub async fn checkpoint(&self) -> Result<Option<Checkpoint>, IngestError> {
        let checkpoint = store::checkpoint(&self.pool, &self.chain).await.map_err(StoreError::from)?;
        if let Some(c) = checkpoint {
            self.status.checkpoint.store(c.number, Ordering::Relaxed);
        }
        Ok(checkpoint)
    }

    /// Backfills up to block `to` (capped at the head when called), calling `progress` after every step.
    pub async fn backfill(&mut self, to: u64, mut progress: impl FnMut(u64, Step)) -> Result<(), IngestError> {
        let to = to.min(self.head().await?);
        let mut failures = 0u32;
        loop {
            let checkpoint = self.checkpoint().await?;
            if checkpoint.map_or(self.deploy_block, |c| c.number + 1) > to {
                return Ok(());
            }
            let result = match checkpoint {
                Some(c) => match self.check_reorg(c).await {
                    Ok(0) => self.backfill_step(Some(c), to).await,
                    other => other.map(|rolled_back| Step { rolled_back, ..Step::default() }),
                },
                None => self.backfill_step(None, to).await,
            };
            match result {
                Ok(step) => {
                    failures = 0;
                    let at = self.status.checkpoint.load(Ordering::Relaxed);
                    progress(at, Step { range: self.range, ..step });
                }
                Err(IngestError::Rpc(e)) if failures < 8 => {
                    failures += 1;
                    tracing::warn!(error = %e, failures, "RPC error during backfill; retrying");
                    tokio::time::sleep(Duration::from_millis(100 << failures.min(5))).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Follows the chain until `stop` turns true: backfill while far behind, then block by block.
    pub async fn follow(mut self, mut stop: tokio::sync::watch::Receiver<bool>) -> Result<(), IngestError> {
        loop {
            if *stop.borrow() {
                return Ok(());
            }
            let worked = match self.follow_step().await {
                Ok(step) => step.blocks > 0 || step.rolled_back > 0 || step.again,
                Err(IngestError::ReorgTooDeep { checkpoint, window }) => {
                    return Err(IngestError::ReorgTooDeep { checkpoint, window });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "ingest step failed; retrying");
                    false
                }
            };
            if !worked {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.poll) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    /// One unit of following: a reorg check, then a backfill range or one block.
    pub async fn follow_step(&mut self) -> Result<Step, IngestError> {
        let head = self.head().await?;
        let checkpoint = self.checkpoint().await?;
        if let Some(c) = checkpoint {
            let rolled_back = self.check_reorg(c).await?;
            if rolled_back > 0 {
                return Ok(Step { rolled_back, ..Step::default() });
            }
        }
        let next = checkpoint.map_or(self.deploy_block, |c| c.number + 1);
        metrics::gauge!("indexer_head_lag_blocks").set(head.saturating_sub(next.saturating_sub(1)) as f64);
        if head < next {
            return Ok(Step::default());
        }
        match checkpoint {
            Some(c) if head - next < self.config.live_window => self.live_step(c).await,
            _ => {
                let target = head.saturating_sub(self.config.live_window).max(next).min(head);
                self.backfill_step(checkpoint, target).await
            }
        }
    }

    /// Compares the checkpoint with the canonical chain; on a mismatch rolls back to the common ancestor and
    /// returns how many blocks were undone (0: no reorg).
    pub async fn check_reorg(&mut self, checkpoint: Checkpoint) -> Result<u64, IngestError> {
        let canonical = self.source.header(checkpoint.number).await?;
        if canonical.is_some_and(|h| h.hash == checkpoint.hash) {
            return Ok(0);
        }
        let started = Instant::now();
        let lowest = checkpoint.number.saturating_sub(self.config.undo_window);
        let stored =
            store::recent_blocks(&self.pool, &self.chain, checkpoint.number, lowest).await.map_err(StoreError::from)?;
        let mut ancestor = None;
        for (number, hash) in stored {
            if self.source.header(number).await?.is_some_and(|h| h.hash == hash) {
                ancestor = Some(Checkpoint { number, hash });
                break;
            }
        }
        let Some(ancestor) = ancestor else {
            return Err(IngestError::ReorgTooDeep { checkpoint: checkpoint.number, window: self.config.undo_window });
        };
        self.drop_prefetch();
        let rollback_started = Instant::now();
        let replayed = store::rollback(&self.pool, &self.chain, checkpoint.number, ancestor).await?;
        let rollback_micros = rollback_started.elapsed().as_micros() as u64;
        self.status.last_rollback_micros.store(rollback_micros, Ordering::Relaxed);
        let depth = checkpoint.number - ancestor.number;
        self.status.checkpoint.store(ancestor.number, Ordering::Relaxed);
        metrics::counter!("indexer_reorgs_total").increment(1);
        metrics::counter!("indexer_rolled_back_blocks_total").increment(depth);
        metrics::histogram!("indexer_rollback_seconds").record(rollback_micros as f64 / 1e6);
        tracing::warn!(
            chain = %self.chain, from = checkpoint.number, to = ancestor.number, depth, replayed,
            rollback_micros, detect_and_rollback_ms = started.elapsed().as_millis() as u64,
            "reorg: rolled back to the common ancestor"
        );
        Ok(depth)
    }

    /// Ingests block `checkpoint + 1` alone, if it exists and extends the checkpoint.
    async fn live_step(&mut self, checkpoint: Checkpoint) -> Result<Step, IngestError> {
        self.drop_prefetch();
        let Some(header) = self.source.header(checkpoint.number + 1).await? else { return Ok(Step::default()) };
        if header.parent_hash != checkpoint.hash {
            // The checkpoint was replaced after the reorg check: the next step's check rolls it back.
            return Ok(Step::default());
        }
        let logs = self.source.logs_at(header.hash).await?;
        if logs.iter().any(|l| l.block_hash != Some(header.hash) || l.block_number != Some(header.number)) {
            return Ok(Step::default());
        }
        let batch = Batch { blocks: vec![header], logs };
        self.commit(Some(checkpoint.number), &batch).await
    }

    /// Ingests one adaptive range after `checkpoint`, up to `target`. While it commits, the next range is read
    /// (pipelining: RPC and database work overlap); that read is used only if the next step asks for exactly that
    /// range, and it is checked like any other.
    async fn backfill_step(&mut self, checkpoint: Option<Checkpoint>, target: u64) -> Result<Step, IngestError> {
        let from = checkpoint.map_or(self.deploy_block, |c| c.number + 1);
        if from > target {
            return Ok(Step::default());
        }
        let to = target.min(from + self.range - 1);
        let max_logs = self.config.max_logs;
        let fetched = match self.prefetch.take() {
            Some(p) if p.from == from && p.to == to => p.task.await.expect("prefetch task panicked"),
            other => {
                if let Some(p) = other {
                    p.task.abort();
                }
                fetch(self.source.clone(), from, to, max_logs).await
            }
        };
        let (logs, blocks) = match fetched {
            Ok(Fetched::Read(logs, blocks)) => (logs, blocks),
            Ok(Fetched::TooMany) => {
                self.range = (self.range / 2).max(1);
                return Ok(Step::again());
            }
            // the chain got shorter under us: the next step's reorg check handles it
            Ok(Fetched::Shorter) => return Ok(Step::default()),
            Err(FetchError::Logs(e)) if self.range > 1 => {
                self.range = (self.range / 2).max(1);
                tracing::debug!(error = %e, range = self.range, "eth_getLogs failed; shrinking the range");
                return Ok(Step::again());
            }
            Err(FetchError::Logs(e) | FetchError::Headers(e)) => return Err(e.into()),
        };
        let hashes: HashMap<u64, B256> = blocks.iter().map(|b| (b.number, b.hash)).collect();
        let consistent = logs
            .iter()
            .all(|log| log.block_number.and_then(|n| hashes.get(&n)).is_some_and(|h| Some(*h) == log.block_hash));
        if !consistent {
            tracing::debug!(from, to, "logs and headers disagree (reorg during the read); reading again");
            return Ok(Step::again());
        }
        let range =
            if logs.len() < max_logs / 4 { (self.range * 2).min(self.config.max_range.max(1)) } else { self.range };
        if to < target {
            let (next_from, next_to) = (to + 1, target.min(to + range));
            let task = tokio::spawn(fetch(self.source.clone(), next_from, next_to, max_logs));
            self.prefetch = Some(Prefetch { from: next_from, to: next_to, task });
        }
        let batch = Batch { blocks, logs };
        let step = self.commit(checkpoint.map(|c| c.number), &batch).await?;
        self.range = range;
        Ok(step)
    }

    /// Drops a range read ahead (the chain is followed block by block, or it was rolled back).
    fn drop_prefetch(&mut self) {
        if let Some(p) = self.prefetch.take() {
            p.task.abort();
        }
    }

    async fn commit(&mut self, expected: Option<u64>, batch: &Batch) -> Result<Step, IngestError> {
        let last = batch.blocks.last().map_or(0, |b| b.number);
        let result =
            store::commit(&self.pool, &self.chain, &self.contracts, expected, batch, self.config.undo_window).await;
        match result {
            Ok(stats) => {
                let blocks = (last + 1).saturating_sub(expected.map_or(self.deploy_block, |e| e + 1));
                self.status.checkpoint.store(last, Ordering::Relaxed);
                metrics::counter!("indexer_events_total").increment(stats.new_events);
                metrics::counter!("indexer_blocks_total").increment(blocks);
                Ok(Step { blocks, events: stats.new_events, ..Step::default() })
            }
            Err(StoreError::CheckpointMoved { expected, found }) => {
                tracing::info!(?expected, ?found, "another writer moved the checkpoint; re-reading");
                Ok(Step::default())
            }
            Err(e) => Err(e.into()),
        }
    }
}
