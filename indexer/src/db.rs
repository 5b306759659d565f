//! The database pool and the embedded migrations (`indexer/migrations`).

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// Connects and applies pending migrations.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let pool = PgPoolOptions::new().max_connections(max_connections).connect(url).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}
