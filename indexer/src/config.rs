//! Command line and environment. Every flag has an environment variable (`MERCATO_INDEXER_*`); the effective
//! configuration is printed at start with the database password masked.

use crate::ingest::IngestConfig;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// `mercato-indexer`: mirror the Mercato EVM suite into Postgres and serve it over REST.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Follow the chain (backfilling first when behind) and serve the API.
    Serve(ServeArgs),
    /// Backfill up to a block (default: the head) with a progress bar, then exit.
    Backfill(BackfillArgs),
}

/// Where the chain and the database are, and how to ingest.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Postgres URL.
    #[arg(long, env = "MERCATO_INDEXER_DATABASE_URL")]
    pub database_url: String,
    /// Deployment manifest (addresses, deploy block, RPC URL).
    #[arg(long, env = "MERCATO_MANIFEST")]
    pub manifest: PathBuf,
    /// EVM JSON-RPC URL (default: the manifest's).
    #[arg(long, env = "MERCATO_INDEXER_EVM_RPC_URL")]
    pub evm_rpc_url: Option<String>,
    /// First eth_getLogs range, blocks.
    #[arg(long, env = "MERCATO_INDEXER_INITIAL_RANGE", default_value_t = 100)]
    pub initial_range: u64,
    /// Largest eth_getLogs range, blocks.
    #[arg(long, env = "MERCATO_INDEXER_MAX_RANGE", default_value_t = 5_000)]
    pub max_range: u64,
    /// A range returning more logs than this is split.
    #[arg(long, env = "MERCATO_INDEXER_MAX_LOGS", default_value_t = 10_000)]
    pub max_logs: usize,
    /// Within this many blocks of the head, ingest goes block by block.
    #[arg(long, env = "MERCATO_INDEXER_LIVE_WINDOW", default_value_t = 32)]
    pub live_window: u64,
    /// Deepest reorg that can be rolled back, blocks.
    #[arg(long, env = "MERCATO_INDEXER_UNDO_WINDOW", default_value_t = 256)]
    pub undo_window: u64,
    /// Head polling interval, milliseconds.
    #[arg(long, env = "MERCATO_INDEXER_POLL_MS", default_value_t = 500)]
    pub poll_ms: u64,
}

impl Common {
    /// The ingest tuning.
    pub fn ingest(&self) -> IngestConfig {
        IngestConfig {
            initial_range: self.initial_range.max(1),
            max_range: self.max_range.max(1),
            max_logs: self.max_logs.max(1),
            live_window: self.live_window,
            undo_window: self.undo_window.max(1),
            poll: Duration::from_millis(self.poll_ms.max(10)),
        }
    }

    /// The database URL with any password replaced by `***`.
    pub fn masked_database_url(&self) -> String {
        mask_password(&self.database_url)
    }
}

/// `serve` flags.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Chain, database and ingest settings.
    #[command(flatten)]
    pub common: Common,
    /// Address to listen on.
    #[arg(long, env = "MERCATO_INDEXER_LISTEN", default_value = "127.0.0.1:8788")]
    pub listen: SocketAddr,
    /// /readyz fails when ingest is more than this many blocks behind the head.
    #[arg(long, env = "MERCATO_INDEXER_MAX_LAG", default_value_t = 10)]
    pub max_lag: u64,
    /// Solana JSON-RPC URL (default: the manifest's `solana.rpcUrl`). Solana is indexed when the manifest has a
    /// `solana` section, unless `--no-solana`.
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_RPC_URL")]
    pub solana_rpc_url: Option<String>,
    /// Do not index Solana even if the manifest deploys it.
    #[arg(long, env = "MERCATO_INDEXER_NO_SOLANA")]
    pub no_solana: bool,
    /// /readyz fails when Solana ingest is more than this many slots behind the confirmed slot.
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_MAX_LAG", default_value_t = 150)]
    pub solana_max_lag: u64,
    /// Solana polling interval when caught up, milliseconds.
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_POLL_MS", default_value_t = 400)]
    pub solana_poll_ms: u64,
    /// Solana websocket URL for the early wake-up (default: the manifest's `solana.wsUrl`).
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_WS_URL")]
    pub solana_ws_url: Option<String>,
    /// Poll only: no websocket wake-up.
    #[arg(long, env = "MERCATO_INDEXER_NO_SOLANA_WS")]
    pub no_solana_ws: bool,
    /// Solana transactions per commit during a backlog (cut at a slot boundary).
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_BATCH", default_value_t = crate::solana::BATCH_TRANSACTIONS)]
    pub solana_batch: usize,
}

/// `backfill` flags.
#[derive(Debug, Clone, Args)]
pub struct BackfillArgs {
    /// Chain, database and ingest settings.
    #[command(flatten)]
    pub common: Common,
    /// Last block to ingest (default: the head when the command starts).
    #[arg(long)]
    pub to: Option<u64>,
    /// Skip EVM even if the manifest deploys it.
    #[arg(long, env = "MERCATO_INDEXER_NO_EVM")]
    pub no_evm: bool,
    /// Solana JSON-RPC URL (default: the manifest's `solana.rpcUrl`). Solana is backfilled after EVM when the
    /// manifest has a `solana` section, unless `--no-solana`.
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_RPC_URL")]
    pub solana_rpc_url: Option<String>,
    /// Skip Solana even if the manifest deploys it.
    #[arg(long, env = "MERCATO_INDEXER_NO_SOLANA")]
    pub no_solana: bool,
    /// Last Solana slot to ingest (default: the confirmed slot when the Solana backfill starts).
    #[arg(long)]
    pub solana_to: Option<u64>,
    /// Solana transactions per commit (cut at a slot boundary).
    #[arg(long, env = "MERCATO_INDEXER_SOLANA_BATCH", default_value_t = crate::solana::BATCH_TRANSACTIONS)]
    pub solana_batch: usize,
}

/// `scheme://user:password@host` → `scheme://user:***@host`.
pub fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_password;

    #[test]
    fn masks_only_the_password() {
        assert_eq!(mask_password("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
    }
}
