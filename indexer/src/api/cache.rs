//! Answers of the price and candle routes cached in memory, keyed by the indexed head.
//!
//! Every request reads the chain's checkpoint row — `(block_number, block_hash, updated_at)`, one primary-key probe.
//! Every transaction that changes the mirror of a chain (a commit, an EVM reorg rollback, a Solana finality
//! rollback) rewrites that row with `updated_at = now()` in the same transaction, so the triple names one state of
//! the database: a new block and a rollback both give a new key, and the answers cached under the old key are
//! never served again (the cache holds one head at a time and is emptied when the head changes).
//!
//! An answer is computed by one SQL statement (one snapshot) started after its key was read, so it is the state of
//! that key or of a later one; a request that read key `K` and finds an answer under `K` therefore gets the state
//! of a moment during its own lifetime — never a state rolled back before the request began. Concurrent misses of
//! the same answer wait for one computation (single flight) instead of all querying.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Answers kept per head at most (a candle page of 500 is about 130 KB, so at most ~130 MB); past it, answers are
/// computed without being kept.
const MAX_ANSWERS: usize = 1_024;

/// The state of a chain's mirror: its checkpoint row (block, hash, `updated_at` in microseconds).
pub type Head = (i64, Vec<u8>, i64);

/// The cache of one API (one chain). Cloning shares it.
#[derive(Clone, Default)]
pub struct AnswerCache {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    head: Option<Head>,
    answers: HashMap<String, Arc<OnceCell<Bytes>>>,
}

/// Reads the head of `chain` (None: nothing ingested yet).
pub async fn head(pool: &PgPool, chain: &str) -> Result<Option<Head>, sqlx::Error> {
    sqlx::query_as(
        "SELECT block_number, block_hash, (extract(epoch FROM updated_at) * 1000000)::bigint
         FROM checkpoints WHERE chain = $1",
    )
    .bind(chain)
    .fetch_optional(pool)
    .await
}

impl AnswerCache {
    /// The JSON answer `key` at the current head of `chain`: cached, or computed by `compute` (one SQL statement
    /// rendering the answer as JSON) and kept for this head. Nothing is cached before anything is ingested.
    pub async fn json<F>(&self, pool: &PgPool, chain: &str, key: String, compute: F) -> Result<Response, ApiError>
    where
        F: Future<Output = Result<Bytes, ApiError>>,
    {
        let Some(head) = head(pool, chain).await? else { return compute.await.map(json_response) };
        let cell = {
            let mut inner = self.inner.lock().expect("answer cache poisoned");
            if inner.head.as_ref() != Some(&head) {
                inner.head = Some(head);
                inner.answers.clear();
            }
            if let Some(cell) = inner.answers.get(&key) {
                Some(cell.clone())
            } else if inner.answers.len() < MAX_ANSWERS {
                let cell = Arc::new(OnceCell::new());
                inner.answers.insert(key, cell.clone());
                Some(cell)
            } else {
                None
            }
        };
        match cell {
            Some(cell) => {
                metrics::counter!("indexer_answer_cache_total", "result" => if cell.initialized() { "hit" } else { "miss" })
                    .increment(1);
                cell.get_or_try_init(|| compute).await.map(|b| json_response(b.clone()))
            }
            None => compute.await.map(json_response),
        }
    }
}

fn json_response(body: Bytes) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}
