//! The HTTP API (axum). `/openapi.json` is generated from the handlers: accounts here, sponsorship in
//! [`sponsor`].

pub mod solana;
pub mod sponsor;

use crate::accounts::{self, Profile};
use crate::error::{ApiError, ErrorBody};
use crate::evm::{engine::EvmEngine, policy::Allowlist};
use crate::keys::KeyStore;
use crate::ratelimit::RateLimiter;
use crate::requests::{RequestEvent, RequestView};
use crate::solana::engine::SolanaEngine;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use metrics_exporter_prometheus::PrometheusHandle;
use serde::{Deserialize, Serialize};
use sponsor::SponsorPolicy;
use sqlx::PgPool;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use utoipa::OpenApi;
use zeroize::Zeroizing;

/// Request bodies larger than this are refused.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub pool: PgPool,
    /// Wraps the users' data keys.
    pub keys: Arc<dyn KeyStore>,
    /// Session lifetime, seconds.
    pub session_ttl: i64,
    /// Log-in attempts per email.
    pub login_by_email: Arc<RateLimiter>,
    /// Log-in and sign-up attempts per client IP.
    pub auth_by_ip: Arc<RateLimiter>,
    /// Proxies whose `X-Forwarded-For` is believed (e.g. the web app's server).
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// Renders /metrics.
    pub metrics: PrometheusHandle,
    /// The EVM engine, when an EVM chain is configured.
    pub evm: Option<Arc<EvmEngine>>,
    /// What is sponsored on EVM.
    pub allowlist: Arc<Allowlist>,
    /// The Solana engine, when a Solana cluster is configured.
    pub solana: Option<Arc<SolanaEngine>>,
    /// Budgets.
    pub policy: SponsorPolicy,
    /// Sponsored requests per principal (120 per minute).
    pub requests_by_principal: Arc<RateLimiter>,
    /// Solana action builds per client IP (300 per minute): the route needs no session, so the limit is on the
    /// caller's address, not on the signer it names, and it does not use up the signer's sending quota.
    pub actions_by_ip: Arc<RateLimiter>,
}

impl AppState {
    /// Limits: 5 log-ins per email and 30 auth calls per IP, per minute.
    pub fn new(pool: PgPool, keys: Arc<dyn KeyStore>, session_ttl: i64, metrics: PrometheusHandle) -> Self {
        Self {
            pool,
            keys,
            session_ttl,
            login_by_email: Arc::new(RateLimiter::new(5, Duration::from_secs(60))),
            auth_by_ip: Arc::new(RateLimiter::new(30, Duration::from_secs(60))),
            trusted_proxies: Arc::new(Vec::new()),
            metrics,
            evm: None,
            allowlist: Arc::new(Allowlist::default()),
            solana: None,
            policy: SponsorPolicy { user_daily_gas: 20_000_000, global_daily_gas: 2_000_000_000 },
            requests_by_principal: Arc::new(RateLimiter::new(120, Duration::from_secs(60))),
            actions_by_ip: Arc::new(RateLimiter::new(300, Duration::from_secs(60))),
        }
    }

    /// Sponsors EVM calls through `engine`, for what `allowlist` allows.
    pub fn with_evm(mut self, engine: Arc<EvmEngine>, allowlist: Allowlist) -> Self {
        self.evm = Some(engine);
        self.allowlist = Arc::new(allowlist);
        self
    }

    /// Sponsors Solana transactions through `engine`.
    pub fn with_solana(mut self, engine: Arc<SolanaEngine>) -> Self {
        self.solana = Some(engine);
        self
    }

    /// Sets how many sign-ups and log-ins one client address may make per minute.
    pub fn with_auth_limit(mut self, per_ip_per_minute: usize) -> Self {
        self.auth_by_ip = Arc::new(RateLimiter::new(per_ip_per_minute, Duration::from_secs(60)));
        self
    }

    /// Sets how many Solana actions one client address may have built per minute.
    pub fn with_actions_limit(mut self, per_ip_per_minute: usize) -> Self {
        self.actions_by_ip = Arc::new(RateLimiter::new(per_ip_per_minute, Duration::from_secs(60)));
        self
    }

