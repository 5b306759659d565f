//! The Mercato indexer: the EVM suite and the Solana programs (`solana`) mirrored into Postgres, reorg-safe and idempotent, served over REST.
//!
//! Layout (one concern per module): `evm` (decoding the suite's logs with the typed bindings; reading the chain),
//! `ingest` (adaptive backfill, live following, reorg detection), `store` (the one transaction per batch that writes
//! raw events, derived rows and the checkpoint; rollback through the undo log), `api` (axum routes, OpenAPI),
//! `error` (JSON errors with machine-readable reasons), `db` (pool and migrations), `config` (flags and
//! environment). The schema and the reorg design are in `indexer/README.md`.

pub mod api;
pub mod config;
pub mod db;
pub mod error;
pub mod evm;
pub mod ingest;
pub mod solana;
pub mod store;
pub mod wash;

pub use mercato_telemetry::metrics_handle;

/// Serves the API on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: api::AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, api::router(state)).with_graceful_shutdown(shutdown).await
}

/// Serves `app` (e.g. [`api::router_with_solana`]) on `listener` until `shutdown` resolves.
pub async fn serve_app(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
