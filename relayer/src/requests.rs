//! Sponsored requests in the durable queue: acceptance with idempotency, status, history and change notification.

use crate::error::ApiError;
use axum::http::StatusCode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};

/// The Postgres channel a status change is announced on (payload: the request id).
pub const STATUS_CHANNEL: &str = "relayer_request_status";

/// A request as the API shows it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RequestView {
    /// Request id.
    pub id: i64,
    /// `evm` or `solana`.
    pub chain: String,
    /// `queued` → `submitted` → `confirmed` | `failed`.
    pub status: String,
    /// The transaction, once submitted: a hex hash on EVM, a base58 signature on Solana.
    pub tx_hash: Option<String>,
    /// The block it was mined in (EVM).
    pub block: Option<i64>,
    /// Gas it used, once final (EVM).
    pub gas_used: Option<i64>,
    /// Lamports it cost the fee payer (fee and rent top-up), once final (Solana).
    pub lamports: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Status history, oldest first.
    pub events: Vec<RequestEvent>,
}

/// One status change.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RequestEvent {
    /// The new status.
    pub status: String,
    /// What happened.
    pub detail: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// A new request to enqueue.
pub struct NewRequest<'a> {
    /// Who is charged.
    pub principal: &'a str,
    /// The custodial user, if any.
    pub user_id: Option<i64>,
    /// The client's idempotency key.
    pub idempotency_key: &'a str,
    /// The request body as received (hashed for the reuse check).
    pub body: &'a [u8],
    /// `evm` or `solana`.
    pub chain: &'a str,
    /// The nonce lane.
    pub lane: i32,
    /// What the engine sends.
    pub payload: serde_json::Value,
    /// Gas limit of the transaction.
    pub gas_limit: i64,
}

/// Checks an `Idempotency-Key` header value.
pub fn check_idempotency_key(key: Option<&str>) -> Result<String, ApiError> {
    let key = key.ok_or_else(|| {
        ApiError::bad_request("missing_idempotency_key", "send an Idempotency-Key header (1-128 printable characters)")
    })?;
    if key.is_empty() || key.len() > 128 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key: 1-128 printable ASCII characters",
        ));
    }
    Ok(key.to_owned())
}

/// What an earlier request with the same key says about this one.
pub enum Existing {
    /// None: go ahead.
    New,
    /// The same body was accepted before: answer with that request.
    Replay(i64),
}

/// Looks up `(principal, key)`: a replay of the same body returns the earlier request; another body is refused.
pub async fn find_existing(pool: &PgPool, principal: &str, key: &str, body: &[u8]) -> Result<Existing, ApiError> {
    let row: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT id, body_hash FROM requests WHERE principal = $1 AND idempotency_key = $2")
            .bind(principal)
            .bind(key)
            .fetch_optional(pool)
            .await
            .map_err(ApiError::internal)?;
    match row {
        None => Ok(Existing::New),
        Some((id, hash)) if hash[..] == Sha256::digest(body)[..] => Ok(Existing::Replay(id)),
        Some(_) => Err(ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            reason: "idempotency_key_reused",
            message: "this Idempotency-Key was used for a different request".into(),
            retry_after: None,
            revert_data: None,
        }),
    }
}

/// Daily limits checked when a request is enqueued: gas on EVM, lamports on Solana.
#[derive(Debug, Clone, Copy)]
pub struct Budgets {
    /// Per principal.
    pub principal: i64,
    /// Relayer-wide.
    pub global: i64,
}

/// The budget table of a chain's requests (gas on EVM, lamports on Solana).
fn budget_table(chain: &str) -> &'static str {
    if chain == "solana" { "lamport_budgets" } else { "gas_budgets" }
}

/// What `enqueue` did.
pub enum Enqueued {
    /// A new request: its view (queued, one event), built without reading it back.
    Fresh(RequestView),
    /// The request that won a race for the same key with the same body.
    Replay(i64),
}

