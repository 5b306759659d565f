//! Configuration from flags and environment variables.

use crate::keys::{KeyError, LocalKeyStore};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use zeroize::Zeroizing;

/// The relayer's command line.
#[derive(Parser)]
#[command(name = "mercato-relayer", version, about = "Custodial accounts and gas sponsorship for Mercato")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Serve the API.
    Serve(ServeArgs),
    /// Rewrap every user's data key under the current master key (give the old one as a previous key).
    RotateMasterKey(DatabaseArgs),
    /// Print a fresh random master key (hex) to standard output.
    GenMasterKey,
}

/// The database and the master keys.
#[derive(Args)]
pub struct DatabaseArgs {
    /// Postgres URL.
    #[arg(long, env = "MERCATO_RELAYER_DATABASE_URL")]
    pub database_url: String,
    /// File holding the current master key (64 hex characters). Alternatively MERCATO_RELAYER_MASTER_KEY.
    #[arg(long, env = "MERCATO_RELAYER_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// Files holding previous master keys, still accepted for unwrapping (during a rotation).
    #[arg(long = "previous-master-key-file", env = "MERCATO_RELAYER_PREVIOUS_MASTER_KEY_FILES", value_delimiter = ',')]
    pub previous_master_key_files: Vec<PathBuf>,
}

/// `serve` options.
#[derive(Args)]
pub struct ServeArgs {
    /// Database and keys.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(long, env = "MERCATO_RELAYER_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Session lifetime in seconds.
    #[arg(long, env = "MERCATO_RELAYER_SESSION_TTL", default_value_t = 86_400)]
    pub session_ttl: i64,
}

/// Why the configuration is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No master key given.
    #[error(
        "no master key: set MERCATO_RELAYER_MASTER_KEY or --master-key-file (`mercato-relayer gen-master-key` makes one)"
    )]
    NoMasterKey,
    /// A key file could not be read.
    #[error("cannot read master key file {0}: {1}")]
    ReadKey(PathBuf, std::io::Error),
    /// A key is malformed.
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl DatabaseArgs {
    /// The key store from the configured master keys.
    pub fn key_store(&self) -> Result<LocalKeyStore, ConfigError> {
        let read = |path: &PathBuf| {
            std::fs::read_to_string(path).map(Zeroizing::new).map_err(|e| ConfigError::ReadKey(path.clone(), e))
        };
        let current = match (&self.master_key_file, std::env::var("MERCATO_RELAYER_MASTER_KEY")) {
            (Some(path), _) => read(path)?,
            (None, Ok(key)) => Zeroizing::new(key),
            (None, Err(_)) => return Err(ConfigError::NoMasterKey),
        };
        let previous: Vec<String> =
            self.previous_master_key_files.iter().map(|p| read(p).map(|k| k.to_string())).collect::<Result<_, _>>()?;
        Ok(LocalKeyStore::from_hex(&current, &previous)?)
    }
}
