//! The Mercato deployment manifest.
//!
//! One JSON file per network (`deployments/<network>.json`), written by the deploy steps and read by the relayer,
//! the indexer, the app and the tests, so that no address is typed twice. The EVM section is written by
//! `contracts/script/Deploy.s.sol`; the Solana section by `mercato-solana-node --deploy` (the local node) or by
//! whoever deploys the programs to a cluster. Solana addresses are base58 strings.
//!
//! ```json
//! {
//!   "network": "localnet",
//!   "evm": {
//!     "chainId": 31337, "rpcUrl": "http://127.0.0.1:8545", "deployBlock": 0, "deployer": "0x…",
//!     "contracts": { "forwarder": "0x…", "timelock": "0x…", "economyConfig": "0x…", "token": "0x…",
//!                    "items": "0x…", "auctionHouse": "0x…", "governor": "0x…" }
//!   },
//!   "solana": {
//!     "rpcUrl": "http://127.0.0.1:8899", "wsUrl": "ws://127.0.0.1:8900", "deploySlot": 0, "deployer": "…",
//!     "gameServer": "…", "genesisHolder": "…",
//!     "programs": { "token": "…", "items": "…", "auction": "…", "governance": "…" },
//!     "accounts": { "economyConfig": "…", "currencyMint": "…", "treasury": "…", "itemsConfig": "…",
//!                   "collection": "…", "auctionHouse": "…", "governance": "…" }
//!   }
//! }
//! ```

use alloy_primitives::Address;
use serde::{Deserialize, Serialize};
pub use solana_address::Address as SolanaAddress;
use std::path::{Path, PathBuf};

/// Environment variable that points at a manifest file, overriding the default path.
pub const MANIFEST_ENV: &str = "MERCATO_MANIFEST";

/// Why a manifest could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("cannot read manifest {path}: {source}")]
    Read {
        /// The path that was read.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a manifest.
    #[error("manifest {path} is not valid: {source}")]
    Parse {
        /// The path that was read.
        path: PathBuf,
        /// The JSON error, with line and column.
        source: serde_json::Error,
    },
    /// The file parsed but its content cannot be right.
    #[error("manifest {path} is inconsistent: {reason}")]
    Invalid {
        /// The path that was read.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A section the caller needs is absent.
    #[error("manifest {path} has no {section} section (deploy that chain first)")]
    MissingSection {
        /// The path that was read.
        path: PathBuf,
        /// The missing section.
        section: &'static str,
    },
}

/// A deployment manifest for one network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The network's name (`localnet`, `testnet`, …); also the file's stem.
    pub network: String,
    /// The EVM deployment, when the EVM suite is deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evm: Option<EvmDeployment>,
    /// The Solana deployment, when the Solana programs are deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solana: Option<SolanaDeployment>,
}

/// The EVM half of a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvmDeployment {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// JSON-RPC endpoint the deployment was made through.
    pub rpc_url: String,
    /// A block at or before the first deployment transaction: indexers start scanning here.
    pub deploy_block: u64,
    /// The account that sent the deployment transactions (it keeps no admin role).
    pub deployer: Address,
    /// Contract addresses.
    pub contracts: EvmContracts,
}

/// Addresses of the EVM suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvmContracts {
    /// ERC-2771 forwarder (gasless calls).
    pub forwarder: Address,
    /// Governance timelock: owns the config, administers the items, holds the treasury.
    pub timelock: Address,
    /// Live economy parameters.
    pub economy_config: Address,
    /// The currency (ERC-20 + permit + votes).
    pub token: Address,
    /// Item NFTs (ERC-721 + ERC-2981).
    pub items: Address,
    /// English, Dutch and fixed-price market.
    pub auction_house: Address,
    /// Token-weighted governor.
    pub governor: Address,
}

impl EvmContracts {
    /// Every address with its manifest key, in a fixed order.
    pub fn named(&self) -> [(&'static str, Address); 7] {
        [
            ("forwarder", self.forwarder),
            ("timelock", self.timelock),
            ("economyConfig", self.economy_config),
            ("token", self.token),
            ("items", self.items),
            ("auctionHouse", self.auction_house),
            ("governor", self.governor),
        ]
    }
}

/// The Solana half of a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolanaDeployment {
    /// JSON-RPC endpoint (HTTP).
    pub rpc_url: String,
    /// PubSub endpoint (WebSocket).
    pub ws_url: String,
    /// A slot at or before the first initialization transaction: indexers start scanning here.
    pub deploy_slot: u64,
    /// Who sent the initialization transactions (governance holds the economy's authority afterwards).
    #[serde(with = "base58")]
    pub deployer: SolanaAddress,
    /// The reward and item-minting role.
    #[serde(with = "base58")]
    pub game_server: SolanaAddress,
    /// Holds the genesis supply and receives royalties.
    #[serde(with = "base58")]
    pub genesis_holder: SolanaAddress,
    /// Program ids.
    pub programs: SolanaPrograms,
    /// The singleton accounts the programs created.
    pub accounts: SolanaAccounts,
}

