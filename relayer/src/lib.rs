//! The Mercato relayer: custodial accounts and gas sponsorship.
//!
//! Layout (one concern per module): `accounts` (sign-up, log-in, sessions), `keys` (custodial keys under envelope
//! encryption, the `KeyStore` trait, master-key rotation), `api` (axum routes, OpenAPI), `error` (JSON errors with
//! machine-readable reasons), `ratelimit`, `db` (pool and migrations), `config` (flags and environment), `requests` (the durable queue),
//! `evm` and `solana` (what each chain sponsors and its submission engine).

pub mod accounts;
pub mod api;
pub mod config;
pub mod db;
pub mod error;
pub mod evm;
pub mod keys;
pub mod ratelimit;
pub mod requests;
pub mod solana;

pub use mercato_telemetry::metrics_handle;

/// Serves the API on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: api::AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = api::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
