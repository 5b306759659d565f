//! Solana JSON-RPC, through solana-client's nonblocking `RpcClient`: slots by commitment, signatures of an address
//! (`getSignaturesForAddress`, paged), blocks (`getBlock`, signatures only: the order of transactions in a slot),
//! transactions (`getTransaction`: logs and token balances). Answers are read as JSON so that only the fields the
//! indexer needs have to be there.

use serde_json::{Value, json};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::Error as ClientError;
use solana_rpc_client_api::request::RpcRequest;

/// An RPC failure or an answer without a field the indexer needs.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Transport or node error.
    #[error("Solana RPC: {0}")]
    Rpc(#[from] Box<ClientError>),
    /// The answer lacks something.
    #[error("Solana RPC answer without {0}")]
    Malformed(&'static str),
}

impl From<ClientError> for SourceError {
    fn from(e: ClientError) -> Self {
        Self::Rpc(Box::new(e))
    }
}

/// One entry of `getSignaturesForAddress`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// Base58 signature.
    pub signature: String,
    /// Slot.
    pub slot: u64,
    /// The transaction failed (it changed nothing but fees; its logs are not trusted).
    pub failed: bool,
}

/// A block as the mirror keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotBlock {
    /// Slot.
    pub slot: u64,
    /// Blockhash (32 bytes).
    pub hash: Vec<u8>,
    /// Previous blockhash.
    pub parent_hash: Vec<u8>,
    /// Block time, seconds (0 if the node does not know it).
    pub time: i64,
    /// Signatures in block order.
    pub signatures: Vec<String>,
}

/// One token balance of a transaction (`meta.preTokenBalances` / `postTokenBalances`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBalance {
    /// The token account.
    pub account: String,
    /// Its mint.
    pub mint: String,
    /// Its owner.
    pub owner: String,
    /// Amount, base units (decimal string).
    pub amount: String,
}

/// What the indexer reads of a transaction.
#[derive(Debug, Clone, Default)]
pub struct TxInfo {
    /// Slot.
    pub slot: u64,
    /// Program logs.
    pub logs: Vec<String>,
    /// The log was cut by the runtime (`Log truncated`): events may be missing.
    pub truncated: bool,
    /// Token balances before.
    pub pre: Vec<TokenBalance>,
    /// Token balances after.
    pub post: Vec<TokenBalance>,
}

/// A lamport (SOL) inflow into a wallet: who paid it, in which transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funding {
    /// The account whose lamports fell the most in that transaction (the sender).
    pub funder: String,
    /// Slot.
    pub slot: u64,
    /// Base58 signature.
    pub signature: String,
}

/// The node.
pub struct SolanaSource {
    rpc: RpcClient,
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

fn decode58(text: &str) -> Result<Vec<u8>, SourceError> {
    bs58::decode(text).into_vec().map_err(|_| SourceError::Malformed("a base58 hash"))
}

impl SolanaSource {
    /// A client of `url` reading at `confirmed`.
    pub fn new(url: &str) -> Self {
        Self { rpc: RpcClient::new_with_commitment(url.to_owned(), CommitmentConfig::confirmed()) }
    }

    /// The newest slot at `commitment` (`confirmed` or `finalized`).
    pub async fn slot(&self, commitment: &str) -> Result<u64, SourceError> {
        let slot: u64 = self.rpc.send(RpcRequest::GetSlot, json!([{"commitment": commitment}])).await?;
        Ok(slot)
    }

    /// Signatures of `address` with `min_slot <= slot <= max_slot`, oldest first, paging back from the newest until
    /// `until` (exclusive) or a slot below `min_slot`.
    pub async fn signatures(
        &self,
        address: &str,
        until: Option<&str>,
        min_slot: u64,
        max_slot: u64,
    ) -> Result<Vec<SignatureInfo>, SourceError> {
        let mut out = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let mut config = json!({"commitment": "confirmed", "limit": 1000});
            if let Some(b) = &before {
                config["before"] = json!(b);
            }
            if let Some(u) = until {
                config["until"] = json!(u);
            }
            let page: Vec<Value> = self.rpc.send(RpcRequest::GetSignaturesForAddress, json!([address, config])).await?;
            let mut reached_bottom = page.len() < 1000;
            for entry in &page {
                let signature = entry["signature"].as_str().ok_or(SourceError::Malformed("signature"))?.to_owned();
                let slot = entry["slot"].as_u64().ok_or(SourceError::Malformed("slot"))?;
                before = Some(signature.clone());
                if slot < min_slot {
                    reached_bottom = true;
                    break;
                }
                if slot <= max_slot {
                    out.push(SignatureInfo { signature, slot, failed: !entry["err"].is_null() });
                }
            }
            if reached_bottom || page.is_empty() {
                break;
            }
        }
        out.reverse();
        Ok(out)
    }

