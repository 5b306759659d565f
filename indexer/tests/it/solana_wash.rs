//! Wash-trade flags on Solana, on the local node with real transactions: a back-and-forth trade, a repeat buyer
//! and two wallets first funded (in SOL) by the same wallet are flagged by the same rules as on EVM, excluded from
//! `/solana/v1/prices/*` unless `include_wash=true`, listed by `/solana/v1/wash-trades`; a rollback of the slot that
//! raised the repeat-buyer flags removes them, and re-ingesting raises them again.

use crate::solana::{SOL, SolanaFixture, funded, get, pay, send, wait_synced};
use mercato_indexer::solana::store as sstore;
use mercato_indexer::{api, db};
use mercato_solana_client::anchor_lang::solana_program::system_instruction;
use mercato_solana_client::defaults::MRC;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A new wallet whose first SOL comes from `funder` (a plain System transfer).
async fn funded_by(rpc: &RpcClient, funder: &Keypair) -> Keypair {
    let wallet = Keypair::new();
    send(rpc, &[system_instruction::transfer(&funder.pubkey(), &wallet.pubkey(), 2 * SOL)], funder).await;
    wallet
}

/// A new wallet with its own funder (so that it shares a first funder with nobody).
async fn independent(rpc: &RpcClient) -> Keypair {
    let funder = funded(rpc).await;
    funded_by(rpc, &funder).await
}

type Flags = BTreeMap<(String, String, String), Vec<String>>;

