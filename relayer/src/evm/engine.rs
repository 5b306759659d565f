//! The EVM submission engine: one nonce lane per sender key, fed from the durable queue.
//!
//! - **Claim**: a lane takes queued rows with `FOR UPDATE SKIP LOCKED`, at most one in flight per principal (a
//!   user's forward requests use sequential forwarder nonces, so they go one at a time; different users proceed in
//!   parallel). In the same database transaction it assigns the lane's next nonce, signs the transaction and
//!   stores the signed bytes; only after the commit is it broadcast. A crash in between rebroadcasts the same bytes
//!   at start-up, so a request is sent at most once per nonce and never under two nonces.
//! - **Follow**: receipts of every attempt of every submitted request; mined at the confirmation depth →
//!   `confirmed` (or `failed` when it reverted); a receipt that disappears (reorg) → rebroadcast; unmined after
//!   `bump_after_blocks` → the same nonce again with both fees raised ≥ 12.5% (up to a cap), so "replacement
//!   underpriced" always resolves by the next bump.
//! - **Reconcile** (start-up): a lane's next nonce is raised to the chain's if the key was used elsewhere; nonces
//!   the lane assigned that no live request holds are filled with a no-op, so a gap never jams the lane.
//! - **Nonce errors are classified**, never blindly retried: "nonce too low" on broadcast means the nonce is used;
//!   the follower then finds our receipt or, when another transaction took the nonce, re-queues the request (it
//!   did not execute).

use crate::error::ApiError;
use crate::keys::{self, KeyStore};
use crate::requests;
use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::BlockNumberOrTag;
use alloy::eips::eip2718::Encodable2718;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, B256, Bytes, TxKind, U256, aliases::U48};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::signers::SignerSync;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::{Eip712Domain, SolCall, SolStruct, eip712_domain};
use axum::http::StatusCode;
use mercato_evm_bindings::{ERC2771Forwarder, ForwardRequest, MercatoForwarder};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// Engine settings.
#[derive(Clone)]
pub struct EvmConfig {
    /// Chain id (checked against the node at start).
    pub chain_id: u64,
    /// The ERC-2771 forwarder.
    pub forwarder: Address,
    /// Sender keys, one lane each (they pay the gas).
    pub senders: Vec<PrivateKeySigner>,
    /// Blocks a receipt must be deep before a request is final (1 = mined).
    pub confirmations: u64,
    /// Blocks without a receipt before the fees are bumped.
    pub bump_after_blocks: u64,
    /// The highest max fee per gas the relayer pays, wei.
    pub max_fee_cap: u128,
    /// Idle poll interval.
    pub poll: Duration,
    /// Requests claimed per lane per round.
    pub batch: i64,
}

/// What a queued EVM request sends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvmPayload {
    /// A custodial user's call: the engine signs the forward request with the user's key when it sends.
    Custodial {
        /// The user.
        user_id: i64,
        /// Their address.
        from: Address,
        /// Target contract.
        to: Address,
        /// Call data.
        data: Bytes,
        /// Gas for the inner call.
        gas: u64,
    },
    /// A forward request a wallet signed.
    Signed {
        /// Signer.
        from: Address,
        /// Target contract.
        to: Address,
        /// Gas for the inner call.
        gas: u64,
        /// Expiry (unix seconds).
        deadline: u64,
        /// Call data.
        data: Bytes,
        /// EIP-712 signature.
        signature: Bytes,
    },
}

/// The engine.
pub struct EvmEngine {
    pool: PgPool,
    keys: Arc<dyn KeyStore>,
    provider: DynProvider,
    config: EvmConfig,
    domain: Eip712Domain,
    /// Per lane, the block its follower last looked at: nothing on chain changes without a new block, so a lane
    /// waiting for one costs one `eth_blockNumber` per round.
    followed: Vec<std::sync::atomic::AtomicU64>,
}

/// One signed transaction of a request, newest first when listed.
#[derive(sqlx::FromRow)]
struct Attempt {
    tx_hash: Vec<u8>,
    raw: Vec<u8>,
    max_fee: String,
    priority_fee: String,
    sent_block: i64,
}

/// Logs a refused broadcast by what it means; none is retried as is (the follower decides).
fn classify_broadcast_error(error: &str) {
    let message = error.to_lowercase();
    if message.contains("already known")
        || message.contains("known transaction")
        || message.contains("already imported")
    {
        return;
    }
    if message.contains("nonce too low") {
        tracing::debug!("broadcast: nonce already used; the follower resolves it");
    } else if message.contains("underpriced") {
        tracing::debug!("broadcast: replacement underpriced; the next bump raises the fees again");
    } else {
        tracing::warn!(%error, "broadcast refused");
    }
}

