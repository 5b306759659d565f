//! Answers of the price and candle routes cached in memory, keyed by the indexed head.
//!
//! Every request reads the chain's checkpoint row — `(block_number, block_hash, updated_at, rollbacks)`, one
//! primary-key probe. Every transaction that changes the mirror of a chain (a commit, an EVM reorg rollback, a Solana
//! finality rollback) rewrites that row with `updated_at = now()` in the same transaction, and a rollback also counts
//! itself in `rollbacks` (migration `0015`), so the row names one state of the database: a new block and a rollback
//! both give a new key, and the answers cached under the old key are not computed for again.
//!
//! An answer is computed by one SQL statement (one snapshot) started after its key was read, so it is the state of
//! that key or of a later one. The first request for an answer at a new head computes it; concurrent requests for the
//! same answer do not query again (single flight): while it is being computed they are answered with the same
//! answer at the previous head when the new head **extends** it (no rollback in between, a block at least as high):
//! an answer at most one commit behind, never a rolled-back state. Without such an answer they wait for the
//! computation. So one slow answer (hundreds of milliseconds for a 30-day collection chart) delays one request per
//! head, not every request that arrives meanwhile.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Answers kept per head at most (a candle page of 500 is about 130 KB, so at most ~130 MB, and as much again for
/// the previous head's); past it, answers are computed without being kept.
const MAX_ANSWERS: usize = 1_024;

/// The state of a chain's mirror: its checkpoint row (block, hash, `updated_at` in microseconds, rollbacks).
pub type Head = (i64, Vec<u8>, i64, i64);

/// The cache of one API (one chain). Cloning shares it.
#[derive(Clone, Default)]
pub struct AnswerCache {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    head: Option<Head>,
    answers: HashMap<String, Arc<OnceCell<Bytes>>>,
    /// Finished answers of earlier heads that the current head extends, by key.
    previous: HashMap<String, Bytes>,
}

/// What a request does with the cache.
enum Lookup {
    /// Compute the answer (the request made the cell) and keep it.
    Compute(Arc<OnceCell<Bytes>>),
    /// Read the cell, computing it if nobody does (no earlier answer to give meanwhile).
    Wait(Arc<OnceCell<Bytes>>),
    /// Answer with the previous head's answer: another request is computing this head's.
    Previous(Bytes),
    /// Compute without keeping (the cache is full).
    Uncached,
}

/// Reads the head of `chain` (None: nothing ingested yet).
pub async fn head(pool: &PgPool, chain: &str) -> Result<Option<Head>, sqlx::Error> {
    sqlx::query_as(
        "SELECT block_number, block_hash, (extract(epoch FROM updated_at) * 1000000)::bigint, rollbacks
         FROM checkpoints WHERE chain = $1",
    )
    .bind(chain)
    .fetch_optional(pool)
    .await
}

impl Inner {
    /// Moves to `head`: this head's answers so far become the previous answers if `head` extends it, else every
    /// kept answer is dropped.
    fn advance(&mut self, head: Head) {
        if self.head.as_ref() == Some(&head) {
            return;
        }
        let extends = matches!(&self.head, Some(old) if old.3 == head.3 && head.0 >= old.0);
        let finished: Vec<(String, Bytes)> =
            self.answers.drain().filter_map(|(key, cell)| cell.get().map(|b| (key, b.clone()))).collect();
        if !extends || self.previous.len() + finished.len() > MAX_ANSWERS {
            self.previous.clear();
        }
        if extends {
            self.previous.extend(finished);
        }
        self.head = Some(head);
    }

    fn lookup(&mut self, head: Head, key: &str) -> Lookup {
        self.advance(head);
        if let Some(cell) = self.answers.get(key) {
            if cell.initialized() {
                return Lookup::Wait(cell.clone());
            }
            return match self.previous.get(key) {
                Some(answer) => Lookup::Previous(answer.clone()),
                None => Lookup::Wait(cell.clone()),
            };
        }
        if self.answers.len() >= MAX_ANSWERS {
            return Lookup::Uncached;
        }
        let cell = Arc::new(OnceCell::new());
        self.answers.insert(key.to_owned(), cell.clone());
        Lookup::Compute(cell)
    }

    /// Forgets `cell` under `key` if it is still there unfinished (its computation failed or was dropped), so the
    /// next request computes instead of being answered from the previous head for ever.
    fn abandon(&mut self, key: &str, cell: &Arc<OnceCell<Bytes>>) {
        if let Some(kept) = self.answers.get(key)
            && Arc::ptr_eq(kept, cell)
            && !kept.initialized()
        {
            self.answers.remove(key);
        }
    }
}

