//! The database pool and the embedded migrations (`indexer/migrations`).

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;

/// The connection options of every pool: `url` with Postgres' JIT compilation off. The indexer's statements are
/// short (a batch's inserts, an API answer over at most a few hundred thousand rows), where compiling costs more
/// than it saves: with JIT on, the uncached collection-prices answer of the API benchmark took 696 ms, 248 ms of it
/// compiling; 98-207 ms without.
fn options(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(PgConnectOptions::from_str(url)?.options([("jit", "off")]))
}

/// Connects and applies pending migrations.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let pool = PgPoolOptions::new().max_connections(max_connections).connect_with(options(url)?).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// A pool whose connections render addresses and hashes in base58 (`SET mercato.address_format = 'base58'`, read
/// by the `hex0x` SQL function): the pool the Solana API answers from. Migrations are not run (use [`connect`]).
pub async fn connect_base58(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(&mut *conn, "SET mercato.address_format = 'base58'").await?;
                Ok(())
            })
        })
        .connect_with(options(url)?)
        .await
}