/// How long a custodial forward request stays valid after the latest block's time (the forwarder's deadline).
const CUSTODIAL_VALIDITY_SECS: u64 = 3_600;

/// Unix seconds now. A custodial request's deadline counts from the later of this and the latest block's time: a
/// chain may run ahead of the wall clock (time travel), and one that mines only on demand may have a latest block
/// hours old, while the block that includes the request gets the current time.
fn wall_clock() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// What custodial requests of one round are signed with.
#[derive(Default)]
struct CustodialSigners {
    /// Keys by user.
    keys: std::collections::HashMap<i64, keys::CustodialKeys>,
    /// Forwarder nonces by address.
    nonces: std::collections::HashMap<Address, U256>,
    /// The latest block's timestamp: custodial requests are dated by the chain's clock, which the forwarder checks
    /// their deadline against (a chain whose clock runs ahead of the wall clock would refuse a wall-clock deadline).
    chain_time: u64,
}

/// An attempt with its request.
#[derive(sqlx::FromRow)]
struct LaneAttempt {
    request_id: i64,
    #[sqlx(flatten)]
    attempt: Attempt,
}

/// A signed transaction about to be stored (before it is broadcast).
struct NewAttempt<'a> {
    hash: B256,
    request_id: Option<i64>,
    lane: i32,
    nonce: i64,
    max_fee: u128,
    priority_fee: u128,
    raw: &'a [u8],
    sent_block: u64,
}

impl NewAttempt<'_> {
    async fn insert<'e>(&self, executor: impl sqlx::PgExecutor<'e>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO evm_attempts (tx_hash, request_id, lane, nonce, max_fee, priority_fee, raw, sent_block)
             VALUES ($1, $2, $3, $4, $5::NUMERIC, $6::NUMERIC, $7, $8)",
        )
        .bind(self.hash.as_slice())
        .bind(self.request_id)
        .bind(self.lane)
        .bind(self.nonce)
        .bind(self.max_fee.to_string())
        .bind(self.priority_fee.to_string())
        .bind(self.raw)
        .bind(self.sent_block as i64)
        .execute(executor)
        .await?;
        Ok(())
    }
}

/// How often a lane reconciles its nonce with the chain after start-up.
const RECONCILE_EVERY: Duration = Duration::from_secs(30);

/// Gas the forwarder needs beyond the inner call (signature check, nonce, the call itself).
const FORWARDER_OVERHEAD: u64 = 60_000;

impl EvmEngine {
    /// Connects to `rpc_url`, checks the chain id, and registers the lanes.
    pub async fn start(
        pool: PgPool,
        keys: Arc<dyn KeyStore>,
        rpc_url: &str,
        config: EvmConfig,
    ) -> Result<Arc<Self>, String> {
        let url = rpc_url.parse().map_err(|e| format!("EVM RPC URL {rpc_url:?}: {e}"))?;
        let provider = ProviderBuilder::new().disable_recommended_fillers().connect_http(url).erased();
        let chain_id = provider.get_chain_id().await.map_err(|e| format!("EVM RPC {rpc_url}: {e}"))?;
        if chain_id != config.chain_id {
            return Err(format!("EVM RPC {rpc_url} serves chain {chain_id}, the manifest says {}", config.chain_id));
        }
        if config.senders.is_empty() {
            return Err("no EVM sender keys".into());
        }
        for (lane, sender) in config.senders.iter().enumerate() {
            let address = sender.address();
            let nonce = provider.get_transaction_count(address).latest().await.map_err(|e| e.to_string())?;
            let row: (Vec<u8>,) = sqlx::query_as(
                "INSERT INTO evm_senders (lane, address, next_nonce) VALUES ($1, $2, $3)
                 ON CONFLICT (lane) DO UPDATE SET lane = excluded.lane RETURNING address",
            )
            .bind(lane as i32)
            .bind(address.as_slice())
            .bind(nonce as i64)
            .fetch_one(&pool)
            .await
            .map_err(|e| e.to_string())?;
            if row.0 != address.as_slice() {
                return Err(format!("lane {lane} belongs to another sender key: keep the sender keys in their order"));
            }
        }
        let domain = eip712_domain! {
            name: "MercatoForwarder", version: "1", chain_id: config.chain_id, verifying_contract: config.forwarder,
        };
        let followed = config.senders.iter().map(|_| std::sync::atomic::AtomicU64::new(u64::MAX)).collect();
        Ok(Arc::new(Self { pool, keys, provider, config, domain, followed }))
    }

