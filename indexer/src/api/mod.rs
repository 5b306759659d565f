//! The REST API (axum). Every list is cursor-paginated (`cursor` from the previous page's `next_cursor`, `limit`
//! 1..=500, default 50) and filtered by query parameters; every input is validated into a 4xx with a reason.
//! `/openapi.json` is generated from the handlers. Areas: [`accounts`] (accounts and items), [`market`] (listings,
//! auctions, bids, sales), [`governance`] (proposals, votes, parameters).

pub mod accounts;
pub mod cache;
pub mod economy;
pub mod governance;
pub mod market;
pub mod prices;

use crate::error::{ApiError, ErrorBody};
use crate::ingest::Status;
use alloy::primitives::{Address, U256};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::PrometheusHandle;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use utoipa::OpenApi;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The mirror.
    pub pool: PgPool,
    /// The chain key served (`evm:<chain id>`).
    pub chain: String,
    /// Ingest's view of the chain, when ingest runs in this process.
    pub status: Option<Arc<Status>>,
    /// /readyz fails when the checkpoint is more than this many blocks behind the head.
    pub max_lag: u64,
    /// Renders /metrics.
    pub metrics: PrometheusHandle,
    /// Price and candle answers cached per indexed head (`AnswerCache::default()`).
    pub cache: cache::AnswerCache,
}

/// The API's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mercato indexer",
        description = "The Mercato economy mirrored from chain: accounts, items, market, governance. EVM at the root; \
                       the same routes answer for Solana under the /solana prefix (base58 addresses and hashes)."
    ),
    paths(
        accounts::account,
        accounts::account_items,
        accounts::items,
        accounts::item,
        accounts::item_history,
        market::listings,
        market::auctions,
        market::listing,
        market::bids,
        market::sales,
        governance::proposals,
        governance::proposal,
        governance::proposal_votes,
        governance::parameters,
        governance::parameter_history,
        prices::collection_prices,
        prices::class_prices,
        prices::collection_candles,
        prices::class_candles,
        prices::wash_trades,
        economy::daily,
        healthz,
        readyz
    ),
    components(schemas(ErrorBody, Readiness))
)]
pub struct ApiDoc;

/// The router with every route and its layers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/accounts/{address}", get(accounts::account))
        .route("/v1/accounts/{address}/items", get(accounts::account_items))
        .route("/v1/items", get(accounts::items))
        .route("/v1/items/{id}", get(accounts::item))
        .route("/v1/items/{id}/history", get(accounts::item_history))
        .route("/v1/listings", get(market::listings))
        .route("/v1/listings/{id}", get(market::listing))
        .route("/v1/auctions", get(market::auctions))
        .route("/v1/bids", get(market::bids))
        .route("/v1/sales", get(market::sales))
        .route("/v1/proposals", get(governance::proposals))
        .route("/v1/proposals/{id}", get(governance::proposal))
        .route("/v1/proposals/{id}/votes", get(governance::proposal_votes))
        .route("/v1/parameters", get(governance::parameters))
        .route("/v1/parameters/history", get(governance::parameter_history))
        .route("/v1/prices/collections/{address}", get(prices::collection_prices))
        .route("/v1/prices/collections/{address}/candles", get(prices::collection_candles))
        .route("/v1/prices/classes/{class}", get(prices::class_prices))
        .route("/v1/prices/classes/{class}/candles", get(prices::class_candles))
        .route("/v1/wash-trades", get(prices::wash_trades))
        .route("/v1/economy/daily", get(economy::daily))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .fallback(|| async { ApiError::not_found("no such route") })
        .layer(axum::middleware::from_fn(count_requests))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn count_requests(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let path = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("indexer_http_requests_total", "path" => path, "status" => status).increment(1);
    response
}

/// Query parameters whose rejections are API errors (`invalid_query`).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::bad_request("invalid_query", rejection.body_text())),
        }
    }
}

/// A path parameter whose rejections are API errors (`invalid_path`).
pub struct ApiPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::bad_request("invalid_path", rejection.body_text())),
        }
    }
}

/// A page of results; pass `next_cursor` as `cursor` to get the next one (absent on the last page).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    /// The results.
    pub items: Vec<T>,
    /// The cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Pagination parameters shared by every list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Opaque cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1..=500 (default 50).
    pub limit: Option<String>,
}

