//! Adaptive backfill ranges against a node that refuses large answers, as hosted RPC providers do: a proxy in front
//! of anvil fails every `eth_getLogs` that would return more than 20 logs. The backfill shrinks its range on the
//! error, grows it again over empty blocks, and the mirror still ends equal to the chain.

use crate::common::{Harness, MRC, assert_mirror_matches_chain};
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::providers::ext::AnvilApi;
use axum::extract::State;
use axum::routing::post;
use mercato_evm_bindings::MercatoToken;
use mercato_indexer::evm::source::EvmSource;
use mercato_indexer::ingest::{Indexer, IngestConfig};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const MAX_RESULTS: usize = 20;

#[derive(Clone)]
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    refused: Arc<AtomicU64>,
}

async fn forward(State(proxy): State<Proxy>, body: String) -> axum::Json<Value> {
    let request: Value = serde_json::from_str(&body).unwrap();
    let response: Value = proxy
        .http
        .post(&proxy.upstream)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // A range of one block is always answered, as providers answer a single block (their limits are far above what
    // one block holds; here a busy block of the deploy script — several of its transactions mined together when the
    // machine is loaded — can hold more than 20 logs, and no range can be smaller).
    let filter = &request["params"][0];
    let one_block = filter["fromBlock"].is_string() && filter["fromBlock"] == filter["toBlock"];
    let too_many = request["method"] == "eth_getLogs"
        && !one_block
        && response["result"].as_array().is_some_and(|logs| logs.len() > MAX_RESULTS);
    if too_many {
        proxy.refused.fetch_add(1, Ordering::Relaxed);
        return axum::Json(json!({
            "jsonrpc": "2.0", "id": request["id"],
            "error": {"code": -32005, "message": format!("query returned more than {MAX_RESULTS} results")}
        }));
    }
    axum::Json(response)
}

#[tokio::test(flavor = "multi_thread")]
async fn backfill_shrinks_on_too_many_results_and_grows_over_empty_blocks() {
    let h = Harness::new(&[], "ranges").await;
    let owner = h.wallet(0);
    let token = MercatoToken::new(h.evm().contracts.token, &owner);
    // 60 busy blocks (a transfer each, to 6 recipients), then 1,000 empty ones.
    let mut last = None;
    for i in 0..60u64 {
        let to = Address::left_padding_from(&[0xab, (i % 6) as u8]);
        last = Some(token.transfer(to, U256::from(MRC)).gas(300_000).send().await.unwrap());
    }
    last.unwrap().with_timeout(Some(Duration::from_secs(30))).get_receipt().await.unwrap();
    owner.anvil_mine(Some(1_000), None).await.unwrap();
    let head = owner.get_block_number().await.unwrap();

    let refused = Arc::new(AtomicU64::new(0));
    let proxy = Proxy { upstream: h.deployed.anvil.endpoint(), http: reqwest::Client::new(), refused: refused.clone() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/", post(forward)).with_state(proxy)).await.unwrap();
    });

    let evm = h.evm();
    let addresses = evm.contracts.named().iter().map(|(_, a)| *a).collect();
    let config = IngestConfig { initial_range: 64, max_range: 256, ..IngestConfig::default() };
    let source = EvmSource::connect(&proxy_url, addresses).unwrap();
    let mut indexer = Indexer::new(h.pool.clone(), source, evm.chain_id, evm.contracts, evm.deploy_block, config);
    let mut ranges = Vec::new();
    indexer.backfill(head, |_, step| ranges.push(step.range)).await.unwrap();

    assert!(refused.load(Ordering::Relaxed) > 0, "the proxy refused some ranges");
    let smallest = *ranges.iter().min().unwrap();
    assert!(smallest <= 16, "the range shrank below the busy blocks' limit: {ranges:?}");
    assert_eq!(*ranges.last().unwrap(), 256, "the range grew back to the maximum over empty blocks: {ranges:?}");
    assert_mirror_matches_chain(&h).await;
    eprintln!("ranges: {ranges:?}; refused {}", refused.load(Ordering::Relaxed));
}