    /// The provider (for simulation and reads).
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The lane a principal's requests use (stable, so one principal's requests stay in order).
    pub fn lane_for(&self, principal: &str) -> i32 {
        let hash = principal.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
        (hash % self.config.senders.len() as u64) as i32
    }

    /// Simulates the inner call exactly as the forwarder makes it (from the forwarder, the signer's address appended
    /// to the data): with `gas` given, one `eth_call` with that gas; else `eth_estimateGas`. Returns the gas; a call
    /// that would revert is refused with its revert data.
    pub async fn simulate(&self, from: Address, to: Address, data: &Bytes, gas: Option<u64>) -> Result<u64, ApiError> {
        let mut input = data.to_vec();
        input.extend_from_slice(from.as_slice());
        let call = TransactionRequest::default().with_from(self.config.forwarder).with_to(to).with_input(input);
        let refused = |e: alloy::transports::TransportError| ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            reason: "simulation_failed",
            revert_data: e.as_error_resp().and_then(|r| r.as_revert_data()).map(|data| data.to_string()),
            message: format!("the call would fail: {e}"),
            retry_after: None,
        };
        match gas {
            Some(gas) => self.provider.call(call.with_gas_limit(gas)).await.map(|_| gas).map_err(refused),
            None => self.provider.estimate_gas(call).await.map_err(refused),
        }
    }

    /// Gas limit of the outer transaction for an inner call of `gas` (the forwarder passes on 63/64 at most).
    pub fn gas_limit(inner_gas: u64) -> u64 {
        inner_gas * 64 / 63 + FORWARDER_OVERHEAD
    }

    /// Checks a wallet-signed request: the forwarder's own `verify` (signature, nonce, deadline).
    pub async fn verify_signed(&self, request: &ERC2771Forwarder::ForwardRequestData) -> Result<(), ApiError> {
        let forwarder = MercatoForwarder::new(self.config.forwarder, &self.provider);
        let valid = forwarder.verify(request.clone()).call().await.map_err(ApiError::internal)?;
        if valid {
            Ok(())
        } else {
            Err(ApiError::bad_request(
                "invalid_forward_request",
                "the forwarder rejects this request: wrong signature, used nonce or past deadline",
            ))
        }
    }

    /// Runs every lane until `shutdown` turns true.
    pub async fn run(self: Arc<Self>, shutdown: tokio::sync::watch::Receiver<bool>) {
        let mut tasks = Vec::new();
        for lane in 0..self.config.senders.len() as i32 {
            let engine = self.clone();
            let mut shutdown = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                let mut reconciled: Option<std::time::Instant> = None;
                while !*shutdown.borrow() {
                    // At start and then periodically: align with the chain's nonce, fill gaps.
                    if reconciled.is_none_or(|at| at.elapsed() >= RECONCILE_EVERY) {
                        match engine.reconcile(lane).await {
                            Ok(()) => reconciled = Some(std::time::Instant::now()),
                            Err(e) => tracing::error!(lane, error = %e, "reconciling the lane failed"),
                        }
                    }
                    let busy = match engine.tick(lane).await {
                        Ok(busy) => busy,
                        Err(e) => {
                            tracing::warn!(lane, error = %e, "lane round failed; retrying");
                            false
                        }
                    };
                    if !busy {
                        tokio::select! {
                            _ = tokio::time::sleep(engine.config.poll) => {}
                            _ = shutdown.changed() => {}
                        }
                    }
                }
            }));
        }
        for task in tasks {
            let _ = task.await;
        }
    }

    fn sender(&self, lane: i32) -> &PrivateKeySigner {
        &self.config.senders[lane as usize]
    }

    /// Start-up: align the lane's nonce with the chain, rebroadcast what was signed but maybe never sent, and fill
    /// nonce gaps with no-ops.
    async fn reconcile(&self, lane: i32) -> Result<(), String> {
        let sender = self.sender(lane).address();
        let chain_nonce = self.provider.get_transaction_count(sender).latest().await.map_err(|e| e.to_string())?;
        let (next,): (i64,) = sqlx::query_as(
            "UPDATE evm_senders SET next_nonce = greatest(next_nonce, $2) WHERE lane = $1 RETURNING next_nonce",
        )
        .bind(lane)
        .bind(chain_nonce as i64)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        let held: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT r.nonce, a.raw FROM requests r
             JOIN LATERAL (SELECT raw FROM evm_attempts WHERE request_id = r.id ORDER BY created_at DESC LIMIT 1) a ON true
             WHERE r.lane = $1 AND r.status = 'submitted' AND r.nonce >= $2",
        )
        .bind(lane)
        .bind(chain_nonce as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        for (_, raw) in &held {
            self.broadcast(raw).await;
        }
        let block = self.provider.get_block_number().await.map_err(|e| e.to_string())?;
        for nonce in chain_nonce as i64..next {
            if held.iter().any(|(n, _)| *n == nonce) {
                continue;
            }
            tracing::warn!(lane, nonce, "filling a nonce gap with a no-op");
            let (max_fee, priority) = self.fees().await?;
            let (hash, raw) = self.sign(lane, nonce as u64, sender, Bytes::new(), 21_000, max_fee, priority)?;
            NewAttempt {
                hash,
                request_id: None,
                lane,
                nonce,
                max_fee,
                priority_fee: priority,
                raw: &raw,
                sent_block: block,
            }
            .insert(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
            self.broadcast(&raw).await;
        }
        Ok(())
    }

    /// One round: claim and send new requests, then follow the submitted ones. True when there was work.
    async fn tick(&self, lane: i32) -> Result<bool, String> {
        let sent = self.claim_and_send(lane).await?;
        let followed = self.follow(lane).await?;
        Ok(sent > 0 || followed)
    }

    /// EIP-1559 fees for the next block from `eth_feeHistory`: 2 × base fee + the median tip (at least 1 gwei),
    /// capped.
    async fn fees(&self) -> Result<(u128, u128), String> {
        let history =
            self.provider.get_fee_history(5, BlockNumberOrTag::Latest, &[50.0]).await.map_err(|e| e.to_string())?;
        let base = history.base_fee_per_gas.last().copied().unwrap_or(1_000_000_000);
        let mut tips: Vec<u128> =
            history.reward.unwrap_or_default().iter().filter_map(|r| r.first().copied()).collect();
        tips.sort_unstable();
        let tip = tips.get(tips.len() / 2).copied().unwrap_or(0).max(1_000_000_000);
        let max_fee = (base * 2 + tip).min(self.config.max_fee_cap);
        Ok((max_fee, tip.min(max_fee)))
    }

    #[allow(clippy::too_many_arguments)]
    fn sign(
        &self,
        lane: i32,
        nonce: u64,
        to: Address,
        input: Bytes,
        gas_limit: u64,
        max_fee: u128,
        priority: u128,
    ) -> Result<(B256, Vec<u8>), String> {
        let tx = TxEip1559 {
            chain_id: self.config.chain_id,
            nonce,
            gas_limit,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: priority,
            to: TxKind::Call(to),
            value: U256::ZERO,
            access_list: Default::default(),
            input,
        };
        let signature = self.sender(lane).sign_hash_sync(&tx.signature_hash()).map_err(|e| e.to_string())?;
        let envelope = TxEnvelope::Eip1559(tx.into_signed(signature));
        Ok((*envelope.tx_hash(), envelope.encoded_2718()))
    }

    /// Broadcasts signed bytes; what the node says is classified and logged, never retried here (the follower
    /// decides from receipts and nonces).
    async fn broadcast(&self, raw: &[u8]) {
        if let Err(e) = self.provider.send_raw_transaction(raw).await {
            classify_broadcast_error(&e.to_string());
        }
    }

    /// The `forwarder.execute` call data of a request; a custodial one is signed here with its user's key for the
    /// user's forwarder nonce (both prepared for the whole round by [`Self::custodial_signers`]).
    fn execute_calldata(&self, payload: &EvmPayload, signers: &CustodialSigners) -> Result<Bytes, String> {
        let request = match payload {
            EvmPayload::Custodial { user_id, from, to, data, gas } => {
                let keys = signers.keys.get(user_id).ok_or("the user's keys are missing")?;
                let nonce = *signers.nonces.get(from).ok_or("the forwarder nonce could not be read")?;
                let request = ForwardRequest {
                    from: *from,
                    to: *to,
                    value: U256::ZERO,
                    gas: U256::from(*gas),
                    nonce,
                    deadline: U48::from(signers.chain_time.max(wall_clock()) + CUSTODIAL_VALIDITY_SECS),
                    data: data.clone(),
                };
                let signature =
                    keys.evm.sign_hash_sync(&request.eip712_signing_hash(&self.domain)).map_err(|e| e.to_string())?;
                request.with_signature(signature.as_bytes().to_vec())
            }
            EvmPayload::Signed { from, to, gas, deadline, data, signature } => ERC2771Forwarder::ForwardRequestData {
                from: *from,
                to: *to,
                value: U256::ZERO,
                gas: U256::from(*gas),
                deadline: U48::from(*deadline),
                data: data.clone(),
                signature: signature.clone(),
            },
        };
        Ok(MercatoForwarder::executeCall { request }.abi_encode().into())
    }

    /// The keys (one database query) and forwarder nonces of a round's custodial requests.
    async fn custodial_signers(&self, payloads: &[&EvmPayload]) -> Result<CustodialSigners, String> {
        let mut users = Vec::new();
        let mut addresses = Vec::new();
        for payload in payloads {
            if let EvmPayload::Custodial { user_id, from, .. } = payload {
                users.push(*user_id);
                addresses.push(*from);
            }
        }
        if users.is_empty() {
            return Ok(CustodialSigners::default());
        }
        let keys = keys::load_many(&self.pool, self.keys.as_ref(), &users).await.map_err(|e| e.to_string())?;
        // One eth_call each: anvil answers JSON-RPC batches at a far higher CPU cost than single calls (measured with
        // the throughput benchmark: 442 → 574 accepted/s without the batch).
        let mut nonces = std::collections::HashMap::new();
        let forwarder = MercatoForwarder::new(self.config.forwarder, &self.provider);
        for from in addresses {
            nonces.insert(from, forwarder.nonces(from).call().await.map_err(|e| e.to_string())?);
        }
        let latest = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the node has no latest block")?;
        Ok(CustodialSigners { keys, nonces, chain_time: latest.header.timestamp })
    }

    async fn claim_and_send(&self, lane: i32) -> Result<usize, String> {
        let err = |e: sqlx::Error| e.to_string();
        let mut tx = self.pool.begin().await.map_err(err)?;
        let rows: Vec<(i64, String, sqlx::types::Json<EvmPayload>, i64)> = sqlx::query_as(
            "SELECT id, principal, payload, gas_limit FROM requests r
             WHERE lane = $1 AND status = 'queued' AND chain = 'evm'
               AND NOT EXISTS (SELECT 1 FROM requests s
                               WHERE s.principal = r.principal AND s.status = 'submitted' AND s.mined_block IS NULL)
             ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .bind(lane)
        .bind(self.config.batch)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        if rows.is_empty() {
            return Ok(0); // an idle lane costs one query, no RPC
        }
        let block = self.provider.get_block_number().await.map_err(|e| e.to_string())?;
        let (max_fee, priority) = self.fees().await?;
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<_> = rows.into_iter().filter(|row| seen.insert(row.1.clone())).collect(); // one per principal
        let signers = self.custodial_signers(&rows.iter().map(|row| &row.2.0).collect::<Vec<_>>()).await?;
        // Call data first (a request that cannot be prepared fails alone), then the lane's nonces in one update,
        // the signatures, and set-based writes: attempts, request rows and their events, one statement each.
        let mut ready = Vec::with_capacity(rows.len());
        for (id, _, payload, gas_limit) in rows {
            match self.execute_calldata(&payload.0, &signers) {
                Ok(input) => ready.push((id, input, gas_limit)),
                Err(e) => {
                    sqlx::query("UPDATE requests SET status = 'failed', error = $2, updated_at = now() WHERE id = $1")
                        .bind(id)
                        .bind(format!("could not prepare the transaction: {e}"))
                        .execute(&mut *tx)
                        .await
                        .map_err(err)?;
                    requests::record(&mut tx, id, "failed", Some("could not prepare the transaction"))
                        .await
                        .map_err(err)?;
                }
            }
        }
        if ready.is_empty() {
            tx.commit().await.map_err(err)?;
            return Ok(0);
        }
        let count = ready.len() as i64;
        let (first_nonce,): (i64,) = sqlx::query_as(
            "UPDATE evm_senders SET next_nonce = next_nonce + $2 WHERE lane = $1 RETURNING next_nonce - $2",
        )
        .bind(lane)
        .bind(count)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let (mut ids, mut nonces, mut hashes, mut raws, mut details) = (vec![], vec![], vec![], vec![], vec![]);
        for (i, (id, input, gas_limit)) in ready.into_iter().enumerate() {
            let nonce = first_nonce + i as i64;
            let forwarder = self.config.forwarder;
            let (hash, raw) = self.sign(lane, nonce as u64, forwarder, input, gas_limit as u64, max_fee, priority)?;
            ids.push(id);
            nonces.push(nonce);
            hashes.push(hash.to_vec());
            raws.push(raw);
            details.push(format!("{hash}"));
        }
        sqlx::query(
            "INSERT INTO evm_attempts (tx_hash, request_id, lane, nonce, max_fee, priority_fee, raw, sent_block)
             SELECT hash, id, $4, nonce, $5::NUMERIC, $6::NUMERIC, raw, $7
             FROM UNNEST($1::BYTEA[], $2::BIGINT[], $3::BIGINT[], $8::BYTEA[]) AS u(hash, id, nonce, raw)",
        )
        .bind(&hashes)
        .bind(&ids)
        .bind(&nonces)
        .bind(lane)
        .bind(max_fee.to_string())
        .bind(priority.to_string())
        .bind(block as i64)
        .bind(&raws)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        sqlx::query(
            "UPDATE requests r SET status = 'submitted', sender = $4, nonce = u.nonce, tx_hash = u.hash,
                    updated_at = now()
             FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BYTEA[]) AS u(id, nonce, hash) WHERE r.id = u.id",
        )
        .bind(&ids)
        .bind(&nonces)
        .bind(&hashes)
        .bind(self.sender(lane).address().as_slice())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        requests::record_many(&mut tx, &ids, "submitted", &details).await.map_err(err)?;
        tx.commit().await.map_err(err)?;
        // One by one: JSON-RPC batches of sendRawTransaction cost anvil far more CPU (measured: 227 vs 442
        // accepted/s in the throughput benchmark).
        for raw in &raws {
            self.broadcast(raw).await;
        }
        Ok(raws.len())
    }

    async fn follow(&self, lane: i32) -> Result<bool, String> {
        use std::sync::atomic::Ordering;
        let latest = self.provider.get_block_number().await.map_err(|e| e.to_string())?;
        let followed = &self.followed[lane as usize];
        if followed.load(Ordering::Relaxed) == latest {
            return Ok(false); // no new block since the last look
        }
        let changed = self.follow_at(lane, latest).await?;
        followed.store(latest, Ordering::Relaxed);
        Ok(changed)
    }

    /// [`Self::follow`] at block `latest`.
    async fn follow_at(&self, lane: i32, latest: u64) -> Result<bool, String> {
        let err = |e: sqlx::Error| e.to_string();
        let submitted: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, nonce, mined_block FROM requests WHERE lane = $1 AND status = 'submitted' ORDER BY nonce",
        )
        .bind(lane)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        if submitted.is_empty() {
            return Ok(false);
        }
        let chain_nonce = self
            .provider
            .get_transaction_count(self.sender(lane).address())
            .latest()
            .await
            .map_err(|e| e.to_string())?;
        // The lane's nonce as of a few blocks back: a nonce used that long ago without a receipt of ours was taken
        // by another transaction. (At the tip, a node may count a nonce before it serves the receipt; re-queueing on
        // that would run the request twice.)
        let settled_nonce = match latest.checked_sub(self.config.confirmations.max(2)) {
            Some(block) => self
                .provider
                .get_transaction_count(self.sender(lane).address())
                .block_id(block.into())
                .await
                .map_err(|e| e.to_string())?,
            None => 0,
        };
        // Every attempt of the lane's submitted requests, newest first, in one query.
        let rows: Vec<LaneAttempt> = sqlx::query_as(
            "SELECT a.request_id, a.tx_hash, a.raw, a.max_fee::TEXT AS max_fee, a.priority_fee::TEXT AS priority_fee,
                    a.sent_block
             FROM evm_attempts a JOIN requests r ON r.id = a.request_id
             WHERE r.lane = $1 AND r.status = 'submitted' ORDER BY a.created_at DESC",
        )
        .bind(lane)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut attempts_of: std::collections::HashMap<i64, Vec<Attempt>> = std::collections::HashMap::new();
        for LaneAttempt { request_id, attempt } in rows {
            attempts_of.entry(request_id).or_default().push(attempt);
        }
        let mut changed = false;
        // Requests whose nonce the chain has used and that are due for a look: their attempts' receipts are asked
        // for together, in one JSON-RPC batch.
        let mut due = Vec::new();
        for (id, nonce, mined_block) in submitted {
            let attempts = attempts_of.remove(&id).unwrap_or_default();
            // Never seen mined and its nonce unused at the tip: nothing to ask for; it may be due for a fee bump.
            // (Seen mined but its nonce unused now: a reorg, or a node that serves a receipt before it counts the
            // nonce; the receipt below decides.)
            if (nonce as u64) >= chain_nonce && mined_block.is_none() {
                if let Some(last) = attempts.first() {
                    changed |= self.bump(lane, id, nonce, last, latest).await?;
                }
                continue;
            }
            // Mined and not yet at the confirmation depth: nothing to ask yet.
            let deep = |block: i64| (latest as i64) - block + 1 >= self.config.confirmations as i64;
            if (nonce as u64) < chain_nonce && mined_block.is_some_and(|block| !deep(block)) {
                continue;
            }
            due.push((id, nonce, mined_block, attempts));
        }
        let hashes: Vec<B256> =
            due.iter().flat_map(|(.., attempts)| attempts.iter().map(|a| B256::from_slice(&a.tx_hash))).collect();
        let mut receipts = self.receipts(&hashes).await?.into_iter();
        let mut found = Vec::new();
        for (id, nonce, mined_block, attempts) in due {
            // One answer per attempt, newest first: the newest with a receipt counts.
            let answers: Vec<_> = attempts.iter().map(|_| receipts.next().flatten()).collect();
            let receipt = answers.into_iter().flatten().next();
            changed |= match receipt {
                Some(receipt) => {
                    found.push((id, mined_block, receipt));
                    false
                }
                None if mined_block.is_some() => self.reorged(id, attempts.first()).await?,
                // The nonce was used blocks ago, by none of our attempts: the request did not execute.
                None if (nonce as u64) < settled_nonce => self.requeue(id).await?,
                // Used at the tip but no receipt yet: wait for the node to catch up (see `settled_nonce`).
                None => false,
            };
        }
        changed |= self.mined(&found, latest).await?;
        Ok(changed)
    }

    /// The receipts of `hashes` (`None` for a transaction not mined), asked for in JSON-RPC batches.
    async fn receipts(&self, hashes: &[B256]) -> Result<Vec<Option<TransactionReceipt>>, String> {
        let mut all = Vec::with_capacity(hashes.len());
        for chunk in hashes.chunks(256) {
            let mut batch = alloy::rpc::client::BatchRequest::new(self.provider.client());
            let waiters = chunk
                .iter()
                .map(|hash| batch.add_call::<_, Option<TransactionReceipt>>("eth_getTransactionReceipt", &(hash,)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            batch.send().await.map_err(|e| e.to_string())?;
            for waiter in waiters {
                all.push(waiter.await.map_err(|e| e.to_string())?);
            }
        }
        Ok(all)
    }

    /// Receipts of ours: record where each was mined; at the confirmation depth a request is final (`confirmed`,
    /// or `failed` when it reverted) and its unused gas goes back to the budgets. One transaction, set-based.
    async fn mined(&self, found: &[(i64, Option<i64>, TransactionReceipt)], latest: u64) -> Result<bool, String> {
        let err = |e: sqlx::Error| e.to_string();
        let (mut seen_ids, mut seen_blocks, mut seen_hashes) = (vec![], vec![], vec![]);
        let mut finals: Vec<(i64, &'static str, Option<&'static str>, i64, String)> = vec![];
        for (id, mined_block, receipt) in found {
            let block = receipt.block_number.unwrap_or(latest) as i64;
            if *mined_block != Some(block) {
                seen_ids.push(*id);
                seen_blocks.push(block);
                seen_hashes.push(receipt.transaction_hash.to_vec());
            }
            if (latest as i64) - block + 1 >= self.config.confirmations as i64 {
                let gas = receipt.gas_used as i64;
                let (status, error) = if receipt.status() {
                    ("confirmed", None)
                } else {
                    ("failed", Some("the transaction reverted on chain"))
                };
                let detail = error.map_or_else(|| format!("block {block}, gas used {gas}"), str::to_owned);
                finals.push((*id, status, error, gas, detail));
            }
        }
        if seen_ids.is_empty() && finals.is_empty() {
            return Ok(false);
        }
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query(
            "UPDATE requests r SET mined_block = u.block, tx_hash = u.hash, updated_at = now()
             FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BYTEA[]) AS u(id, block, hash) WHERE r.id = u.id",
        )
        .bind(&seen_ids)
        .bind(&seen_blocks)
        .bind(&seen_hashes)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        let mut settled = Vec::new();
        for outcome in ["confirmed", "failed"] {
            let group: Vec<_> = finals.iter().filter(|f| f.1 == outcome).collect();
            if group.is_empty() {
                continue;
            }
            let ids: Vec<i64> = group.iter().map(|f| f.0).collect();
            let gas: Vec<i64> = group.iter().map(|f| f.3).collect();
            let details: Vec<String> = group.iter().map(|f| f.4.clone()).collect();
            sqlx::query(
                "UPDATE requests r SET status = $3, error = $4, gas_used = u.gas, updated_at = now()
                 FROM UNNEST($1::BIGINT[], $2::BIGINT[]) AS u(id, gas) WHERE r.id = u.id",
            )
            .bind(&ids)
            .bind(&gas)
            .bind(outcome)
            .bind(group[0].2)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            requests::record_many(&mut tx, &ids, outcome, &details).await.map_err(err)?;
            settled.push((ids, gas));
        }
        // The budget rows last, all in one ordered pass: acceptances lock them too, so they are held only until the
        // commit.
        let (ids, gas): (Vec<i64>, Vec<i64>) = settled.into_iter().flat_map(|(i, g)| i.into_iter().zip(g)).unzip();
        if !ids.is_empty() {
            requests::settle_many(&mut tx, "evm", &ids, &gas).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        Ok(true)
    }

    /// Mined, then gone: reorged out. The same signed bytes go out again.
    async fn reorged(&self, id: i64, last: Option<&Attempt>) -> Result<bool, String> {
        let err = |e: sqlx::Error| e.to_string();
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query("UPDATE requests SET mined_block = NULL, updated_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        requests::record(&mut tx, id, "submitted", Some("reorged out; rebroadcasting")).await.map_err(err)?;
        tx.commit().await.map_err(err)?;
        if let Some(attempt) = last {
            self.broadcast(&attempt.raw).await;
        }
        Ok(true)
    }

    /// Another transaction took the request's nonce, so it did not run: queue it again (its attempts are kept,
    /// detached).
    async fn requeue(&self, id: i64) -> Result<bool, String> {
        let err = |e: sqlx::Error| e.to_string();
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query(
            "UPDATE requests SET status = 'queued', nonce = NULL, sender = NULL, tx_hash = NULL, updated_at = now()
             WHERE id = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        sqlx::query("UPDATE evm_attempts SET request_id = NULL WHERE request_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        requests::record(&mut tx, id, "queued", Some("nonce taken by another transaction; re-queued"))
            .await
            .map_err(err)?;
        tx.commit().await.map_err(err)?;
        Ok(true)
    }

    /// Unmined for `bump_after_blocks`: the same nonce and call again with both fees raised ≥ 12.5% (or to the
    /// current estimate if higher), up to the cap; at the cap the last attempt is only rebroadcast.
    async fn bump(&self, lane: i32, id: i64, nonce: i64, last: &Attempt, latest: u64) -> Result<bool, String> {
        if (latest as i64) - last.sent_block < self.config.bump_after_blocks as i64 {
            return Ok(false);
        }
        let (old_max, old_tip): (u128, u128) =
            (last.max_fee.parse().unwrap_or(0), last.priority_fee.parse().unwrap_or(0));
        if old_max >= self.config.max_fee_cap {
            self.broadcast(&last.raw).await;
            return Ok(false);
        }
        let (est_max, est_tip) = self.fees().await?;
        let raise = |old: u128| old + old / 8 + 1;
        let new_max = raise(old_max).max(est_max).min(self.config.max_fee_cap);
        let new_tip = raise(old_tip).max(est_tip).min(new_max);
        let envelope = <TxEnvelope as alloy::eips::eip2718::Decodable2718>::decode_2718(&mut last.raw.as_slice())
            .map_err(|e| e.to_string())?;
        let TxEnvelope::Eip1559(signed) = envelope else { return Ok(false) };
        let old = signed.tx();
        let forwarder = self.config.forwarder;
        let (hash, raw) =
            self.sign(lane, nonce as u64, forwarder, old.input.clone(), old.gas_limit, new_max, new_tip)?;
        let attempt = NewAttempt {
            hash,
            request_id: Some(id),
            lane,
            nonce,
            max_fee: new_max,
            priority_fee: new_tip,
            raw: &raw,
            sent_block: latest,
        };
        attempt.insert(&self.pool).await.map_err(|e| e.to_string())?;
        tracing::info!(request = id, nonce, new_max, new_tip, "fees bumped");
        self.broadcast(&raw).await;
        Ok(true)
    }
}