/// Drops an unfinished cell when the request computing it ends without an answer (an error, or the client gone).
struct Computing<'a> {
    cache: &'a AnswerCache,
    key: &'a str,
    cell: Arc<OnceCell<Bytes>>,
}

impl Drop for Computing<'_> {
    fn drop(&mut self) {
        if !self.cell.initialized()
            && let Ok(mut inner) = self.cache.inner.lock()
        {
            inner.abandon(self.key, &self.cell);
        }
    }
}

impl AnswerCache {
    /// The JSON answer `key` at the current head of `chain`: cached, or computed by `compute` (one SQL statement
    /// rendering the answer as JSON) and kept for this head; while another request computes it, the previous head's
    /// answer if this head extends that one. Nothing is cached before anything is ingested.
    pub async fn json<F>(&self, pool: &PgPool, chain: &str, key: String, compute: F) -> Result<Response, ApiError>
    where
        F: Future<Output = Result<Bytes, ApiError>>,
    {
        let Some(head) = head(pool, chain).await? else { return compute.await.map(json_response) };
        let lookup = self.inner.lock().expect("answer cache poisoned").lookup(head, &key);
        let (result, cell) = match lookup {
            Lookup::Previous(answer) => {
                metrics::counter!("indexer_answer_cache_total", "result" => "previous_head").increment(1);
                return Ok(json_response(answer));
            }
            Lookup::Uncached => return compute.await.map(json_response),
            Lookup::Wait(cell) => (if cell.initialized() { "hit" } else { "wait" }, cell),
            Lookup::Compute(cell) => ("miss", cell),
        };
        metrics::counter!("indexer_answer_cache_total", "result" => result).increment(1);
        let _computing = Computing { cache: self, key: &key, cell: cell.clone() };
        cell.get_or_try_init(|| compute).await.map(|b| json_response(b.clone()))
    }
}

fn json_response(body: Bytes) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(block: i64, at: i64, rollbacks: i64) -> Head {
        (block, vec![block as u8], at, rollbacks)
    }

    fn finish(lookup: Lookup, answer: &'static str) {
        match lookup {
            Lookup::Compute(cell) => cell.set(Bytes::from_static(answer.as_bytes())).unwrap(),
            _ => panic!("the first request at a head computes"),
        }
    }

    fn previous(lookup: Lookup) -> Option<Bytes> {
        match lookup {
            Lookup::Previous(answer) => Some(answer),
            Lookup::Wait(_) => None,
            _ => panic!("a second request while the first computes reads the previous answer or waits"),
        }
    }

    #[test]
    fn while_a_new_head_is_computed_the_previous_answer_is_served_unless_a_rollback_came_between() {
        let mut inner = Inner::default();
        // Head 10: the first request computes; the next one finds the answer.
        finish(inner.lookup(head(10, 1, 0), "k"), "at 10");
        assert!(matches!(inner.lookup(head(10, 1, 0), "k"), Lookup::Wait(cell) if cell.initialized()));
        // Head 11 (a new block): the first request computes; one arriving meanwhile gets head 10's answer.
        let computing = inner.lookup(head(11, 2, 0), "k");
        assert_eq!(previous(inner.lookup(head(11, 2, 0), "k")).as_deref(), Some(&b"at 10"[..]));
        // Another key never answered before has nothing to fall back on: it waits.
        assert!(matches!(inner.lookup(head(11, 2, 0), "other"), Lookup::Compute(_)));
        assert!(previous(inner.lookup(head(11, 2, 0), "other")).is_none());
        finish(computing, "at 11");
        // Head 9 after a rollback (the count moved): head 11's answer is a rolled-back state, never served.
        let _computing = inner.lookup(head(9, 3, 1), "k");
        assert!(previous(inner.lookup(head(9, 3, 1), "k")).is_none(), "a rolled-back answer was served");
        // A rollback to the same block number with another hash also counts: nothing from before it is served.
        let mut inner = Inner::default();
        finish(inner.lookup(head(10, 1, 0), "k"), "at 10");
        let _computing = inner.lookup((10, vec![99], 2, 1), "k");
        assert!(previous(inner.lookup((10, vec![99], 2, 1), "k")).is_none());
    }

    #[test]
    fn an_abandoned_computation_is_forgotten_so_the_next_request_computes() {
        let mut inner = Inner::default();
        finish(inner.lookup(head(10, 1, 0), "k"), "at 10");
        let Lookup::Compute(cell) = inner.lookup(head(11, 2, 0), "k") else { panic!("computes") };
        inner.abandon("k", &cell);
        assert!(matches!(inner.lookup(head(11, 2, 0), "k"), Lookup::Compute(_)), "the next request computes");
    }
}