impl PageParams {
    /// The page size.
    pub fn limit(&self) -> Result<i64, ApiError> {
        match &self.limit {
            None => Ok(50),
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=500).contains(&n) => Ok(n),
                _ => Err(ApiError::bad_request(
                    "invalid_limit",
                    format!("limit must be an integer in 1..=500, not {text:?}"),
                )),
            },
        }
    }

    /// An event cursor `<block>-<log index>`; the first page starts above every event.
    pub fn event_cursor(&self) -> Result<(i64, i64), ApiError> {
        let Some(text) = &self.cursor else { return Ok((i64::MAX, i64::MAX)) };
        let parsed = text.split_once('-').and_then(|(b, l)| Some((b.parse::<i64>().ok()?, l.parse::<i64>().ok()?)));
        match parsed {
            Some((b, l)) if b >= 0 && l >= 0 => Ok((b, l)),
            _ => Err(invalid_cursor(text)),
        }
    }

    /// A cursor that is a decimal id; `None` on the first page.
    pub fn id_cursor(&self) -> Result<Option<String>, ApiError> {
        match &self.cursor {
            None => Ok(None),
            Some(text) => U256::from_str_radix(text, 10).map(|v| Some(v.to_string())).map_err(|_| invalid_cursor(text)),
        }
    }
}

fn invalid_cursor(text: &str) -> ApiError {
    ApiError::bad_request("invalid_cursor", format!("{text:?} is not a cursor this list returned"))
}

tokio::task_local! {
    /// Set (to true) around every request under `/solana` by [`solana_router`]: addresses are base58 pubkeys there.
    static SOLANA_ADDRESSES: bool;
}

/// An address from the request: 20 bytes on EVM routes, a 32-byte pubkey on `/solana` routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountKey(Vec<u8>);

impl AccountKey {
    /// The bytes, as stored.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.clone()
    }
}

/// Parses a `0x`-prefixed 20-byte hex address, or under `/solana` a base58 pubkey (32 bytes).
pub fn parse_address(text: &str) -> Result<AccountKey, ApiError> {
    if SOLANA_ADDRESSES.try_with(|s| *s).unwrap_or(false) {
        return match bs58::decode(text).into_vec() {
            Ok(bytes) if bytes.len() == 32 && text.len() <= 44 => Ok(AccountKey(bytes)),
            _ => Err(ApiError::bad_request("invalid_address", format!("{text:?} is not a base58 Solana pubkey"))),
        };
    }
    let ok = text.len() == 42 && text.starts_with("0x") && text[2..].chars().all(|c| c.is_ascii_hexdigit());
    match ok.then(|| text.parse::<Address>().ok()).flatten() {
        Some(address) => Ok(AccountKey(address.to_vec())),
        None => {
            Err(ApiError::bad_request("invalid_address", format!("{text:?} is not a 0x-prefixed 20-byte hex address")))
        }
    }
}

/// Parses an optional address filter.
pub fn parse_address_opt(text: &Option<String>) -> Result<Option<Vec<u8>>, ApiError> {
    text.as_deref().map(|t| parse_address(t).map(|a| a.to_vec())).transpose()
}

/// Parses a decimal uint256 (item, listing and proposal ids).
pub fn parse_id(text: &str) -> Result<String, ApiError> {
    let digits = !text.is_empty() && text.len() <= 78 && text.chars().all(|c| c.is_ascii_digit());
    match digits.then(|| U256::from_str_radix(text, 10).ok()).flatten() {
        Some(v) => Ok(v.to_string()),
        None => Err(ApiError::bad_request("invalid_id", format!("{text:?} is not a decimal uint256 id"))),
    }
}

/// Parses one of `allowed` (for `status` and `kind` filters).
pub fn parse_choice(
    text: &Option<String>,
    allowed: &[&'static str],
    reason: &'static str,
) -> Result<Option<&'static str>, ApiError> {
    match text {
        None => Ok(None),
        Some(t) => allowed
            .iter()
            .find(|a| **a == t.as_str())
            .map(|a| Some(*a))
            .ok_or_else(|| ApiError::bad_request(reason, format!("{t:?} is not one of {}", allowed.join(", ")))),
    }
}

