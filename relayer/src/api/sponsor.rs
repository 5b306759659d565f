//! Sponsored EVM calls (custodial and wallet-signed) and request status (JSON and server-sent events).

use super::{ApiJson, AppState, SessionUser};
use crate::error::{ApiError, ErrorBody};
use crate::evm::engine::{EvmEngine, EvmPayload};
use crate::requests::{self, Existing, NewRequest, RequestView};
use alloy::primitives::{Address, Bytes, U256, aliases::U48};
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;

/// Sponsorship limits.
#[derive(Debug, Clone)]
pub struct SponsorPolicy {
    /// Gas per principal per day.
    pub user_daily_gas: i64,
    /// Gas for everybody per day.
    pub global_daily_gas: i64,
}

impl SponsorPolicy {
    /// The limits as the queue checks them.
    pub fn budgets(&self) -> requests::Budgets {
        requests::Budgets { principal: self.user_daily_gas, global: self.global_daily_gas }
    }
}

/// A custodial user's call.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct EvmCall {
    /// Target contract (must be a sponsored Mercato contract).
    #[schema(value_type = String, example = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707")]
    pub to: Address,
    /// ABI-encoded call data (a sponsored function).
    #[schema(value_type = String, example = "0x…")]
    pub data: Bytes,
    /// Gas for the call; estimated (+25%) when absent.
    pub gas: Option<u64>,
}

/// A forward request signed by a wallet (EIP-712, domain "MercatoForwarder" version "1").
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignedForwardRequest {
    /// The signer.
    #[schema(value_type = String)]
    pub from: Address,
    /// Target contract.
    #[schema(value_type = String)]
    pub to: Address,
    /// Value: must be 0 (the relayer sponsors gas, not ether).
    #[schema(value_type = String)]
    pub value: U256,
    /// Gas for the call.
    pub gas: u64,
    /// The signer's forwarder nonce.
    #[schema(value_type = String)]
    pub nonce: U256,
    /// Expiry, unix seconds.
    pub deadline: u64,
    /// Call data.
    #[schema(value_type = String)]
    pub data: Bytes,
    /// 65-byte signature.
    #[schema(value_type = String)]
    pub signature: Bytes,
}

/// The session, when the request carries one (wallet users have none).
pub struct MaybeSession(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(axum::http::header::AUTHORIZATION) {
            Ok(Self(Some(SessionUser::from_request_parts(parts, state).await?)))
        } else {
            Ok(Self(None))
        }
    }
}

fn engine(state: &AppState) -> Result<&Arc<EvmEngine>, ApiError> {
    state.evm.as_ref().ok_or(ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        reason: "evm_disabled",
        message: "this relayer has no EVM chain configured".into(),
        retry_after: None,
        revert_data: None,
    })
}

pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    requests::check_idempotency_key(headers.get("idempotency-key").and_then(|v| v.to_str().ok()))
}

pub(super) async fn accepted(
    state: &AppState,
    id: i64,
    principal: Option<&str>,
    fresh: bool,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let view = requests::view(&state.pool, id, principal).await?;
    Ok((if fresh { StatusCode::ACCEPTED } else { StatusCode::OK }, Json(view)))
}

