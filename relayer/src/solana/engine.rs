//! The Solana submission engine: the relayer's fee payer co-signs sponsored transactions from the durable queue.
//!
//! - **Prepare** (acceptance): the user's instructions are checked against the [policy](super::policy), then
//!   simulated behind a compute budget and a trial rent top-up; the simulation's post-balance of the user says how
//!   much rent they lack, so the real top-up is exactly that (0 when they can pay), and the compute-unit limit is
//!   what the simulation consumed plus a margin. The fee comes from the node (`getFeeForMessage`) and, with the
//!   top-up, is reserved in the lamport budgets.
//! - **Claim**: queued rows are taken with `FOR UPDATE SKIP LOCKED`, one in flight per principal; in the same
//!   database transaction each is signed (a custodial user's transaction gets a fresh blockhash and the user's key;
//!   a wallet's transaction only gains the fee payer's signature) and the signed bytes stored; only after the commit
//!   is it sent, with preflight. A crash in between resends the stored bytes.
//! - **Follow**: signature statuses of every submitted request: an execution error → `failed` (the fee is spent,
//!   the top-up rolled back with the transaction); confirmed → `confirmed`; unknown → resent every
//!   `resend_every` until its blockhash expires. Then, and only once the signature is still unknown after the
//!   expiry (so it can never land), a custodial request is re-signed with a new blockhash; a wallet's request fails
//!   with `blockhash_expired` (only the wallet can sign again).
//! - **Priority fee**: the 75th percentile of `getRecentPrioritizationFees` over the transaction's writable
//!   accounts, at least a floor and at most the policy's cap.

use super::SolanaInstruction;
use super::policy::{self, Checked, FeePayerLimits, MAX_COMPUTE_UNITS, SolanaAllowlist};
use crate::error::ApiError;
use crate::keys::{self, KeyStore};
use crate::requests;
use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mercato_solana_client::anchor_lang::AccountDeserialize;
use mercato_solana_client::{Instruction, Pubkey};
use serde::{Deserialize, Serialize};
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::CommitmentConfig;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::{
    RpcSendTransactionConfig, RpcSimulateTransactionAccountsConfig, RpcSimulateTransactionConfig,
};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::{Message, Transaction, TransactionError};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// Engine settings.
pub struct SolanaConfig {
    /// Pays the fees (and rent top-ups).
    pub fee_payer: Keypair,
    /// Caps on what one transaction may ask of the fee payer.
    pub limits: FeePayerLimits,
    /// The lowest compute-unit price the relayer offers (micro-lamports).
    pub priority_fee_floor: u64,
    /// Lamports per principal and relayer-wide per day.
    pub budgets: requests::Budgets,
    /// Idle poll interval.
    pub poll: Duration,
    /// How often an unconfirmed transaction is sent again.
    pub resend_every: Duration,
    /// Requests claimed per round.
    pub batch: i64,
}

/// What a queued Solana request sends, and what it reserved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SolanaPayload {
    /// The fee, lamports (from the node, for this message).
    pub fee: u64,
    /// The rent top-up, lamports.
    pub top_up: u64,
    /// The transaction.
    #[serde(flatten)]
    pub transaction: SolanaTransaction,
}

/// The two kinds of sponsored transaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SolanaTransaction {
    /// A custodial user's instructions: built and signed (with the user's key) when sent, re-signed with a new
    /// blockhash if one expires.
    Custodial {
        /// The user.
        user_id: i64,
        /// Their instructions (after the compute budget and the top-up the engine adds).
        instructions: Vec<SolanaInstruction>,
        /// Compute-unit limit.
        compute_units: u32,
        /// Compute-unit price, micro-lamports.
        priority_fee: u64,
    },
    /// A transaction a wallet signed (base64, bincode); the fee payer's signature is added when sent.
    Signed {
        /// The transaction.
        transaction: String,
    },
}