/// Builds a page from `limit + 1` fetched rows.
pub fn page<T>(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> String) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(cursor_of) } else { None };
    Page { items: rows, next_cursor }
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "the process is up")))]
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers and ingest is within `max_lag` blocks of the head.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// The chain key.
    pub chain: String,
    /// Last ingested block.
    pub checkpoint: Option<i64>,
    /// The chain's head at the last poll (absent when ingest does not run in this process).
    pub head: Option<u64>,
    /// `head - checkpoint`.
    pub lag: Option<u64>,
}

#[utoipa::path(get, path = "/readyz", responses(
    (status = 200, body = Readiness, description = "ready"),
    (status = 503, body = ErrorBody, description = "database unavailable or ingest behind")
))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Readiness>, ApiError> {
    let checkpoint: Option<(i64,)> = sqlx::query_as("SELECT block_number FROM checkpoints WHERE chain = $1")
        .bind(&state.chain)
        .fetch_optional(&state.pool)
        .await
        .map_err(|e| ApiError::unavailable("database_unavailable", e.to_string()))?;
    let checkpoint = checkpoint.map(|(n,)| n);
    let head = state.status.as_ref().map(|s| s.head.load(Ordering::Relaxed)).filter(|h| *h != u64::MAX);
    let lag = head.map(|h| h.saturating_sub(checkpoint.map_or(0, |c| c.max(0) as u64)));
    let readiness = Readiness { chain: state.chain.clone(), checkpoint, head, lag };
    if checkpoint.is_none() {
        return Err(ApiError::unavailable("not_ingested", "nothing ingested yet"));
    }
    if state.status.is_some() && lag.is_none_or(|l| l > state.max_lag) {
        return Err(ApiError::unavailable(
            "behind_head",
            format!("checkpoint {checkpoint:?} is {lag:?} blocks behind head {head:?} (max {})", state.max_lag),
        ));
    }
    Ok(Json(readiness))
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}

/// Marks a request as a Solana one for [`parse_address`].
async fn solana_scope(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    SOLANA_ADDRESSES.scope(true, next.run(request)).await
}

/// One chain's readiness in the combined `/readyz`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChainReadiness {
    /// Within its maximum lag and the database answers.
    pub ready: bool,
    /// Why not, when not ready.
    pub reason: Option<String>,
    /// The chain's checkpoint, head and lag (blocks on EVM, slots on Solana), when known.
    #[serde(flatten)]
    pub readiness: Option<Readiness>,
}

async fn chain_readiness(state: AppState) -> ChainReadiness {
    let chain = state.chain.clone();
    match readyz(State(state)).await {
        Ok(Json(readiness)) => ChainReadiness { ready: true, reason: None, readiness: Some(readiness) },
        Err(e) => ChainReadiness {
            ready: false,
            reason: Some(format!("{}: {}", e.reason, e.message)),
            readiness: Some(Readiness { chain, checkpoint: None, head: None, lag: None }),
        },
    }
}

/// The API of both chains. EVM stays at the root exactly as [`router`] serves it; the same routes answer for Solana
/// under the `/solana` prefix (`/solana/v1/accounts/{pubkey}`, `/solana/v1/items`, …, `/solana/readyz`), where
/// addresses are taken and returned as base58 pubkeys and hashes as base58 (`solana` is the pool that renders them
/// so: [`crate::db::connect_base58`]). `/readyz` answers for every chain: `{"chains": [{chain, checkpoint, head,
/// lag, ready, reason}, …]}`, 200 when all are ready, else 503.
pub fn router_with_solana(evm: AppState, solana: Option<AppState>) -> Router {
    let Some(solana) = solana else { return router(evm) };
    let solana_app = router(solana.clone()).layer(axum::middleware::from_fn(solana_scope));
    let (evm_ready, solana_ready) = (evm.clone(), solana);
    Router::new()
        .route(
            "/readyz",
            get(move || {
                let (evm, solana) = (evm_ready.clone(), solana_ready.clone());
                async move {
                    let chains = vec![chain_readiness(evm).await, chain_readiness(solana).await];
                    let status = if chains.iter().all(|c| c.ready) {
                        axum::http::StatusCode::OK
                    } else {
                        axum::http::StatusCode::SERVICE_UNAVAILABLE
                    };
                    (status, Json(serde_json::json!({ "chains": chains })))
                }
            }),
        )
        .nest_service("/solana", solana_app)
        .fallback_service(router(evm))
}
