//! Sponsored Solana transactions: a custodial user's instructions (the relayer builds, pays and signs with the
//! user's key), and a wallet's transaction (prepared here, signed by the wallet, co-signed as fee payer).

use super::sponsor::{self, Accepted};
use super::{ApiJson, AppState, ClientIp, SessionUser};
use crate::error::{ApiError, ErrorBody};
use crate::requests::{self, Existing, RequestView};
use crate::solana::SolanaInstruction;
use crate::solana::actions::SolanaAction;
use crate::solana::engine::{SolanaEngine, SolanaPayload, SolanaTransaction};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mercato_solana_client::{Instruction, Pubkey};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A custodial user's instructions.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SolanaCall {
    /// Instructions of sponsored Mercato programs; the user's address is their only signer.
    pub instructions: Vec<SolanaInstruction>,
}

/// Instructions a wallet wants to send: gaslessly (the default), or paying the fee itself.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrepareRequest {
    /// The wallet (base58): the instructions' only signer.
    pub signer: String,
    /// Instructions of the Mercato programs' user instructions (the sponsorship allowlist, whoever pays).
    pub instructions: Vec<SolanaInstruction>,
    /// Who pays the fee: `relayer` (sponsored: sign, then `POST /v1/solana/transactions`) or `signer` (the wallet
    /// pays the fee and any rent: sign, then send it to the cluster yourself; the relayer stores and spends nothing).
    #[serde(default)]
    pub pay_fee: FeePayer,
}

/// Who pays a prepared transaction's fee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeePayer {
    /// The relayer's fee payer (sponsored).
    #[default]
    Relayer,
    /// The signing wallet.
    Signer,
}

/// What the relayer reads of a Solana address for the app: SOL and auction credits.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SolanaAccountState {
    /// The address (base58).
    pub address: String,
    /// Its SOL, lamports.
    pub lamports: u64,
    /// Its auction credits (outbid bids refunded, proceeds, royalties), currency base units, as a decimal string;
    /// withdraw them with the `withdraw_credits` action.
    pub credits: String,
}

/// A transaction for the wallet to sign, then to send to `POST /v1/solana/transactions`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreparedTransaction {
    /// The unsigned transaction (base64, legacy): the fee payer first (the relayer's, or the wallet when it pays).
    pub transaction: String,
    /// The fee payer (base58).
    pub fee_payer: String,
    /// The fee, lamports.
    pub fee: u64,
    /// Rent the relayer lends the wallet for accounts the instructions create, lamports (0 when the wallet pays).
    pub top_up: u64,
    /// Compute-unit limit.
    pub compute_units: u32,
    /// Compute-unit price, micro-lamports.
    pub priority_fee: u64,
    /// Sign and send before the chain passes this block height.
    pub last_valid_block_height: u64,
}

/// A transaction the wallet signed.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignedTransaction {
    /// The transaction (base64, legacy, bincode) with every signature but the fee payer's.
    pub transaction: String,
}

/// A common action to build instructions for.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// Who signs the instructions (base58): the wallet, or the custodial user's Solana address (`/v1/auth/me`).
    pub signer: String,
    /// What to do.
    pub action: SolanaAction,
}

/// The instructions of an action, to send with `/v1/solana/instructions` or `/v1/solana/prepare`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct BuiltInstructions {
    /// In order.
    pub instructions: Vec<SolanaInstruction>,
}

fn engine(state: &AppState) -> Result<&Arc<SolanaEngine>, ApiError> {
    state.solana.as_ref().ok_or(ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: "solana_disabled",
        message: "this relayer has no Solana cluster configured".into(),
        retry_after: None,
        revert_data: None,
    })
}

fn parse(instructions: &[SolanaInstruction]) -> Result<Vec<Instruction>, ApiError> {
    if instructions.len() > 16 {
        return Err(ApiError::bad_request("too_many_instructions", "at most 16 instructions per transaction"));
    }
    instructions.iter().map(SolanaInstruction::to_instruction).collect()
}