/// A transaction ready for its signers: the message and what it costs the fee payer.
pub struct Prepared {
    /// The message (fee payer first).
    pub message: Message,
    /// Rent top-up, lamports.
    pub top_up: u64,
    /// Fee, lamports.
    pub fee: u64,
    /// Compute-unit limit.
    pub compute_units: u32,
    /// Compute-unit price, micro-lamports.
    pub priority_fee: u64,
    /// The blockhash's last valid block height.
    pub last_valid_block_height: u64,
}

/// A wallet-signed transaction that passed the checks.
pub struct CheckedSigned {
    /// The transaction, wallet signatures in place.
    pub transaction: Transaction,
    /// What it asks of the fee payer.
    pub checked: Checked,
    /// Fee, lamports.
    pub fee: u64,
}

/// The engine.
pub struct SolanaEngine {
    pool: PgPool,
    keys: Arc<dyn KeyStore>,
    rpc: RpcClient,
    config: SolanaConfig,
    allowlist: SolanaAllowlist,
}

/// The latest attempt of a submitted request.
#[derive(sqlx::FromRow)]
struct Submitted {
    id: i64,
    payload: sqlx::types::Json<SolanaPayload>,
    signature: Vec<u8>,
    raw: Vec<u8>,
    blockhash: Vec<u8>,
    last_valid_block_height: Option<i64>,
    age_ms: f64,
}

fn refused(reason: &'static str, message: String) -> ApiError {
    ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, reason, message, retry_after: None, revert_data: None }
}

pub(crate) fn unavailable(e: impl std::fmt::Display) -> ApiError {
    tracing::warn!(error = %e, "Solana RPC failed");
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: "solana_unavailable",
        message: "the Solana node did not answer; retry".into(),
        retry_after: Some(2),
        revert_data: None,
    }
}

impl SolanaEngine {
    /// Connects to `rpc_url` and checks that it answers.
    pub async fn start(
        pool: PgPool,
        keys: Arc<dyn KeyStore>,
        rpc_url: &str,
        config: SolanaConfig,
    ) -> Result<Arc<Self>, String> {
        let rpc = RpcClient::new_with_commitment(rpc_url.to_owned(), CommitmentConfig::confirmed());
        let version = rpc.get_version().await.map_err(|e| format!("Solana RPC {rpc_url}: {e}"))?;
        let balance = rpc.get_balance(&config.fee_payer.pubkey()).await.map_err(|e| format!("Solana RPC: {e}"))?;
        tracing::info!(%rpc_url, version = %version.solana_core, fee_payer = %config.fee_payer.pubkey(), balance,
            "Solana sponsorship on");
        Ok(Arc::new(Self { pool, keys, rpc, config, allowlist: SolanaAllowlist::mercato() }))
    }

    /// The instructions of a common action signed by `signer`, built from the chain's current state.
    pub async fn build_action(
        &self,
        signer: Pubkey,
        action: &super::actions::SolanaAction,
    ) -> Result<Vec<Instruction>, ApiError> {
        super::actions::build(&self.rpc, signer, action).await
    }

    /// The fee payer's address.
    pub fn fee_payer(&self) -> Pubkey {
        self.config.fee_payer.pubkey()
    }

    /// The lamport budgets.
    pub fn budgets(&self) -> requests::Budgets {
        self.config.budgets
    }

    fn check(&self, message: &Message) -> Result<Checked, ApiError> {
        policy::check(message, &self.fee_payer(), &self.allowlist, self.config.limits)
    }

