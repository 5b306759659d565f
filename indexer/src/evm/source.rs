//! Reading an EVM chain over JSON-RPC: headers and logs of the suite's contracts.

use crate::store::BlockInfo;
use alloy::primitives::{Address, B256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, Log};
use alloy::transports::TransportError;

/// The suite's chain: a provider and the addresses whose logs are mirrored.
#[derive(Clone)]
pub struct EvmSource {
    provider: DynProvider,
    addresses: Vec<Address>,
}

impl EvmSource {
    /// Connects to `rpc_url` (HTTP); logs of `addresses` are read.
    pub fn connect(rpc_url: &str, addresses: Vec<Address>) -> Result<Self, String> {
        let url = rpc_url.parse().map_err(|e| format!("RPC URL {rpc_url:?}: {e}"))?;
        Ok(Self { provider: ProviderBuilder::new().connect_http(url).erased(), addresses })
    }

    /// The current head's number.
    pub async fn head(&self) -> Result<u64, TransportError> {
        self.provider.get_block_number().await
    }

    /// The canonical header at `number`, if the chain is that long.
    pub async fn header(&self, number: u64) -> Result<Option<BlockInfo>, TransportError> {
        let block = self.provider.get_block_by_number(number.into()).await?;
        Ok(block.map(|b| BlockInfo {
            number: b.header.number,
            hash: b.header.hash,
            parent_hash: b.header.parent_hash,
            timestamp: b.header.timestamp,
        }))
    }

    /// The canonical headers at `numbers` (in that order), fetched `concurrency` at a time; `None` if the chain is
    /// shorter than one of them.
    pub async fn headers(&self, numbers: &[u64], concurrency: usize) -> Result<Option<Vec<BlockInfo>>, TransportError> {
        let mut headers = Vec::with_capacity(numbers.len());
        for chunk in numbers.chunks(concurrency.max(1)) {
            let mut tasks = tokio::task::JoinSet::new();
            for (i, number) in chunk.iter().copied().enumerate() {
                let source = self.clone();
                tasks.spawn(async move { (i, source.header(number).await) });
            }
            let mut fetched = vec![None; chunk.len()];
            while let Some(joined) = tasks.join_next().await {
                let (i, header) = joined.expect("header task panicked");
                fetched[i] = header?;
            }
            match fetched.into_iter().collect::<Option<Vec<_>>>() {
                Some(chunk) => headers.extend(chunk),
                None => return Ok(None),
            }
        }
        Ok(Some(headers))
    }

    /// Logs of the suite in blocks `from..=to`.
    pub async fn logs_in_range(&self, from: u64, to: u64) -> Result<Vec<Log>, TransportError> {
        let filter = Filter::new().address(self.addresses.clone()).from_block(from).to_block(to);
        self.provider.get_logs(&filter).await
    }

    /// Logs of the suite in the block with hash `hash` (EIP-234: exactly that block, even if it was reorged out).
    pub async fn logs_at(&self, hash: B256) -> Result<Vec<Log>, TransportError> {
        let filter = Filter::new().address(self.addresses.clone()).at_block_hash(hash);
        self.provider.get_logs(&filter).await
    }
}