/// Enqueues a request, reserving its gas limit (lamports on Solana) in today's budgets in the same transaction (429
/// and nothing stored when a budget would be exceeded). The row, its first event and the change notification are one
/// statement; the principal's budget row and one of the relayer-wide budget's shards are the two others.
pub async fn enqueue(pool: &PgPool, new: NewRequest<'_>, budgets: Budgets) -> Result<Enqueued, ApiError> {
    let hash = Sha256::digest(new.body).to_vec();
    let mut tx = pool.begin().await.map_err(ApiError::internal)?;
    let inserted: Option<(i64, String)> = sqlx::query_as(
        "WITH r AS (
             INSERT INTO requests (principal, user_id, idempotency_key, body_hash, chain, lane, payload, gas_limit)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (principal, idempotency_key) DO NOTHING
             RETURNING id, created_at),
         e AS (INSERT INTO request_events (request_id, status, detail, at)
               SELECT id, 'queued', 'accepted', created_at FROM r)
         SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
         FROM r, LATERAL (SELECT pg_notify($9, r.id::TEXT)) n",
    )
    .bind(new.principal)
    .bind(new.user_id)
    .bind(new.idempotency_key)
    .bind(&hash)
    .bind(new.chain)
    .bind(new.lane)
    .bind(&new.payload)
    .bind(new.gas_limit)
    .bind(STATUS_CHANNEL)
    .fetch_optional(&mut *tx)
    .await
    .map_err(ApiError::internal)?;
    let Some((id, at)) = inserted else {
        drop(tx);
        return match find_existing(pool, new.principal, new.idempotency_key, new.body).await? {
            Existing::Replay(id) => Ok(Enqueued::Replay(id)),
            Existing::New => Err(ApiError::internal("idempotency row vanished")),
        };
    };
    let over = |reason, message: &str| ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        reason,
        message: message.into(),
        retry_after: Some(3_600),
        revert_data: None,
    };
    // The principal's row before the relayer-wide shard (the order `settle` locks them in).
    let table = budget_table(new.chain);
    if !reserve(&mut tx, table, new.principal, new.gas_limit, budgets.principal).await.map_err(ApiError::internal)? {
        return Err(over("user_budget_exceeded", "your daily sponsorship allowance is used up"));
    }
    if !reserve_global(&mut tx, table, new.principal, new.gas_limit, budgets.global)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(over("global_budget_exceeded", "the relayer's daily sponsorship budget is used up"));
    }
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(Enqueued::Fresh(RequestView {
        id,
        chain: new.chain.to_owned(),
        status: "queued".into(),
        tx_hash: None,
        block: None,
        gas_used: None,
        lamports: None,
        error: None,
        events: vec![RequestEvent { status: "queued".into(), detail: Some("accepted".into()), at }],
    }))
}

