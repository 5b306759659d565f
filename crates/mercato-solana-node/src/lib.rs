//! A local Solana JSON-RPC node for development and tests.
//!
//! It embeds surfpool-core's simnet: a LiteSVM-based runtime behind Solana's JSON-RPC (HTTP + WebSocket), offline
//! (no remote cluster is ever contacted) and bound to 127.0.0.1, with the four Mercato programs' SBF builds loaded.
//! The relayer, the indexer, the app and the end-to-end tests talk to it exactly as they would to a real cluster.
//!
//! - [`node`]: start and stop the node;
//! - [`deploy`]: initialize the economy over JSON-RPC and describe it as the manifest's Solana section;
//! - [`client`]: send a transaction and wait for it;
//! - [`localnet`]: the well-known localnet keypairs.

pub mod client;
pub mod demo;
pub mod deploy;
pub mod localnet;
pub mod node;

pub use node::{LocalNode, NodeConfig, NodeError};
