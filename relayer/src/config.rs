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
    Serve(Box<ServeArgs>),
    /// Rewrap every user's data key under the current master key (give the old one as a previous key).
    RotateMasterKey(DatabaseArgs),
    /// Print a fresh random master key (hex) to standard output.
    GenMasterKey,
    /// Write a fresh Solana keypair (a JSON array of 64 bytes, as solana-keygen writes) to FILE and print its
    /// address; refuses to overwrite an existing file.
    GenSolanaKeypair {
        /// Where to write it (created with mode 0600).
        file: PathBuf,
    },
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
    /// The deployment manifest: its `evm` section names the chain and contracts, its `solana` section the cluster.
    #[arg(long, env = "MERCATO_MANIFEST")]
    pub manifest: Option<PathBuf>,
    /// EVM JSON-RPC URL (default: the manifest's).
    #[arg(long, env = "MERCATO_RELAYER_EVM_RPC_URL")]
    pub evm_rpc_url: Option<String>,
    /// File with the EVM sender keys that pay the gas, one hex key per line (one nonce lane each).
    #[arg(long, env = "MERCATO_RELAYER_EVM_SENDER_KEYS_FILE")]
    pub evm_sender_keys_file: Option<PathBuf>,
    /// Blocks a receipt must be deep before a request is final.
    #[arg(long, env = "MERCATO_RELAYER_EVM_CONFIRMATIONS", default_value_t = 2)]
    pub evm_confirmations: u64,
    /// Blocks without a receipt before the fees are bumped (≥ 12.5%).
    #[arg(long, env = "MERCATO_RELAYER_EVM_BUMP_AFTER_BLOCKS", default_value_t = 3)]
    pub evm_bump_after_blocks: u64,
    /// The highest max fee per gas the relayer pays, gwei.
    #[arg(long, env = "MERCATO_RELAYER_EVM_MAX_FEE_GWEI", default_value_t = 500)]
    pub evm_max_fee_gwei: u64,
    /// Solana JSON-RPC URL (default: the manifest's).
    #[arg(long, env = "MERCATO_RELAYER_SOLANA_RPC_URL")]
    pub solana_rpc_url: Option<String>,
    /// The Solana fee payer's keypair file (solana-keygen's JSON format); turns Solana sponsorship on.
    #[arg(long, env = "MERCATO_RELAYER_SOLANA_FEE_PAYER_KEYPAIR")]
    pub solana_fee_payer_keypair: Option<PathBuf>,
    /// The most rent the fee payer tops a user up with in one transaction, lamports.
    #[arg(long, env = "MERCATO_RELAYER_SOLANA_MAX_TOP_UP", default_value_t = 10_000_000)]
    pub solana_max_top_up: u64,
    /// The highest compute-unit price the relayer pays, micro-lamports.
    #[arg(long, env = "MERCATO_RELAYER_SOLANA_MAX_PRIORITY_FEE", default_value_t = 100_000)]
    pub solana_max_priority_fee: u64,
    /// The lowest compute-unit price the relayer offers, micro-lamports.
    #[arg(long, env = "MERCATO_RELAYER_SOLANA_PRIORITY_FEE_FLOOR", default_value_t = 0)]
    pub solana_priority_fee_floor: u64,
    /// Lamports (fees and rent top-ups) a principal may be sponsored per day.
    #[arg(long, env = "MERCATO_RELAYER_USER_DAILY_LAMPORTS", default_value_t = 50_000_000)]
    pub user_daily_lamports: i64,
    /// Lamports the relayer sponsors per day in all.
    #[arg(long, env = "MERCATO_RELAYER_GLOBAL_DAILY_LAMPORTS", default_value_t = 10_000_000_000)]
    pub global_daily_lamports: i64,
    /// Gas a principal (a custodial user or a wallet) may be sponsored per day.
    #[arg(long, env = "MERCATO_RELAYER_USER_DAILY_GAS", default_value_t = 20_000_000)]
    pub user_daily_gas: i64,
    /// Gas the relayer sponsors per day in all.
    #[arg(long, env = "MERCATO_RELAYER_GLOBAL_DAILY_GAS", default_value_t = 2_000_000_000)]
    pub global_daily_gas: i64,
    /// Sign-ups and log-ins a client address may make per minute.
    #[arg(long, env = "MERCATO_RELAYER_AUTH_PER_IP_PER_MINUTE", default_value_t = 30)]
    pub auth_per_ip_per_minute: usize,
    /// Proxies whose X-Forwarded-For tells the client's address (comma-separated IPs, e.g. the web app's server).
    #[arg(long = "trusted-proxy", env = "MERCATO_RELAYER_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Sponsored requests a principal may send per minute.
    #[arg(long, env = "MERCATO_RELAYER_REQUESTS_PER_MINUTE", default_value_t = 120)]
    pub requests_per_minute: usize,
    /// Solana actions (`/v1/solana/actions`) a client address may have built per minute.
    #[arg(long, env = "MERCATO_RELAYER_ACTIONS_PER_IP_PER_MINUTE", default_value_t = 300)]
    pub actions_per_ip_per_minute: usize,
}

/// Reads sender keys: one hex private key per line; blank lines and `#` comments are skipped.
pub fn read_sender_keys(path: &std::path::Path) -> Result<Vec<alloy::signers::local::PrivateKeySigner>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, line)| line.parse().map_err(|_| format!("{} line {}: not a hex private key", path.display(), i + 1)))
        .collect()
}

/// Reads a Solana keypair file: a JSON array of 64 bytes (secret key then public key), as solana-keygen writes.
pub fn read_solana_keypair(path: &std::path::Path) -> Result<solana_keypair::Keypair, String> {
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?);
    let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(
        serde_json::from_str(&text).map_err(|_| format!("{}: not a JSON array of bytes", path.display()))?,
    );
    solana_keypair::Keypair::try_from(bytes.as_slice())
        .map_err(|_| format!("{}: not a 64-byte Solana keypair", path.display()))
}

/// Writes a new Solana keypair to `path` (mode 0600, never over an existing file); returns its address.
pub fn write_solana_keypair(path: &std::path::Path) -> Result<String, String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let keypair = solana_keypair::Keypair::new();
    let json = Zeroizing::new(serde_json::to_string(&keypair.to_bytes().to_vec()).map_err(|e| e.to_string())?);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(json.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(solana_signer::Signer::pubkey(&keypair).to_string())
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