/// Appends a status event and announces the change (delivered when `tx` commits).
pub async fn record(
    tx: &mut Transaction<'_, Postgres>,
    request_id: i64,
    status: &str,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO request_events (request_id, status, detail) VALUES ($1, $2, $3)")
        .bind(request_id)
        .bind(status)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(STATUS_CHANNEL)
        .bind(request_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends the same status to several requests, each with its own detail, and announces every change (delivered
/// when `tx` commits): one statement.
pub async fn record_many(
    tx: &mut Transaction<'_, Postgres>,
    request_ids: &[i64],
    status: &str,
    details: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH e AS (INSERT INTO request_events (request_id, status, detail)
                    SELECT id, $3, detail FROM UNNEST($1::BIGINT[], $2::TEXT[]) AS u(id, detail)
                    RETURNING request_id)
         SELECT count(pg_notify($4, request_id::TEXT)) FROM e",
    )
    .bind(request_ids)
    .bind(details)
    .bind(status)
    .bind(STATUS_CHANNEL)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    chain: String,
    status: String,
    tx_hash: Option<Vec<u8>>,
    mined_block: Option<i64>,
    gas_used: Option<i64>,
    error: Option<String>,
}

/// A request with its history. With a session (`principal` = `user:<id>`) only that user's requests are found;
/// without one only wallet requests (`evm:<address>`, `sol:<address>`), whose content is public on chain anyway.
/// Another principal's request is "not found".
pub async fn view(pool: &PgPool, id: i64, principal: Option<&str>) -> Result<RequestView, ApiError> {
    let row: Option<StatusRow> = sqlx::query_as(
        "SELECT chain, status, tx_hash, mined_block, gas_used, error FROM requests
         WHERE id = $1 AND (principal = $2 OR ($2 IS NULL AND (principal LIKE 'evm:%' OR principal LIKE 'sol:%')))",
    )
    .bind(id)
    .bind(principal)
    .fetch_optional(pool)
    .await
    .map_err(ApiError::internal)?;
    let Some(StatusRow { chain, status, tx_hash, mined_block: block, gas_used, error }) = row else {
        return Err(ApiError {
            status: StatusCode::NOT_FOUND,
            reason: "request_not_found",
            message: format!("no request {id} of yours"),
            retry_after: None,
            revert_data: None,
        });
    };
    let events: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT status, detail, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
         FROM request_events WHERE request_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(ApiError::internal)?;
    let solana = chain == "solana";
    let tx_hash = tx_hash.map(|h| match solana_signature::Signature::try_from(h.as_slice()) {
        Ok(signature) if solana => signature.to_string(),
        _ => format!("0x{}", hex::encode(h)),
    });
    Ok(RequestView {
        id,
        status,
        tx_hash,
        block,
        gas_used: gas_used.filter(|_| !solana),
        lamports: gas_used.filter(|_| solana),
        chain,
        error,
        events: events.into_iter().map(|(status, detail, at)| RequestEvent { status, detail, at }).collect(),
    })
}

/// Reserves `amount` of today's budget in `table` for `principal` (at most `limit`) in `tx`; false when it would
/// exceed it.
async fn reserve(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    principal: &str,
    amount: i64,
    limit: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "INSERT INTO {table} (principal, day, reserved) SELECT $1, current_date, $2 WHERE $2 <= $3
         ON CONFLICT (principal, day) DO UPDATE SET reserved = {table}.reserved + $2
         WHERE {table}.reserved + $2 <= $3 RETURNING reserved"
    ))
    .bind(principal)
    .bind(amount)
    .bind(limit)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// The relayer-wide budget is kept in 16 shards (`*0` … `*15`, a principal's shard fixed by a hash of it), so that
/// concurrent acceptances do not all wait for one row lock until their commits. The limit is checked against the sum
/// of the shards as the acceptance sees them: concurrent acceptances may overshoot it by at most what they reserve
/// together (a few requests' worth), never more.
const GLOBAL_SHARD: &str = "'*' || (hashtext($1) & 15)::TEXT";

/// Reserves `amount` of today's relayer-wide budget (at most `limit` in all) in `principal`'s shard.
async fn reserve_global(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    principal: &str,
    amount: i64,
    limit: i64,
) -> Result<bool, sqlx::Error> {
    // The shards by name (an index lookup each; `LIKE '*%'` cannot use the primary key under a non-C collation).
    let shards: Vec<String> = (0..16).map(|i| format!("*{i}")).collect();
    let (total,): (i64,) = sqlx::query_as(&format!(
        "SELECT coalesce(sum(reserved), 0)::BIGINT FROM {table} WHERE principal = ANY($1) AND day = current_date"
    ))
    .bind(&shards)
    .fetch_one(&mut **tx)
    .await?;
    if total.saturating_add(amount) > limit {
        return Ok(false);
    }
    sqlx::query(&format!(
        "INSERT INTO {table} (principal, day, reserved) VALUES ({GLOBAL_SHARD}, current_date, $2)
         ON CONFLICT (principal, day) DO UPDATE SET reserved = {table}.reserved + $2"
    ))
    .bind(principal)
    .bind(amount)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Gives back what a final request reserved but did not use (its gas limit minus its gas used; lamports on
/// Solana), to its principal and to the relayer-wide budget, on the day it was accepted.
pub async fn settle(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    request_id: i64,
    used: i64,
) -> Result<(), sqlx::Error> {
    settle_many(tx, chain, &[request_id], &[used]).await
}

/// [`settle`] for several requests: per budget row, one give-back of their sum. The principals' rows first, then
/// the relayer-wide shards, each set locked in a fixed order (so two settlements, or a settlement and an
/// acceptance, never wait on each other in opposite orders).
pub async fn settle_many(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    request_ids: &[i64],
    used: &[i64],
) -> Result<(), sqlx::Error> {
    let table = budget_table(chain);
    for row in ["r.principal", "'*' || (hashtext(r.principal) & 15)::TEXT"] {
        let give_back = format!(
            "SELECT {row} AS p, r.created_at::DATE AS day, sum(r.gas_limit - u.used)::BIGINT AS back
             FROM UNNEST($1::BIGINT[], $2::BIGINT[]) AS u(id, used) JOIN requests r ON r.id = u.id GROUP BY 1, 2"
        );
        sqlx::query(&format!(
            "SELECT b.principal FROM {table} b JOIN ({give_back}) d ON b.principal = d.p AND b.day = d.day
             ORDER BY b.principal, b.day FOR UPDATE OF b"
        ))
        .bind(request_ids)
        .bind(used)
        .execute(&mut **tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE {table} b SET reserved = greatest(b.reserved - d.back, 0) FROM ({give_back}) d
             WHERE b.principal = d.p AND b.day = d.day"
        ))
        .bind(request_ids)
        .bind(used)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
