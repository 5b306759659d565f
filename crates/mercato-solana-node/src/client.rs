//! Sending transactions over JSON-RPC and waiting for them, as any client of a real cluster does.

use mercato_solana_client::{Instruction, Pubkey};
use serde_json::{Value, json};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::request::RpcRequest;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::time::{Duration, Instant};

/// How long a transaction may take to confirm.
pub const CONFIRM_TIMEOUT: Duration = Duration::from_secs(30);
/// How often its status is polled.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// Why a transaction did not land.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The node refused it (preflight simulation or a transport error).
    #[error("{0}")]
    Rpc(#[from] Box<solana_rpc_client_api::client_error::Error>),
    /// It executed and failed.
    #[error("transaction {signature} failed: {error}")]
    Failed {
        /// The transaction.
        signature: Signature,
        /// The runtime's error.
        error: solana_rpc_client_api::response::TransactionError,
    },
    /// It did not confirm in time.
    #[error("transaction {0} not confirmed within {CONFIRM_TIMEOUT:?}")]
    Timeout(Signature),
}

impl From<solana_rpc_client_api::client_error::Error> for SendError {
    fn from(error: solana_rpc_client_api::client_error::Error) -> Self {
        Self::Rpc(Box::new(error))
    }
}

/// A client at `url` that reads at `confirmed`.
pub fn rpc_client(url: &str) -> RpcClient {
    RpcClient::new_with_commitment(url.to_owned(), CommitmentConfig::confirmed())
}

/// Signs `instructions` with `payer` (fee payer) and `signers`, sends them with preflight simulation and waits
/// until the transaction is confirmed.
pub async fn send(
    rpc: &RpcClient,
    instructions: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Result<Signature, SendError> {
    let blockhash = rpc.get_latest_blockhash().await?;
    let mut all: Vec<&Keypair> = vec![payer];
    all.extend(signers.iter().copied().filter(|s| s.pubkey() != payer.pubkey()));
    let transaction = Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, blockhash);
    let signature = rpc.send_transaction(&transaction).await?;
    confirm(rpc, &signature).await?;
    Ok(signature)
}

/// Waits until `signature` is confirmed; its execution error if it failed.
pub async fn confirm(rpc: &RpcClient, signature: &Signature) -> Result<(), SendError> {
    let deadline = Instant::now() + CONFIRM_TIMEOUT;
    while Instant::now() < deadline {
        let statuses = rpc.get_signature_statuses(std::slice::from_ref(signature)).await?;
        if let Some(Some(status)) = statuses.value.first() {
            if let Some(error) = &status.err {
                return Err(SendError::Failed { signature: *signature, error: error.clone() });
            }
            if status.satisfies_commitment(CommitmentConfig::confirmed()) {
                return Ok(());
            }
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
    Err(SendError::Timeout(*signature))
}

/// Airdrops `lamports` to `to` and waits for it.
pub async fn airdrop(rpc: &RpcClient, to: &Pubkey, lamports: u64) -> Result<(), SendError> {
    let signature = rpc.request_airdrop(to, lamports).await?;
    confirm(rpc, &signature).await
}

/// The program logs of a confirmed transaction (`getTransaction`'s `meta.logMessages`); Anchor events are in its
/// `Program data:` lines.
pub async fn logs(rpc: &RpcClient, signature: &Signature) -> Result<Vec<String>, SendError> {
    let config = json!({"encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0});
    let transaction: Value = rpc.send(RpcRequest::GetTransaction, json!([signature.to_string(), config])).await?;
    Ok(transaction["meta"]["logMessages"]
        .as_array()
        .map(|lines| lines.iter().filter_map(|l| l.as_str().map(str::to_owned)).collect())
        .unwrap_or_default())
}

/// The cluster clock's Unix timestamp (seconds), read from the Clock sysvar account.
pub async fn unix_timestamp(rpc: &RpcClient) -> Result<i64, SendError> {
    let data = rpc.get_account_data(&solana_sdk_ids::sysvar::clock::ID).await?;
    // Clock is five little-endian 8-byte fields: slot, epoch_start_timestamp, epoch, leader_schedule_epoch,
    // unix_timestamp.
    let bytes: [u8; 8] = data.get(32..40).and_then(|b| b.try_into().ok()).unwrap_or_default();
    Ok(i64::from_le_bytes(bytes))
}

/// Local node only (surfpool's `surfnet_timeTravel`): moves the clock forward to `unix_timestamp` seconds.
pub async fn time_travel(rpc: &RpcClient, unix_timestamp: i64) -> Result<(), SendError> {
    let request = RpcRequest::Custom { method: "surfnet_timeTravel" };
    let _: Value = rpc.send(request, json!([{"absoluteTimestamp": unix_timestamp * 1_000}])).await?;
    Ok(())
}