    /// Believes `X-Forwarded-For` from these proxies when it tells the client's address (for the per-IP limits).
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpAddr>) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// Sets the budgets and the per-principal request rate (per minute).
    pub fn with_policy(mut self, policy: SponsorPolicy, requests_per_minute: usize) -> Self {
        self.policy = policy;
        self.requests_by_principal = Arc::new(RateLimiter::new(requests_per_minute, Duration::from_secs(60)));
        self
    }
}

/// The API's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Mercato relayer", description = "Custodial accounts and gas sponsorship for the Mercato suite."),
    paths(sign_up, log_in, log_out, me, healthz, readyz, sponsor::evm_call, sponsor::evm_forward,
          sponsor::list_requests, sponsor::get_request,
          sponsor::request_events, solana::solana_actions, solana::solana_instructions, solana::solana_prepare, solana::solana_transaction, solana::solana_account),
    components(schemas(Credentials, Session, Profile, ErrorBody, RequestView, RequestEvent, sponsor::EvmCall,
                       sponsor::SignedForwardRequest, sponsor::RequestPage, crate::solana::SolanaInstruction,
                       crate::solana::SolanaAccountMeta, solana::SolanaCall, solana::PrepareRequest,
                       solana::PreparedTransaction, solana::SignedTransaction, solana::ActionRequest,
                       solana::BuiltInstructions, crate::solana::actions::SolanaAction,
                       crate::solana::actions::Kind, crate::solana::actions::VoteSide,
                       crate::solana::actions::ProposedChange, solana::FeePayer, solana::SolanaAccountState)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The router with every route and its layers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/auth/signup", post(sign_up))
        .route("/v1/auth/login", post(log_in))
        .route("/v1/auth/logout", post(log_out))
        .route("/v1/me", get(me))
        .route("/v1/evm/calls", post(sponsor::evm_call))
        .route("/v1/evm/forward", post(sponsor::evm_forward))
        .route("/v1/solana/actions", post(solana::solana_actions))
        .route("/v1/solana/instructions", post(solana::solana_instructions))
        .route("/v1/solana/prepare", post(solana::solana_prepare))
        .route("/v1/solana/transactions", post(solana::solana_transaction))
        .route("/v1/solana/accounts/{address}", get(solana::solana_account))
        .route("/v1/requests", get(sponsor::list_requests))
        .route("/v1/requests/{id}", get(sponsor::get_request))
        .route("/v1/requests/{id}/events", get(sponsor::request_events))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .fallback(|| async { ApiError::new_not_found() })
        .layer(axum::middleware::from_fn(count_requests))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

impl ApiError {
    fn new_not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            reason: "not_found",
            message: "no such route".into(),
            retry_after: None,
            revert_data: None,
        }
    }
}

async fn count_requests(request: Request, next: axum::middleware::Next) -> axum::response::Response {
    let path = request.extensions().get::<axum::extract::MatchedPath>().map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    let route = path.unwrap_or_else(|| "unmatched".into());
    metrics::counter!("relayer_http_requests_total", "route" => route, "status" => response.status().as_str().to_owned())
        .increment(1);
    response
}

/// A JSON body whose rejections are API errors (`malformed_body`, `unsupported_media_type`, `body_too_large`).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError {
                    status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    reason: "unsupported_media_type",
                    message: "send a JSON body with Content-Type: application/json".into(),
                    retry_after: None,
                    revert_data: None,
                },
                JsonRejection::BytesRejection(_) => ApiError {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    reason: "body_too_large",
                    message: format!("bodies are at most {MAX_BODY_BYTES} bytes"),
                    retry_after: None,
                    revert_data: None,
                },
                other => ApiError::bad_request("malformed_body", &other.body_text()),
            }),
        }
    }
}

/// The session of the request's `Authorization: Bearer <token>`.
pub struct SessionUser {
    /// The user.
    pub user_id: i64,
    /// Their custodial EVM address.
    pub evm_address: alloy::primitives::Address,
    /// Their custodial Solana address.
    pub solana_address: [u8; 32],
    /// The bearer token.
    pub token: String,
}

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("missing_session", "send Authorization: Bearer <session token>"))?;
        let (user_id, evm_address, solana_address) = accounts::session_user(&state.pool, token).await?;
        Ok(Self { user_id, evm_address, solana_address, token: token.to_owned() })
    }
}

/// Email and password.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// The account's email.
    pub email: String,
    /// At least 10 characters.
    pub password: String,
}