    async fn priority_fee(&self, message: &Message) -> u64 {
        let writable: Vec<Pubkey> = (0..message.account_keys.len())
            .filter(|&i| {
                i > 0
                    && message.is_maybe_writable_with_reserved_addresses(i, None::<&std::collections::HashSet<Pubkey>>)
            })
            .map(|i| message.account_keys[i])
            .take(128)
            .collect();
        let mut fees: Vec<u64> = match self.rpc.get_recent_prioritization_fees(&writable).await {
            Ok(fees) => fees.into_iter().map(|f| f.prioritization_fee).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "getRecentPrioritizationFees failed; using the floor");
                Vec::new()
            }
        };
        fees.sort_unstable();
        let p75 = fees.get(fees.len() * 3 / 4).copied().unwrap_or(0);
        p75.max(self.config.priority_fee_floor).min(self.config.limits.max_priority_fee)
    }

    fn message(
        &self,
        instructions: &[Instruction],
        units: u32,
        price: u64,
        top_up: (Pubkey, u64),
        blockhash: Hash,
    ) -> Message {
        let mut all = vec![];
        if top_up.1 > 0 {
            all.push(solana_system_interface::instruction::transfer(&self.fee_payer(), &top_up.0, top_up.1));
        }
        all.extend_from_slice(instructions);
        budgeted(&all, units, price, &self.fee_payer(), blockhash)
    }

    /// Simulates `transaction` (signatures not checked); refuses what would fail. Returns the units consumed and the
    /// lamports `watch` holds afterwards.
    async fn simulate(&self, transaction: &Transaction, watch: Pubkey) -> Result<(u64, u64), ApiError> {
        self.simulation(transaction, watch).await?.map_err(|failure| failure.refusal())
    }

    /// A simulation's outcome: units and `watch`'s lamports afterwards, or why it would fail.
    async fn simulation(
        &self,
        transaction: &Transaction,
        watch: Pubkey,
    ) -> Result<Result<(u64, u64), SimulationFailure>, ApiError> {
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: false,
            commitment: Some(CommitmentConfig::confirmed()),
            accounts: Some(RpcSimulateTransactionAccountsConfig {
                encoding: Some(UiAccountEncoding::Base64),
                addresses: vec![watch.to_string()],
            }),
            ..RpcSimulateTransactionConfig::default()
        };
        let result = self.rpc.simulate_transaction_with_config(transaction, config).await.map_err(unavailable)?.value;
        if let Some(error) = result.err {
            return Ok(Err(SimulationFailure {
                error: TransactionError::from(error),
                logs: result.logs.unwrap_or_default(),
            }));
        }
        let lamports = result.accounts.and_then(|a| a.into_iter().next().flatten()).map_or(0, |a| a.lamports);
        Ok(Ok((result.units_consumed.unwrap_or(u64::from(MAX_COMPUTE_UNITS)), lamports)))
    }

    async fn fee_for(&self, message: &Message) -> Result<u64, ApiError> {
        match self.rpc.get_fee_for_message(message).await {
            Ok(fee) => Ok(fee),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Builds, checks and prices a transaction of `instructions` for `signer` (who must be their only signer):
    /// a compute budget from a simulation, a rent top-up of exactly what `signer` lacks, and the fee.
    pub async fn prepare(&self, signer: Pubkey, instructions: &[Instruction]) -> Result<Prepared, ApiError> {
        only_signer(signer, instructions)?;
        let (blockhash, last_valid_block_height) =
            self.rpc.get_latest_blockhash_with_commitment(CommitmentConfig::confirmed()).await.map_err(unavailable)?;
        let max_top_up = self.config.limits.max_top_up;
        let trial = self.message(instructions, MAX_COMPUTE_UNITS, 0, (signer, max_top_up), blockhash);
        self.check(&trial)?;
        let priority_fee = self.priority_fee(&trial).await;
        let (units, after) = self.simulate(&Transaction::new_unsigned(trial), signer).await?;
        // The user ends with (their lamports + trial top-up − rent): they lack (trial top-up − that), if positive.
        let top_up = max_top_up.saturating_sub(after);
        let compute_units = (units + units / 5 + 1_000).min(u64::from(MAX_COMPUTE_UNITS)) as u32;
        let message = self.message(instructions, compute_units, priority_fee, (signer, top_up), blockhash);
        self.check(&message)?;
        let fee = self.fee_for(&message).await?;
        Ok(Prepared { message, top_up, fee, compute_units, priority_fee, last_valid_block_height })
    }

    /// Builds and prices a transaction of `instructions` that `signer` pays for itself (no sponsorship: no policy,
    /// no budget, no top-up; nothing is stored or signed): a compute budget from a simulation, the priority fee
    /// policy's price, and the fee. A transaction that would fail is refused with the reason, as a sponsored one is;
    /// a signer without the SOL for the fee (and any rent) is told how much it has.
    pub async fn prepare_unsponsored(
        &self,
        signer: Pubkey,
        instructions: &[Instruction],
    ) -> Result<Prepared, ApiError> {
        only_signer(signer, instructions)?;
        self.allowlist.check_instructions(instructions)?;
        let (blockhash, last_valid_block_height) =
            self.rpc.get_latest_blockhash_with_commitment(CommitmentConfig::confirmed()).await.map_err(unavailable)?;
        let trial = budgeted(instructions, MAX_COMPUTE_UNITS, 0, &signer, blockhash);
        let priority_fee = self.priority_fee(&trial).await;
        let lacks_sol = |lamports: u64| {
            refused(
                "insufficient_sol",
                format!(
                    "{signer} holds {lamports} lamports: not enough for the fee and the rent of the accounts this \
                     creates (let Mercato pay the fee instead)"
                ),
            )
        };
        let (units, left) = match self.simulation(&Transaction::new_unsigned(trial), signer).await? {
            Ok(outcome) => outcome,
            Err(failure) if failure.lacks_sol() => {
                return Err(lacks_sol(self.rpc.get_balance(&signer).await.map_err(unavailable)?));
            }
            Err(failure) => return Err(failure.refusal()),
        };
        let compute_units = (units + units / 5 + 1_000).min(u64::from(MAX_COMPUTE_UNITS)) as u32;
        // The trial paid the base fee only; the transaction also pays its priority fee, from what the trial left.
        let priority = (u64::from(compute_units) * priority_fee).div_ceil(1_000_000);
        if left < priority {
            return Err(lacks_sol(self.rpc.get_balance(&signer).await.map_err(unavailable)?));
        }
        let message = budgeted(instructions, compute_units, priority_fee, &signer, blockhash);
        let fee = self.fee_for(&message).await?;
        Ok(Prepared { message, top_up: 0, fee, compute_units, priority_fee, last_valid_block_height })
    }

    /// What the relayer knows of `owner` on chain: its lamports and its auction credits (refunds of outbid bids,
    /// proceeds, royalties: the currency held in its credit account, 0 when it has none).
    pub async fn account_state(&self, owner: Pubkey) -> Result<(u64, u64), ApiError> {
        let lamports = self.rpc.get_balance(&owner).await.map_err(unavailable)?;
        let credit = mercato_solana_client::auction::credit_address(&owner);
        let response =
            self.rpc.get_account_with_commitment(&credit, self.rpc.commitment()).await.map_err(unavailable)?;
        let credits = match response.value {
            Some(account) if account.owner == mercato_solana_client::anchor_spl::token::ID => {
                mercato_solana_client::anchor_spl::token::TokenAccount::try_deserialize(&mut account.data.as_slice())
                    .map(|a| a.amount)
                    .map_err(|e| ApiError::internal(format!("credit account {credit} does not decode: {e}")))?
            }
            _ => 0,
        };
        Ok((lamports, credits))
    }

    /// Decodes a wallet's transaction (base64, legacy, bincode).
    pub fn decode(base64: &str) -> Result<Transaction, ApiError> {
        let malformed = |m: &str| ApiError::bad_request("malformed_transaction", m);
        let bytes = BASE64.decode(base64.trim()).map_err(|_| malformed("the transaction is not base64"))?;
        let transaction: Transaction = bincode::deserialize(&bytes)
            .map_err(|_| malformed("not a legacy transaction (versioned transactions are not sponsored)"))?;
        if bincode::serialized_size(&transaction).ok() != Some(bytes.len() as u64) {
            return Err(malformed("trailing bytes after the transaction"));
        }
        if transaction.message.account_keys.len() < 2 {
            return Err(malformed("a sponsored transaction names the fee payer and a signer"));
        }
        Ok(transaction)
    }

    /// Checks a wallet-signed transaction: the policy, every signature but the fee payer's, and a simulation.
    pub async fn check_signed(&self, transaction: Transaction) -> Result<CheckedSigned, ApiError> {
        let malformed = |m: &str| ApiError::bad_request("malformed_transaction", m);
        let checked = self.check(&transaction.message)?;
        let required = usize::from(transaction.message.header.num_required_signatures);
        if transaction.signatures.len() != required {
            return Err(malformed("the number of signatures does not match the message"));
        }
        let data = transaction.message_data();
        for (signature, key) in transaction.signatures.iter().zip(&transaction.message.account_keys).skip(1) {
            if !signature.verify(key.as_ref(), &data) {
                return Err(ApiError::bad_request(
                    "invalid_signature",
                    &format!("the signature of {key} is missing or wrong"),
                ));
            }
        }
        let (_, after) = self.simulate(&transaction, checked.signer).await?;
        if checked.top_up > 0 {
            // The top-up must all go to rent: the signer may not end with more than they had.
            let before = self.rpc.get_balance(&checked.signer).await.map_err(unavailable)?;
            if after > before {
                return Err(ApiError {
                    status: StatusCode::FORBIDDEN,
                    reason: "top_up_not_needed",
                    message: format!(
                        "the top-up exceeds the rent the transaction needs by {} lamports (prepare it with \
                         POST /v1/solana/prepare)",
                        after - before
                    ),
                    retry_after: None,
                    revert_data: None,
                });
            }
        }
        let fee = self.fee_for(&transaction.message).await?;
        Ok(CheckedSigned { transaction, checked, fee })
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self: Arc<Self>, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let busy = match self.tick().await {
                Ok(busy) => busy,
                Err(e) => {
                    tracing::warn!(error = %e, "Solana round failed; retrying");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    async fn tick(&self) -> Result<bool, String> {
        let sent = self.claim_and_send().await?;
        let followed = self.follow().await?;
        Ok(sent > 0 || followed)
    }

    /// Signs a request's transaction: `None` when it cannot be (the reason is returned to fail it).
    async fn sign(&self, payload: &SolanaPayload, blockhash: Hash) -> Result<Transaction, String> {
        match &payload.transaction {
            SolanaTransaction::Custodial { user_id, instructions, compute_units, priority_fee } => {
                let keys = keys::load(&self.pool, self.keys.as_ref(), *user_id).await.map_err(|e| e.to_string())?;
                let instructions = instructions
                    .iter()
                    .map(|ix| ix.to_instruction().map_err(|e| e.message))
                    .collect::<Result<Vec<_>, _>>()?;
                let signer = keys.solana.pubkey();
                let message =
                    self.message(&instructions, *compute_units, *priority_fee, (signer, payload.top_up), blockhash);
                let mut transaction = Transaction::new_unsigned(message);
                transaction.try_sign(&[&self.config.fee_payer, &keys.solana], blockhash).map_err(|e| e.to_string())?;
                Ok(transaction)
            }
            SolanaTransaction::Signed { transaction } => {
                let bytes = BASE64.decode(transaction).map_err(|e| e.to_string())?;
                let mut transaction: Transaction = bincode::deserialize(&bytes).map_err(|e| e.to_string())?;
                let blockhash = transaction.message.recent_blockhash;
                transaction.try_partial_sign(&[&self.config.fee_payer], blockhash).map_err(|e| e.to_string())?;
                Ok(transaction)
            }
        }
    }

    async fn claim_and_send(&self) -> Result<usize, String> {
        let err = |e: sqlx::Error| e.to_string();
        let mut tx = self.pool.begin().await.map_err(err)?;
        let rows: Vec<(i64, String, sqlx::types::Json<SolanaPayload>)> = sqlx::query_as(
            "SELECT id, principal, payload FROM requests r
             WHERE chain = 'solana' AND status = 'queued'
               AND NOT EXISTS (SELECT 1 FROM requests s
                               WHERE s.principal = r.principal AND s.status = 'submitted' AND s.chain = 'solana')
             ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
        )
        .bind(self.config.batch)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        if rows.is_empty() {
            return Ok(0); // idle: one query, no RPC
        }
        let (blockhash, last_valid) = self
            .rpc
            .get_latest_blockhash_with_commitment(CommitmentConfig::confirmed())
            .await
            .map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        let mut signed = Vec::new();
        for (id, principal, payload) in rows {
            if !seen.insert(principal) {
                continue; // one in flight per principal
            }
            let transaction = match self.sign(&payload.0, blockhash).await {
                Ok(transaction) => transaction,
                Err(e) => {
                    fail(&mut tx, id, &format!("could not prepare the transaction: {e}"), 0).await.map_err(err)?;
                    continue;
                }
            };
            let last_valid = match payload.0.transaction {
                SolanaTransaction::Custodial { .. } => Some(last_valid as i64),
                SolanaTransaction::Signed { .. } => None,
            };
            insert_attempt(&mut tx, id, &transaction, last_valid).await.map_err(err)?;
            requests::record(&mut tx, id, "submitted", Some(&transaction.signatures[0].to_string()))
                .await
                .map_err(err)?;
            signed.push((id, transaction));
        }
        tx.commit().await.map_err(err)?;
        for (id, transaction) in &signed {
            self.first_send(*id, transaction).await?;
        }
        Ok(signed.len())
    }

    /// Sends a new attempt with preflight. A preflight failure means it was not forwarded: the request fails and
    /// nothing is spent. Transport errors and an unknown blockhash are left to the follower (resend, expiry).
    async fn first_send(&self, id: i64, transaction: &Transaction) -> Result<(), String> {
        let config = RpcSendTransactionConfig {
            preflight_commitment: Some(CommitmentConfig::confirmed().commitment),
            ..RpcSendTransactionConfig::default()
        };
        let Err(error) = self.rpc.send_transaction_with_config(transaction, config).await else {
            return Ok(());
        };
        match error.get_transaction_error() {
            Some(TransactionError::BlockhashNotFound | TransactionError::AlreadyProcessed) | None => {
                tracing::warn!(id, %error, "sending failed; the follower resends");
                Ok(())
            }
            Some(failure) => {
                let err = |e: sqlx::Error| e.to_string();
                let mut tx = self.pool.begin().await.map_err(err)?;
                fail(&mut tx, id, &format!("refused at preflight, nothing spent: {failure}"), 0).await.map_err(err)?;
                tx.commit().await.map_err(err)
            }
        }
    }

    async fn resend(&self, transaction_bytes: &[u8]) {
        let Ok(transaction) = bincode::deserialize::<Transaction>(transaction_bytes) else { return };
        let config = RpcSendTransactionConfig { skip_preflight: true, ..RpcSendTransactionConfig::default() };
        if let Err(e) = self.rpc.send_transaction_with_config(&transaction, config).await {
            tracing::debug!(error = %e, "resend failed");
        }
    }

    async fn follow(&self) -> Result<bool, String> {
        let err = |e: sqlx::Error| e.to_string();
        let submitted: Vec<Submitted> = sqlx::query_as(
            "SELECT r.id, r.payload, a.signature, a.raw, a.blockhash, a.last_valid_block_height,
                    (EXTRACT(EPOCH FROM now() - a.sent_at) * 1000)::FLOAT8 AS age_ms
             FROM requests r
             JOIN LATERAL (SELECT * FROM solana_attempts WHERE request_id = r.id ORDER BY created_at DESC LIMIT 1) a
               ON true
             WHERE r.chain = 'solana' AND r.status = 'submitted' ORDER BY r.id LIMIT 256",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        if submitted.is_empty() {
            return Ok(false);
        }
        let signatures: Vec<Signature> = submitted
            .iter()
            .map(|s| Signature::try_from(s.signature.as_slice()).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        let statuses =
            self.rpc.get_signature_statuses_with_history(&signatures).await.map_err(|e| e.to_string())?.value;
        let mut block_height = None;
        let mut changed = false;
        for ((request, signature), status) in submitted.iter().zip(&signatures).zip(statuses) {
            let payload = &request.payload.0;
            match status {
                Some(status) if status.err.is_some() => {
                    let error = status.err.map(|e| e.to_string()).unwrap_or_default();
                    let mut tx = self.pool.begin().await.map_err(err)?;
                    let message = format!("the transaction failed on chain: {error}");
                    fail(&mut tx, request.id, &message, payload.fee).await.map_err(err)?;
                    tx.commit().await.map_err(err)?;
                    changed = true;
                }
                Some(status) if status.satisfies_commitment(CommitmentConfig::confirmed()) => {
                    self.confirmed(request.id, signature, status.slot, payload.fee + payload.top_up).await?;
                    changed = true;
                }
                Some(_) => {} // processed, not yet confirmed
                None => {
                    let expired = match request.last_valid_block_height {
                        Some(last_valid) => {
                            let height = match block_height {
                                Some(height) => height,
                                None => {
                                    *block_height.insert(self.rpc.get_block_height().await.map_err(|e| e.to_string())?)
                                }
                            };
                            height > last_valid as u64
                        }
                        None => {
                            let hash = Hash::new_from_array(
                                request.blockhash.as_slice().try_into().map_err(|_| "bad blockhash")?,
                            );
                            !self
                                .rpc
                                .is_blockhash_valid(&hash, CommitmentConfig::confirmed())
                                .await
                                .map_err(|e| e.to_string())?
                        }
                    };
                    if expired {
                        changed |= self.expired(request, signature).await?;
                    } else if request.age_ms >= self.config.resend_every.as_millis() as f64 {
                        self.resend(&request.raw).await;
                        sqlx::query("UPDATE solana_attempts SET sent_at = now() WHERE signature = $1")
                            .bind(&request.signature)
                            .execute(&self.pool)
                            .await
                            .map_err(err)?;
                    }
                }
            }
        }
        Ok(changed)
    }

    async fn confirmed(&self, id: i64, signature: &Signature, slot: u64, spent: u64) -> Result<(), String> {
        let err = |e: sqlx::Error| e.to_string();
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query(
            "UPDATE requests SET status = 'confirmed', mined_block = $2, gas_used = $3, updated_at = now() WHERE id = $1",
        )
        .bind(id)
        .bind(slot as i64)
        .bind(spent as i64)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        requests::settle(&mut tx, "solana", id, spent as i64).await.map_err(err)?;
        requests::record(&mut tx, id, "confirmed", Some(&format!("{signature} in slot {slot}, {spent} lamports")))
            .await
            .map_err(err)?;
        tx.commit().await.map_err(err)
    }

    /// The latest attempt's blockhash expired without it landing: make sure it is still unknown (it may have landed
    /// in the last valid block), then re-sign a custodial request or fail a wallet's.
    async fn expired(&self, request: &Submitted, signature: &Signature) -> Result<bool, String> {
        let err = |e: sqlx::Error| e.to_string();
        let again = self
            .rpc
            .get_signature_statuses_with_history(std::slice::from_ref(signature))
            .await
            .map_err(|e| e.to_string())?
            .value;
        if again.first().is_some_and(Option::is_some) {
            return Ok(false); // it landed after all: the next round records it
        }
        let mut tx = self.pool.begin().await.map_err(err)?;
        match &request.payload.0.transaction {
            SolanaTransaction::Signed { .. } => {
                let message =
                    "blockhash_expired: the transaction did not land before its blockhash expired; sign it again";
                fail(&mut tx, request.id, message, 0).await.map_err(err)?;
                tx.commit().await.map_err(err)?;
            }
            SolanaTransaction::Custodial { .. } => {
                let (blockhash, last_valid) = self
                    .rpc
                    .get_latest_blockhash_with_commitment(CommitmentConfig::confirmed())
                    .await
                    .map_err(|e| e.to_string())?;
                let transaction = self.sign(&request.payload.0, blockhash).await?;
                insert_attempt(&mut tx, request.id, &transaction, Some(last_valid as i64)).await.map_err(err)?;
                let detail = format!("blockhash expired unseen; re-signed as {}", transaction.signatures[0]);
                requests::record(&mut tx, request.id, "submitted", Some(&detail)).await.map_err(err)?;
                tx.commit().await.map_err(err)?;
                self.first_send(request.id, &transaction).await?;
            }
        }
        Ok(true)
    }
}

/// Stores a signed attempt and marks its request submitted under its signature (in `tx`, before it is sent).
async fn insert_attempt(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: i64,
    transaction: &Transaction,
    last_valid: Option<i64>,
) -> Result<(), sqlx::Error> {
    let raw = bincode::serialize(transaction).map_err(|e| sqlx::Error::Encode(e))?;
    let signature = transaction.signatures[0];
    sqlx::query(
        "INSERT INTO solana_attempts (signature, request_id, raw, blockhash, last_valid_block_height)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(signature.as_ref())
    .bind(id)
    .bind(&raw)
    .bind(transaction.message.recent_blockhash.as_ref())
    .bind(last_valid)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE requests SET status = 'submitted', tx_hash = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(signature.as_ref())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Fails a request that cost the fee payer `spent` lamports (settling its budgets).
async fn fail(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: i64,
    error: &str,
    spent: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET status = 'failed', error = $2, gas_used = $3, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(error)
        .bind(spent as i64)
        .execute(&mut **tx)
        .await?;
    requests::settle(tx, "solana", id, spent as i64).await?;
    requests::record(tx, id, "failed", Some(error)).await
}

/// Refuses no instructions, and instructions that someone other than `signer` would have to sign.
fn only_signer(signer: Pubkey, instructions: &[Instruction]) -> Result<(), ApiError> {
    if instructions.is_empty() {
        return Err(ApiError::bad_request("no_instructions", "send at least one instruction"));
    }
    if let Some(other) = instructions.iter().flat_map(|ix| &ix.accounts).find(|a| a.is_signer && a.pubkey != signer) {
        return Err(ApiError::bad_request(
            "unknown_signer",
            &format!("{} would have to sign; these instructions are signed by {signer} alone", other.pubkey),
        ));
    }
    Ok(())
}

/// A message of `instructions` after a compute budget (`units`; a unit price of `price` micro-lamports if above 0),
/// paid by `payer`.
fn budgeted(instructions: &[Instruction], units: u32, price: u64, payer: &Pubkey, blockhash: Hash) -> Message {
    let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(units)];
    if price > 0 {
        all.push(ComputeBudgetInstruction::set_compute_unit_price(price));
    }
    all.extend_from_slice(instructions);
    Message::new_with_blockhash(&all, Some(payer), &blockhash)
}

/// Why a simulated transaction would fail: the error and its program logs.
struct SimulationFailure {
    error: TransactionError,
    logs: Vec<String>,
}

impl SimulationFailure {
    /// The refusal to answer: an expired blockhash asks for a new signature; anything else names the error and the
    /// last program log lines.
    fn refusal(self) -> ApiError {
        if self.error == TransactionError::BlockhashNotFound {
            return refused("blockhash_expired", "the transaction's blockhash expired: sign it again".into());
        }
        let tail = self.logs.iter().rev().take(3).rev().cloned().collect::<Vec<_>>().join(" | ");
        refused("simulation_failed", format!("the transaction would fail: {}; {tail}", self.error))
    }

    /// Whether it failed for want of SOL: a fee payer that does not exist or cannot pay the fee, rent left unpaid,
    /// or the system program refusing a transfer (its error 1: insufficient lamports) such as an account's rent.
    fn lacks_sol(&self) -> bool {
        use solana_transaction::InstructionError;
        match &self.error {
            TransactionError::AccountNotFound
            | TransactionError::InsufficientFundsForFee
            | TransactionError::InsufficientFundsForRent { .. } => true,
            TransactionError::InstructionError(_, InstructionError::Custom(1)) => {
                self.logs.iter().any(|line| line.contains("insufficient lamports"))
            }
            _ => false,
        }
    }
}