/// Program ids of the Solana suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolanaPrograms {
    /// Currency, economy config, emission, rewards, burns.
    #[serde(with = "base58")]
    pub token: SolanaAddress,
    /// Item NFTs (Token-2022).
    #[serde(with = "base58")]
    pub items: SolanaAddress,
    /// The market.
    #[serde(with = "base58")]
    pub auction: SolanaAddress,
    /// The DAO.
    #[serde(with = "base58")]
    pub governance: SolanaAddress,
}

/// The singleton accounts of the Solana suite (all PDAs of the programs above).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolanaAccounts {
    /// The economy's live parameters.
    #[serde(with = "base58")]
    pub economy_config: SolanaAddress,
    /// The currency's SPL mint.
    #[serde(with = "base58")]
    pub currency_mint: SolanaAddress,
    /// The currency account that collects market fees.
    #[serde(with = "base58")]
    pub treasury: SolanaAddress,
    /// The items program's config.
    #[serde(with = "base58")]
    pub items_config: SolanaAddress,
    /// The collection's Token-2022 mint.
    #[serde(with = "base58")]
    pub collection: SolanaAddress,
    /// The auction house.
    #[serde(with = "base58")]
    pub auction_house: SolanaAddress,
    /// The governance account.
    #[serde(with = "base58")]
    pub governance: SolanaAddress,
}

impl SolanaPrograms {
    /// Every program id with its manifest key, in a fixed order.
    pub fn named(&self) -> [(&'static str, SolanaAddress); 4] {
        [("token", self.token), ("items", self.items), ("auction", self.auction), ("governance", self.governance)]
    }
}

mod base58 {
    use super::SolanaAddress;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(super) fn serialize<S: Serializer>(address: &SolanaAddress, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(address)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SolanaAddress, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|e| D::Error::custom(format!("{text:?} is not a base58 Solana address: {e:?}")))
    }
}

impl Manifest {
    /// The default manifest path for `network` under the repository root `repo_root`.
    pub fn default_path(repo_root: &Path, network: &str) -> PathBuf {
        repo_root.join("deployments").join(format!("{network}.json"))
    }

    /// Reads and validates the manifest at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ManifestError> {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|source| ManifestError::Read { path: path.to_owned(), source })?;
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|source| ManifestError::Parse { path: path.to_owned(), source })?;
        manifest.validate().map_err(|reason| ManifestError::Invalid { path: path.to_owned(), reason })?;
        Ok(manifest)
    }

    /// Reads the manifest named by `MERCATO_MANIFEST`, or else `deployments/<network>.json` under `repo_root`.
    pub fn load_from_env(repo_root: &Path, network: &str) -> Result<Self, ManifestError> {
        match std::env::var_os(MANIFEST_ENV) {
            Some(path) => Self::load(PathBuf::from(path)),
            None => Self::load(Self::default_path(repo_root, network)),
        }
    }

    /// The EVM section, or an error naming the file when the EVM suite is not deployed.
    pub fn require_evm(&self, path: &Path) -> Result<&EvmDeployment, ManifestError> {
        self.evm.as_ref().ok_or(ManifestError::MissingSection { path: path.to_owned(), section: "evm" })
    }

    /// The Solana section, or an error naming the file when the Solana programs are not deployed.
    pub fn require_solana(&self, path: &Path) -> Result<&SolanaDeployment, ManifestError> {
        self.solana.as_ref().ok_or(ManifestError::MissingSection { path: path.to_owned(), section: "solana" })
    }

    /// Writes the manifest to `path` (pretty JSON with a trailing newline), through a temporary file renamed into
    /// place so a reader never sees half a file.
    pub fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let path = path.as_ref();
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }

    /// Checks what the type system cannot: non-empty names, an http(s) or ws(s) RPC URL, and seven distinct,
    /// non-zero contract addresses.
    pub fn validate(&self) -> Result<(), String> {
        if self.network.trim().is_empty() {
            return Err("network name is empty".into());
        }
        if let Some(evm) = &self.evm {
            let url = evm.rpc_url.as_str();
            if !["http://", "https://", "ws://", "wss://"].iter().any(|scheme| url.starts_with(scheme)) {
                return Err(format!("evm.rpcUrl {url:?} is not an http(s) or ws(s) URL"));
            }
            if evm.chain_id == 0 {
                return Err("evm.chainId is 0".into());
            }
            let named = evm.contracts.named();
            for (i, (name, address)) in named.iter().enumerate() {
                if address.is_zero() {
                    return Err(format!("evm.contracts.{name} is the zero address"));
                }
                if let Some((other, _)) = named[..i].iter().find(|(_, a)| a == address) {
                    return Err(format!("evm.contracts.{name} and evm.contracts.{other} share address {address}"));
                }
            }
        }
        if let Some(solana) = &self.solana {
            for (key, url, schemes) in
                [("rpcUrl", &solana.rpc_url, ["http://", "https://"]), ("wsUrl", &solana.ws_url, ["ws://", "wss://"])]
            {
                if !schemes.iter().any(|scheme| url.starts_with(scheme)) {
                    return Err(format!("solana.{key} {url:?} is not a {} URL", schemes.join(" or ")));
                }
            }
            let named = solana.programs.named();
            for (i, (name, id)) in named.iter().enumerate() {
                if let Some((other, _)) = named[..i].iter().find(|(_, a)| a == id) {
                    return Err(format!("solana.programs.{name} and solana.programs.{other} share id {id}"));
                }
            }
        }
        Ok(())
    }
}