/// A new session.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct Session {
    /// Bearer token for `Authorization: Bearer <token>`.
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The user.
    pub user: Profile,
}

/// The client's address: the connection's peer, or — when the peer is a trusted proxy — the nearest address in
/// `X-Forwarded-For` that is not a trusted proxy (addresses a client wrote further left are not believed).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
            .ok_or_else(|| ApiError::internal("no connection info"))?;
        Ok(Self(client_ip(peer, &parts.headers, &state.trusted_proxies)))
    }
}

fn client_ip(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    for hop in forwarded.into_iter().rev() {
        match hop {
            Some(ip) if trusted.contains(&ip) => continue,
            Some(ip) => return ip,
            None => break, // an unreadable hop: trust nothing further left
        }
    }
    peer
}

/// Creates an account with custodial EVM and Solana keys and opens a session.
#[utoipa::path(post, path = "/v1/auth/signup", request_body = Credentials, tag = "auth",
    responses((status = 201, body = Session), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn sign_up(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    state.auth_by_ip.check(&client.to_string()).map_err(ApiError::rate_limited)?;
    let password = Zeroizing::new(credentials.password);
    let user = accounts::sign_up(&state.pool, state.keys.as_ref(), &credentials.email, password).await?;
    metrics::counter!("relayer_signups_total").increment(1);
    let token = accounts::open_session(&state.pool, user.id, state.session_ttl).await?;
    Ok((StatusCode::CREATED, Json(Session { token, expires_in: state.session_ttl, user })))
}

/// Opens a session. Rate-limited per email and per client address.
#[utoipa::path(post, path = "/v1/auth/login", request_body = Credentials, tag = "auth",
    responses((status = 200, body = Session), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn log_in(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Json<Session>, ApiError> {
    state.auth_by_ip.check(&client.to_string()).map_err(ApiError::rate_limited)?;
    let email_key = credentials.email.trim().to_lowercase();
    state.login_by_email.check(&email_key).map_err(ApiError::rate_limited)?;
    let password = Zeroizing::new(credentials.password);
    let outcome = accounts::check_credentials(&state.pool, &credentials.email, password).await;
    metrics::counter!("relayer_logins_total", "outcome" => if outcome.is_ok() { "ok" } else { "refused" }).increment(1);
    let user_id = outcome?;
    let token = accounts::open_session(&state.pool, user_id, state.session_ttl).await?;
    let user = accounts::profile(&state.pool, user_id).await?;
    Ok(Json(Session { token, expires_in: state.session_ttl, user }))
}

/// Ends the current session.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", security(("session" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn log_out(State(state): State<AppState>, session: SessionUser) -> Result<StatusCode, ApiError> {
    accounts::close_session(&state.pool, &session.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current user with their addresses on both chains.
#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Profile), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, session: SessionUser) -> Result<Json<Profile>, ApiError> {
    Ok(Json(accounts::profile(&state.pool, session.user_id).await?))
}

/// Liveness: the process serves HTTP.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200)))]
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses((status = 200), (status = 503, body = ErrorBody)))]
async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    match sqlx::query("SELECT 1").execute(&state.pool).await {
        Ok(_) => Ok("ready"),
        Err(e) => Err(ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: "database_unavailable",
            message: e.to_string(),
            retry_after: Some(1),
            revert_data: None,
        }),
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().unwrap());
        let trusted = [ip("127.0.0.1"), ip("10.0.0.2")];
        // Through the app's proxy (127.0.0.1) and a trusted load balancer (10.0.0.2): the client is the first
        // untrusted hop from the right; what the client itself wrote (6.6.6.6) is not believed.
        assert_eq!(client_ip(ip("127.0.0.1"), &headers, &trusted), ip("203.0.113.7"));
        // From an untrusted peer the header is ignored.
        assert_eq!(client_ip(ip("198.51.100.1"), &headers, &trusted), ip("198.51.100.1"));
        // No header, or garbage: the peer.
        assert_eq!(client_ip(ip("127.0.0.1"), &HeaderMap::new(), &trusted), ip("127.0.0.1"));
        headers.insert("x-forwarded-for", "nonsense".parse().unwrap());
        assert_eq!(client_ip(ip("127.0.0.1"), &headers, &trusted), ip("127.0.0.1"));
    }
}