/// Sponsors a call for the custodial user: the relayer signs the forward request with the user's key and pays.
/// Idempotent per `Idempotency-Key`: the same key and body return the first request (200).
#[utoipa::path(post, path = "/v1/evm/calls", request_body = EvmCall, tag = "evm", security(("session" = [])),
    params(("Idempotency-Key" = String, Header, description = "1-128 printable characters, unique per request")),
    responses((status = 202, body = RequestView), (status = 200, body = RequestView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn evm_call(
    State(state): State<AppState>,
    session: SessionUser,
    headers: HeaderMap,
    ApiJson(call): ApiJson<EvmCall>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let engine = engine(&state)?;
    let key = idempotency_key(&headers)?;
    let principal = format!("user:{}", session.user_id);
    let body = serde_json::to_vec(&call).map_err(ApiError::internal)?;
    if let Existing::Replay(id) = requests::find_existing(&state.pool, &principal, &key, &body).await? {
        return accepted(&state, id, Some(&principal), false).await;
    }
    state.requests_by_principal.check(&principal).map_err(ApiError::rate_limited)?;
    state.allowlist.check(call.to, &call.data)?;
    let from = session.evm_address;
    let simulated = engine.simulate(from, call.to, &call.data, call.gas).await?;
    let gas = call.gas.unwrap_or(simulated + simulated / 4 + 10_000);
    let gas_limit = EvmEngine::gas_limit(gas) as i64;
    let payload = EvmPayload::Custodial { user_id: session.user_id, from, to: call.to, data: call.data, gas };
    let accepted = Accepted { principal: &principal, user_id: Some(session.user_id), key: &key, body: &body };
    enqueue_evm(&state, engine, accepted, payload, gas_limit, "custodial").await
}

/// Sponsors a forward request a wallet signed: checked with the forwarder's `verify`, simulated, then queued.
#[utoipa::path(post, path = "/v1/evm/forward", request_body = SignedForwardRequest, tag = "evm",
    params(("Idempotency-Key" = String, Header, description = "1-128 printable characters, unique per request")),
    responses((status = 202, body = RequestView), (status = 200, body = RequestView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn evm_forward(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignedForwardRequest>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let engine = engine(&state)?;
    let key = idempotency_key(&headers)?;
    let principal = format!("evm:{:#x}", request.from);
    let body = serde_json::to_vec(&request).map_err(ApiError::internal)?;
    if let Existing::Replay(id) = requests::find_existing(&state.pool, &principal, &key, &body).await? {
        return accepted(&state, id, None, false).await;
    }
    state.requests_by_principal.check(&principal).map_err(ApiError::rate_limited)?;
    if !request.value.is_zero() {
        return Err(ApiError::bad_request(
            "value_not_sponsored",
            "the relayer sponsors gas, not ether: value must be 0",
        ));
    }
    state.allowlist.check(request.to, &request.data)?;
    let data = mercato_evm_bindings::ERC2771Forwarder::ForwardRequestData {
        from: request.from,
        to: request.to,
        value: U256::ZERO,
        gas: U256::from(request.gas),
        deadline: U48::from(request.deadline),
        data: request.data.clone(),
        signature: request.signature.clone(),
    };
    engine.verify_signed(&data).await?;
    engine.simulate(request.from, request.to, &request.data, Some(request.gas)).await?;
    let gas_limit = EvmEngine::gas_limit(request.gas) as i64;
    let payload = EvmPayload::Signed {
        from: request.from,
        to: request.to,
        gas: request.gas,
        deadline: request.deadline,
        data: request.data,
        signature: request.signature,
    };
    let accepted = Accepted { principal: &principal, user_id: None, key: &key, body: &body };
    enqueue_evm(&state, engine, accepted, payload, gas_limit, "signed").await
}

/// Who asked, under which key, with which body.
pub(super) struct Accepted<'a> {
    pub(super) principal: &'a str,
    pub(super) user_id: Option<i64>,
    pub(super) key: &'a str,
    pub(super) body: &'a [u8],
}

/// Queues a checked EVM request on its principal's lane (budgets reserved in the same transaction) and answers 202
/// with its state.
async fn enqueue_evm(
    state: &AppState,
    engine: &EvmEngine,
    request: Accepted<'_>,
    payload: EvmPayload,
    gas_limit: i64,
    kind: &'static str,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let payload = serde_json::to_value(payload).map_err(ApiError::internal)?;
    let lane = engine.lane_for(request.principal);
    enqueue(state, request, ("evm", lane), payload, (gas_limit, state.policy.budgets()), kind).await
}

/// Queues a checked request (`chain`, `lane`), reserving `reserve` of the budgets in the same transaction, and
/// answers 202 with its state.
pub(super) async fn enqueue(
    state: &AppState,
    request: Accepted<'_>,
    (chain, lane): (&'static str, i32),
    payload: serde_json::Value,
    (reserve, budgets): (i64, requests::Budgets),
    kind: &'static str,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let new = NewRequest {
        principal: request.principal,
        user_id: request.user_id,
        idempotency_key: request.key,
        body: request.body,
        chain,
        lane,
        payload,
        gas_limit: reserve,
    };
    match requests::enqueue(&state.pool, new, budgets).await? {
        requests::Enqueued::Fresh(view) => {
            metrics::counter!("relayer_requests_accepted_total", "chain" => chain, "kind" => kind).increment(1);
            Ok((StatusCode::ACCEPTED, Json(view)))
        }
        // Custodial requests are read back as their user; wallet requests are public.
        requests::Enqueued::Replay(id) => accepted(state, id, request.user_id.map(|_| request.principal), false).await,
    }
}

fn principal_of(session: &MaybeSession) -> Option<String> {
    session.0.as_ref().map(|s| format!("user:{}", s.user_id))
}

/// Which of the user's requests to list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// At most this many (1-100, default 20).
    pub limit: Option<i64>,
    /// Only requests with a smaller id (the cursor: the last id of the previous page).
    pub before: Option<i64>,
}

/// A page of requests, newest first.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequestPage {
    /// The requests, each with its history.
    pub requests: Vec<RequestView>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

/// The session user's requests, newest first (so an app can show what is still in flight after a reload).
#[utoipa::path(get, path = "/v1/requests", tag = "requests", security(("session" = [])), params(ListQuery),
    responses((status = 200, body = RequestPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    session: SessionUser,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Json<RequestPage>, ApiError> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("invalid_limit", "limit is 1-100"));
    }
    let principal = format!("user:{}", session.user_id);
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM requests WHERE principal = $1 AND ($2::BIGINT IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(&principal)
    .bind(query.before)
    .bind(limit + 1)
    .fetch_all(&state.pool)
    .await
    .map_err(ApiError::internal)?;
    let more = ids.len() as i64 > limit;
    let mut requests = Vec::with_capacity(ids.len());
    for (id,) in ids.into_iter().take(limit as usize) {
        requests.push(requests::view(&state.pool, id, Some(&principal)).await?);
    }
    let next_before = if more { requests.last().map(|r| r.id) } else { None };
    Ok(Json(RequestPage { requests, next_before }))
}

/// A request's status and history. With a session: that user's requests; without: wallet requests.
#[utoipa::path(get, path = "/v1/requests/{id}", tag = "requests",
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody)))]
pub async fn get_request(
    State(state): State<AppState>,
    session: MaybeSession,
    Path(id): Path<i64>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(requests::view(&state.pool, id, principal_of(&session).as_deref()).await?))
}