    /// The confirmed block at `slot` (signatures only); `None` when the slot has no block (skipped) or is not
    /// confirmed at `commitment` yet.
    pub async fn block(&self, slot: u64, commitment: &str) -> Result<Option<SlotBlock>, SourceError> {
        let config = json!({"commitment": commitment, "transactionDetails": "signatures", "rewards": false,
                            "maxSupportedTransactionVersion": 0});
        let block: Value = match self.rpc.send(RpcRequest::GetBlock, json!([slot, config])).await {
            Ok(v) => v,
            // -32004 block not available, -32007 slot skipped, -32009 missing in long-term storage
            Err(e) if ["-32004", "-32007", "-32009"].iter().any(|code| e.to_string().contains(code)) => {
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        if block.is_null() {
            return Ok(None);
        }
        let hash = decode58(block["blockhash"].as_str().ok_or(SourceError::Malformed("blockhash"))?)?;
        let parent_hash =
            decode58(block["previousBlockhash"].as_str().ok_or(SourceError::Malformed("previousBlockhash"))?)?;
        Ok(Some(SlotBlock {
            slot,
            hash,
            parent_hash,
            time: block["blockTime"].as_i64().unwrap_or(0),
            signatures: strings(&block["signatures"]),
        }))
    }

    /// Slots with a block between `from` and `to` at `commitment` (`getBlocks`).
    pub async fn blocks_in(&self, from: u64, to: u64, commitment: &str) -> Result<Vec<u64>, SourceError> {
        let slots: Vec<u64> =
            self.rpc.send(RpcRequest::GetBlocks, json!([from, to, {"commitment": commitment}])).await?;
        Ok(slots)
    }

    /// The confirmed transaction `signature`, or `None` when the node does not have it (yet).
    pub async fn transaction(&self, signature: &str) -> Result<Option<TxInfo>, SourceError> {
        let config = json!({"encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0});
        let tx: Value = self.rpc.send(RpcRequest::GetTransaction, json!([signature, config])).await?;
        if tx.is_null() {
            return Ok(None);
        }
        let mut keys = strings(&tx["transaction"]["message"]["accountKeys"]);
        keys.extend(strings(&tx["meta"]["loadedAddresses"]["writable"]));
        keys.extend(strings(&tx["meta"]["loadedAddresses"]["readonly"]));
        let balances = |field: &str| -> Vec<TokenBalance> {
            tx["meta"][field]
                .as_array()
                .map(|all| {
                    all.iter()
                        .filter_map(|b| {
                            Some(TokenBalance {
                                account: keys.get(b["accountIndex"].as_u64()? as usize)?.clone(),
                                mint: b["mint"].as_str()?.to_owned(),
                                owner: b["owner"].as_str()?.to_owned(),
                                amount: b["uiTokenAmount"]["amount"].as_str()?.to_owned(),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let logs = strings(&tx["meta"]["logMessages"]);
        Ok(Some(TxInfo {
            slot: tx["slot"].as_u64().ok_or(SourceError::Malformed("slot"))?,
            truncated: logs.iter().any(|l| l == "Log truncated"),
            logs,
            pre: balances("preTokenBalances"),
            post: balances("postTokenBalances"),
        }))
    }

    /// The oldest signatures of `address` (oldest first, at most `keep`), paging back from the newest at most
    /// `max_pages` pages of 1,000; `None` when the history is longer than that.
    pub async fn oldest_signatures(
        &self,
        address: &str,
        max_pages: usize,
        keep: usize,
    ) -> Result<Option<Vec<SignatureInfo>>, SourceError> {
        let mut before: Option<String> = None;
        let mut previous: Vec<SignatureInfo> = Vec::new();
        for _ in 0..max_pages {
            let mut config = json!({"commitment": "confirmed", "limit": 1000});
            if let Some(b) = &before {
                config["before"] = json!(b);
            }
            let page: Vec<Value> = self.rpc.send(RpcRequest::GetSignaturesForAddress, json!([address, config])).await?;
            let mut entries = Vec::with_capacity(page.len());
            for entry in &page {
                let signature = entry["signature"].as_str().ok_or(SourceError::Malformed("signature"))?.to_owned();
                let slot = entry["slot"].as_u64().ok_or(SourceError::Malformed("slot"))?;
                entries.push(SignatureInfo { signature, slot, failed: !entry["err"].is_null() });
            }
            if entries.is_empty() {
                previous.reverse();
                return Ok(Some(previous));
            }
            before = entries.last().map(|e| e.signature.clone());
            let full = entries.len() == 1000;
            // Newest first: the oldest `keep` are the tail of this page, possibly with the previous page's tail.
            let mut tail = std::mem::take(&mut previous);
            tail.extend(entries);
            let cut = tail.len().saturating_sub(keep);
            previous = tail.split_off(cut);
            if !full {
                previous.reverse();
                return Ok(Some(previous));
            }
        }
        Ok(None)
    }

    /// The lamport inflow into `wallet` in transaction `signature`, if its SOL balance rose there and another account's
    /// fell (the largest fall names the funder).
    pub async fn funding(&self, signature: &str, wallet: &str) -> Result<Option<Funding>, SourceError> {
        let config = json!({"encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0});
        let tx: Value = self.rpc.send(RpcRequest::GetTransaction, json!([signature, config])).await?;
        if tx.is_null() || !tx["meta"]["err"].is_null() {
            return Ok(None);
        }
        let mut keys = strings(&tx["transaction"]["message"]["accountKeys"]);
        keys.extend(strings(&tx["meta"]["loadedAddresses"]["writable"]));
        keys.extend(strings(&tx["meta"]["loadedAddresses"]["readonly"]));
        let numbers = |field: &str| -> Vec<u64> {
            tx["meta"][field].as_array().map(|a| a.iter().filter_map(Value::as_u64).collect()).unwrap_or_default()
        };
        let (pre, post) = (numbers("preBalances"), numbers("postBalances"));
        let Some(i) = keys.iter().position(|k| k == wallet) else { return Ok(None) };
        if post.get(i) <= pre.get(i) {
            return Ok(None);
        }
        let funder = (0..keys.len().min(pre.len()).min(post.len()))
            .filter(|&j| j != i && pre[j] > post[j])
            .max_by_key(|&j| pre[j] - post[j])
            .map(|j| keys[j].clone());
        Ok(funder.map(|funder| Funding {
            funder,
            slot: tx["slot"].as_u64().unwrap_or(0),
            signature: signature.to_owned(),
        }))
    }
}