/// Builds the instructions of a common action (bid, buy, settle, list, cancel, withdraw credits, deposit, withdraw,
/// vote, propose, execute) from the chain's current state: the accounts each needs (the listing's high bidder and seller, the royalty
/// receiver) are read here. Nothing is signed, stored or spent.
#[utoipa::path(post, path = "/v1/solana/actions", request_body = ActionRequest, tag = "solana",
    responses((status = 200, body = BuiltInstructions), (status = 400, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn solana_actions(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(request): ApiJson<ActionRequest>,
) -> Result<Json<BuiltInstructions>, ApiError> {
    state.actions_by_ip.check(&client.to_string()).map_err(ApiError::rate_limited)?;
    let engine = engine(&state)?;
    let signer: Pubkey = request
        .signer
        .parse()
        .map_err(|_| ApiError::bad_request("invalid_signer", "signer is not a base58 address"))?;
    let instructions = engine.build_action(signer, &request.action).await?;
    Ok(Json(BuiltInstructions { instructions: instructions.iter().map(SolanaInstruction::from_instruction).collect() }))
}

/// Sponsors instructions for the custodial user: the relayer adds a compute budget and any rent the user lacks,
/// pays the fee and signs with the user's key when it sends. Idempotent per `Idempotency-Key`.
#[utoipa::path(post, path = "/v1/solana/instructions", request_body = SolanaCall, tag = "solana",
    security(("session" = [])),
    params(("Idempotency-Key" = String, Header, description = "1-128 printable characters, unique per request")),
    responses((status = 202, body = RequestView), (status = 200, body = RequestView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn solana_instructions(
    State(state): State<AppState>,
    session: SessionUser,
    headers: HeaderMap,
    ApiJson(call): ApiJson<SolanaCall>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let engine = engine(&state)?;
    let key = sponsor::idempotency_key(&headers)?;
    let principal = format!("user:{}", session.user_id);
    let body = serde_json::to_vec(&call).map_err(ApiError::internal)?;
    if let Existing::Replay(id) = requests::find_existing(&state.pool, &principal, &key, &body).await? {
        return sponsor::accepted(&state, id, Some(&principal), false).await;
    }
    state.requests_by_principal.check(&principal).map_err(ApiError::rate_limited)?;
    let instructions = parse(&call.instructions)?;
    let prepared = engine.prepare(Pubkey::from(session.solana_address), &instructions).await?;
    let payload = SolanaPayload {
        fee: prepared.fee,
        top_up: prepared.top_up,
        transaction: SolanaTransaction::Custodial {
            user_id: session.user_id,
            instructions: call.instructions,
            compute_units: prepared.compute_units,
            priority_fee: prepared.priority_fee,
        },
    };
    let accepted = Accepted { principal: &principal, user_id: Some(session.user_id), key: &key, body: &body };
    enqueue(&state, engine, accepted, payload, "custodial").await
}

/// Builds a transaction for a wallet to sign. Sponsored (`pay_fee: relayer`, the default): the relayer's fee payer,
/// a compute budget, a rent top-up of what the wallet lacks, the instructions and a recent blockhash. Unsponsored
/// (`pay_fee: signer`): the wallet as fee payer, a compute budget and the instructions; the wallet sends it itself.
/// Both are simulated first; nothing is stored or signed by the relayer.
#[utoipa::path(post, path = "/v1/solana/prepare", request_body = PrepareRequest, tag = "solana",
    responses((status = 200, body = PreparedTransaction), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn solana_prepare(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(request): ApiJson<PrepareRequest>,
) -> Result<Json<PreparedTransaction>, ApiError> {
    // Unauthenticated, and each costs simulations: limited per client address as well as per signer.
    state.actions_by_ip.check(&client.to_string()).map_err(ApiError::rate_limited)?;
    let engine = engine(&state)?;
    let signer: Pubkey = request
        .signer
        .parse()
        .map_err(|_| ApiError::bad_request("invalid_signer", "signer is not a base58 address"))?;
    state.requests_by_principal.check(&format!("sol:{signer}")).map_err(ApiError::rate_limited)?;
    let instructions = parse(&request.instructions)?;
    let (prepared, fee_payer) = match request.pay_fee {
        FeePayer::Relayer => (engine.prepare(signer, &instructions).await?, engine.fee_payer()),
        FeePayer::Signer => (engine.prepare_unsponsored(signer, &instructions).await?, signer),
    };
    let transaction = solana_transaction::Transaction::new_unsigned(prepared.message);
    Ok(Json(PreparedTransaction {
        transaction: BASE64.encode(bincode::serialize(&transaction).map_err(ApiError::internal)?),
        fee_payer: fee_payer.to_string(),
        fee: prepared.fee,
        top_up: prepared.top_up,
        compute_units: prepared.compute_units,
        priority_fee: prepared.priority_fee,
        last_valid_block_height: prepared.last_valid_block_height,
    }))
}

/// Sponsors a transaction a wallet signed: the fee payer must be the relayer's and may appear in no instruction but
/// one bounded rent top-up; every other signature is checked, the transaction simulated, then queued and co-signed.
#[utoipa::path(post, path = "/v1/solana/transactions", request_body = SignedTransaction, tag = "solana",
    params(("Idempotency-Key" = String, Header, description = "1-128 printable characters, unique per request")),
    responses((status = 202, body = RequestView), (status = 200, body = RequestView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn solana_transaction(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignedTransaction>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let engine = engine(&state)?;
    let key = sponsor::idempotency_key(&headers)?;
    let body = serde_json::to_vec(&request).map_err(ApiError::internal)?;
    let transaction = SolanaEngine::decode(&request.transaction)?;
    // Charged to the first signer after the fee payer (the policy checks the fee payer is the relayer's).
    let principal = format!("sol:{}", transaction.message.account_keys[1]);
    if let Existing::Replay(id) = requests::find_existing(&state.pool, &principal, &key, &body).await? {
        return sponsor::accepted(&state, id, None, false).await;
    }
    state.requests_by_principal.check(&principal).map_err(ApiError::rate_limited)?;
    let checked = engine.check_signed(transaction).await?;
    let payload = SolanaPayload {
        fee: checked.fee,
        top_up: checked.checked.top_up,
        transaction: SolanaTransaction::Signed { transaction: request.transaction.trim().to_owned() },
    };
    let accepted = Accepted { principal: &principal, user_id: None, key: &key, body: &body };
    enqueue(&state, engine, accepted, payload, "signed").await
}

async fn enqueue(
    state: &AppState,
    engine: &SolanaEngine,
    request: Accepted<'_>,
    payload: SolanaPayload,
    kind: &'static str,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let reserve = i64::try_from(payload.fee + payload.top_up).map_err(ApiError::internal)?;
    let payload = serde_json::to_value(payload).map_err(ApiError::internal)?;
    sponsor::enqueue(state, request, ("solana", 0), payload, (reserve, engine.budgets()), kind).await
}

/// The SOL and auction credits of a Solana address, read from the chain (`confirmed`).
#[utoipa::path(get, path = "/v1/solana/accounts/{address}", tag = "solana",
    params(("address" = String, Path, description = "base58")),
    responses((status = 200, body = SolanaAccountState), (status = 400, body = ErrorBody),
              (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn solana_account(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    axum::extract::Path(address): axum::extract::Path<String>,
) -> Result<Json<SolanaAccountState>, ApiError> {
    state.actions_by_ip.check(&client.to_string()).map_err(ApiError::rate_limited)?;
    let engine = engine(&state)?;
    let owner: Pubkey =
        address.parse().map_err(|_| ApiError::bad_request("invalid_address", "the address is not base58"))?;
    let (lamports, credits) = engine.account_state(owner).await?;
    Ok(Json(SolanaAccountState { address: owner.to_string(), lamports, credits: credits.to_string() }))
}