/// Server-sent events: the request's state now, then at every status change, until it is final.
#[utoipa::path(get, path = "/v1/requests/{id}/events", tag = "requests",
    responses((status = 200, description = "text/event-stream of RequestView"), (status = 404, body = ErrorBody)))]
pub async fn request_events(
    State(state): State<AppState>,
    session: MaybeSession,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let principal = principal_of(&session);
    let first = requests::view(&state.pool, id, principal.as_deref()).await?;
    let mut listener = sqlx::postgres::PgListener::connect_with(&state.pool).await.map_err(ApiError::internal)?;
    listener.listen(requests::STATUS_CHANNEL).await.map_err(ApiError::internal)?;
    let pool = state.pool.clone();
    // State: the listener, the last status sent, and whether the stream is over.
    let stream = futures_util::stream::unfold(
        (listener, Some(first), String::new(), false),
        move |(mut listener, pending, mut last, done)| {
            let pool = pool.clone();
            let principal = principal.clone();
            async move {
                if done {
                    return None;
                }
                let mut next = pending;
                while next.is_none() {
                    let notification = listener.recv().await.ok()?;
                    if notification.payload() == id.to_string() {
                        next = requests::view(&pool, id, principal.as_deref()).await.ok();
                    }
                }
                let view = next?;
                let final_state = view.status == "confirmed" || view.status == "failed";
                let key = format!("{}:{}", view.status, view.events.len());
                if key == last && !final_state {
                    return Some((Ok(Event::default().comment("unchanged")), (listener, None, last, false)));
                }
                last = key;
                let event = Event::default().event("status").json_data(&view).unwrap_or_default();
                Some((Ok(event), (listener, None, last, final_state)))
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
