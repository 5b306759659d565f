//! The answer cache of the price and candle routes (`api::cache`) never serves an answer of a state that is gone:
//! a new block and a rollback each change the key. The decisive case is a reorg that replaces a block at the same
//! height: a cache keyed by block number alone would keep serving the replaced block's sale.

use alloy::primitives::B256;
use mercato_indexer::store::{self, Checkpoint};
use mercato_indexer::{api, db};
use mercato_postgres::LocalPostgres;
use serde_json::Value;
use sqlx::PgPool;

const CHAIN: &str = "evm:31337";
const NOW: i64 = 1_800_000_000;

fn hash(n: u8) -> B256 {
    B256::repeat_byte(n)
}

/// Commits block `number` (hash `hash(tag)`) with one class-7 sale at `price` tokens, as ingest does: block, sale
/// and checkpoint in one transaction.
async fn commit(pool: &PgPool, number: i64, tag: u8, price: i64) {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("INSERT INTO blocks (chain, number, hash, parent_hash, timestamp) VALUES ($1, $2, $3, $4, $5)")
        .bind(CHAIN)
        .bind(number)
        .bind(hash(tag).as_slice())
        .bind(B256::ZERO.as_slice())
        .bind(NOW + number)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sales (chain, block_number, log_index, tx_hash, block_time, house, listing_id, kind, seller, buyer,
                            nft, token_id, item_class, currency, price, fee, royalty, royalty_receiver)
         VALUES ($1, $2, 0, '\\xaa', $3, '\\xbb', $2, 'fixed', '\\x01', '\\x02', '\\xc1', 1, 7, '\\xcc', $4, 0, 0, '\\xdd')",
    )
    .bind(CHAIN)
    .bind(number)
    .bind(NOW + number)
    .bind(price)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO checkpoints (chain, block_number, block_hash) VALUES ($1, $2, $3)
         ON CONFLICT (chain) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
         updated_at = now()",
    )
    .bind(CHAIN)
    .bind(number)
    .bind(hash(tag).as_slice())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn get(base: &str, path: &str) -> Value {
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn cached_price_answers_follow_new_blocks_and_rollbacks() {
    let pg = LocalPostgres::start().unwrap();
    let pool = db::connect(&pg.create_database("answer_cache").unwrap(), 4).await.unwrap();
    let state = api::AppState {
        pool: pool.clone(),
        chain: CHAIN.into(),
        status: None,
        max_lag: 5,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mercato_indexer::serve(listener, state, std::future::pending()));
    let prices = "/v1/prices/classes/7";
    let candles = format!("/v1/prices/classes/7/candles?interval=1d&from={}", NOW - NOW % 86_400);

    commit(&pool, 1, 1, 100).await;
    let first = get(&base, prices).await;
    assert_eq!((first["last_sale_price"].as_str(), first["trades_24h"].as_i64()), (Some("100"), Some(1)));
    assert_eq!(get(&base, prices).await, first, "same head, same answer");

    // A new block: the cached answer of block 1 is not served.
    commit(&pool, 2, 2, 200).await;
    let second = get(&base, prices).await;
    assert_eq!((second["last_sale_price"].as_str(), second["trades_24h"].as_i64()), (Some("200"), Some(2)));
    assert_eq!(get(&base, &candles).await["items"][0]["close"], "200");

    // Reorg: block 2 replaced by another block 2 (same height, another hash) with another sale, before any request
    // saw the rollback: the answer of the replaced block is not served.
    let replayed = store::rollback(&pool, CHAIN, 2, Checkpoint { number: 1, hash: hash(1) }).await.unwrap();
    assert_eq!(replayed, 0, "no state table was written");
    commit(&pool, 2, 3, 300).await;
    let replaced = get(&base, prices).await;
    assert_eq!((replaced["last_sale_price"].as_str(), replaced["trades_24h"].as_i64()), (Some("300"), Some(2)));
    assert_eq!(replaced["volume_24h"], "400");
    let candle = &get(&base, &candles).await["items"][0];
    assert_eq!(
        (candle["close"].as_str(), candle["high"].as_str(), candle["trades"].as_i64()),
        (Some("300"), Some("300"), Some(2))
    );

    // Rolled back to block 1: block 1's answer again.
    store::rollback(&pool, CHAIN, 2, Checkpoint { number: 1, hash: hash(1) }).await.unwrap();
    assert_eq!(get(&base, prices).await, first);
    assert_eq!(get(&base, &candles).await["items"][0]["close"], "100");
}