/// `/solana/v1/wash-trades`: (seller, buyer, price) → rules.
async fn flags(api: &str) -> Flags {
    let (status, body) = get(api, "/solana/v1/wash-trades?limit=500").await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let key =
                (w["seller"].as_str().unwrap().into(), w["buyer"].as_str().unwrap().into(), w["price"].to_string());
            let rules = w["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect();
            (key, rules)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn solana_wash_trades_are_flagged_excluded_from_prices_and_rolled_back() {
    let Some(f) = SolanaFixture::start("the indexer's Solana wash test", "solana_wash").await else { return };
    let rpc = &f.rpc;
    let indexer = f.indexer(Duration::from_millis(50));
    let chain = indexer.chain().to_owned();
    let state = api::AppState {
        pool: db::connect_base58(&f.url, 4).await.unwrap(),
        chain: chain.clone(),
        status: Some(indexer.status()),
        max_lag: 150,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let evm_state = api::AppState {
        pool: f.pool.clone(),
        chain: "evm:31337".into(),
        status: None,
        cache: Default::default(),
        ..state.clone()
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(indexer.follow(stopped));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mercato_indexer::serve_app(
        listener,
        api::router_with_solana(evm_state, Some(state)),
        std::future::pending(),
    ));

    // Traders, each first funded in SOL by its own wallet, except C and D, funded by the same one.
    let (a, b) = (independent(rpc).await, independent(rpc).await);
    let common = funded(rpc).await;
    let (c, d) = (funded_by(rpc, &common).await, funded_by(rpc, &common).await);
    let e = independent(rpc).await;
    let r = independent(rpc).await;
    let mut s = Vec::new();
    for _ in 0..5 {
        s.push(independent(rpc).await);
    }
    let holder = &f.roles.genesis_holder;
    for who in [&a, &b, &d, &e, &r].into_iter().chain(s.iter()) {
        pay(rpc, holder, &who.pubkey(), 1_000 * MRC).await;
    }
    let first = f.next_item_id().await;
    let (x, z, w, y) = (
        f.mint(&a.pubkey(), first, 7).await,
        f.mint(&c.pubkey(), first + 1, 7).await,
        f.mint(&a.pubkey(), first + 2, 7).await,
        f.mint(&s[0].pubkey(), first + 3, 7).await,
    );

    // (seller, buyer, price) of every sale, and what the rules say of it.
    let mut expected: Flags = BTreeMap::new();
    let mut all_prices = Vec::new();
    let mut sale = async |item, seller: &Keypair, buyer: &Keypair, price: u64, rules: &[&str]| {
        let slot = f.sell(item, seller, buyer, price * MRC).await;
        all_prices.push(price * MRC);
        if !rules.is_empty() {
            let key = (seller.pubkey().to_string(), buyer.pubkey().to_string(), format!("\"{}\"", price * MRC));
            expected.insert(key, rules.iter().map(|r| r.to_string()).collect());
        }
        slot
    };
    // Back and forth: A→B, then B→A (both flagged).
    sale(x, &a, &b, 10, &["back_and_forth"]).await;
    sale(x, &b, &a, 12, &["back_and_forth"]).await;
    // First funded by the same wallet.
    sale(z, &c, &d, 20, &["common_funder"]).await;
    // Clean.
    sale(w, &a, &e, 30, &[]).await;
    // R buys item Y three times (never back from a wallet R sold it to): its three purchases are flagged.
    sale(y, &s[0], &r, 40, &["repeat_buyer"]).await;
    sale(y, &r, &s[1], 41, &[]).await;
    sale(y, &s[1], &s[2], 42, &[]).await;
    sale(y, &s[2], &r, 43, &["repeat_buyer"]).await;
    sale(y, &r, &s[3], 44, &[]).await;
    sale(y, &s[3], &s[4], 45, &[]).await;
    let third = sale(y, &s[4], &r, 46, &["repeat_buyer"]).await;
    let mut clean: Vec<u64> = vec![30, 41, 42, 44, 45].into_iter().map(|p| p * MRC).collect();
    clean.sort();
    wait_synced(rpc, &f.pool, &chain).await;

    let flagged = flags(&api).await;
    assert_eq!(flagged, expected, "flags: the rules on the chain's sales");
    let (_, repeat) = get(&api, "/solana/v1/wash-trades?rule=repeat_buyer").await;
    assert_eq!(repeat["items"].as_array().unwrap().len(), 3, "{repeat}");
    assert!(repeat["items"].as_array().unwrap().iter().all(|t| t["buyer"] == r.pubkey().to_string()));
    // The funders the rule used: C and D share theirs, A's is its own funder wallet.
    let funder = |wallet: Vec<u8>| {
        let pool = f.pool.clone();
        let chain = chain.clone();
        async move {
            let row: (Option<Vec<u8>>,) =
                sqlx::query_as("SELECT funder FROM solana_funders WHERE chain = $1 AND wallet = $2")
                    .bind(chain)
                    .bind(wallet)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            row.0
        }
    };
    let common_key = Some(common.pubkey().to_bytes().to_vec());
    assert_eq!(funder(c.pubkey().to_bytes().to_vec()).await, common_key);
    assert_eq!(funder(d.pubkey().to_bytes().to_vec()).await, common_key);
    assert_ne!(funder(a.pubkey().to_bytes().to_vec()).await, funder(b.pubkey().to_bytes().to_vec()).await);

    // Prices: wash trades excluded by default, counted with include_wash=true.
    let collection = f.solana.accounts.collection;
    for (query, prices) in [("", clean.clone()), ("?include_wash=true", all_prices.clone())] {
        for path in [
            format!("/solana/v1/prices/collections/{collection}{query}"),
            format!("/solana/v1/prices/classes/7{query}"),
        ] {
            let (status, view) = get(&api, &path).await;
            assert_eq!(status, 200, "{path}: {view}");
            let volume: u64 = prices.iter().sum();
            assert_eq!(view["trades_7d"], prices.len(), "{path}: {view}");
            assert_eq!(view["volume_7d"], volume.to_string(), "{path}: {view}");
            assert_eq!(view["include_wash"], !query.is_empty());
        }
    }
    let (_, candles) = get(&api, "/solana/v1/prices/classes/7/candles?interval=1d&from=0").await;
    let trades: i64 = candles["items"].as_array().unwrap().iter().map(|c| c["trades"].as_i64().unwrap()).sum();
    assert_eq!(trades, clean.len() as i64, "candles exclude wash trades: {candles}");

    // A rollback of the third purchase's slot (the finality re-check finding that block replaced) removes the
    // repeat-buyer flags it raised; re-ingesting raises them again.
    stop.send(true).unwrap();
    follower.await.unwrap().unwrap();
    let mut again = f.indexer(Duration::from_millis(50));
    sqlx::query("UPDATE blocks SET hash = '\\x00' WHERE chain = $1 AND number = $2")
        .bind(&chain)
        .bind(third as i64)
        .execute(&f.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM solana_finality WHERE chain = $1").bind(&chain).execute(&f.pool).await.unwrap();
    let started = Instant::now();
    while again.verify().await.unwrap() == 0 {
        assert!(started.elapsed() < Duration::from_secs(30), "slot {third} never checked as final");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sstore::checkpoint(&f.pool, &chain).await.unwrap(), Some(third - 1));
    let mut without_repeat = expected.clone();
    without_repeat.retain(|_, rules| rules != &["repeat_buyer"]);
    assert_eq!(flags(&api).await, without_repeat, "the rollback removed exactly the repeat-buyer flags");
    let (_, view) = get(&api, &format!("/solana/v1/prices/collections/{collection}")).await;
    assert_eq!(view["trades_7d"], clean.len() + 2, "R's first two purchases count again: {view}");
    while sstore::checkpoint(&f.pool, &chain).await.unwrap().unwrap() < third {
        again.step().await.unwrap();
    }
    assert_eq!(flags(&api).await, expected, "re-ingested: the same flags");
    f.node.stop().expect("the node stops");
}
