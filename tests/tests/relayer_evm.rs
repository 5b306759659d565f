//! The relayer on EVM, end to end: the real deploy script on anvil (`--block-time 1`), a real Postgres, the relayer's
//! HTTP API and engine. A custodial user with zero ETH bids in an auction and votes on a proposal; a wallet user with
//! zero ETH does the same by signing forward requests; idempotency, refusals (which spend no gas), budgets, another
//! user's session, and the status event stream.

use alloy::network::EthereumWallet;
use alloy::primitives::{Address, B256, Bytes, U256, aliases::U48};
use alloy::providers::{Provider, ProviderBuilder, ext::AnvilApi};
use alloy::signers::{SignerSync, local::PrivateKeySigner};
use alloy::sol_types::{SolCall, SolStruct, eip712_domain};
use mercato_e2e::evm::{Deployed, deploy};
use mercato_e2e::relayer::{RelayerClient as Relayer, reason};
use mercato_evm_bindings::{
    AuctionHouse, EconomyConfig, ForwardRequest, MercatoForwarder, MercatoGovernor, MercatoItems, MercatoToken,
};
use mercato_postgres::LocalPostgres;
use mercato_relayer::api::{AppState, sponsor::SponsorPolicy};
use mercato_relayer::evm::engine::{EvmConfig, EvmEngine};
use mercato_relayer::evm::policy::Allowlist;
use mercato_relayer::keys::LocalKeyStore;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MRC: u128 = 1_000_000_000_000_000_000;
const MASTER_KEY: &str = "3333333333333333333333333333333333333333333333333333333333333333";

/// Sends a custodial call and waits for it to be confirmed.
async fn call(relayer: &Relayer, token: &str, key: &str, to: Address, data: Vec<u8>) -> Value {
    let body = json!({"to": to, "data": Bytes::from(data)});
    let (status, accepted) = relayer.post("/v1/evm/calls", body, Some(token), Some(key)).await;
    assert_eq!(status, 202, "{accepted}");
    let view = relayer.wait(accepted["id"].as_i64().unwrap(), Some(token)).await;
    assert_eq!(view["status"], "confirmed", "{view}");
    view
}

async fn start_relayer(
    deployed: &Deployed,
    pool: sqlx::PgPool,
    policy: SponsorPolicy,
    stop: tokio::sync::watch::Receiver<bool>,
    run_engine: bool,
) -> Relayer {
    start_relayer_with(deployed, pool, policy, stop, run_engine, 1, 3).await
}

async fn start_relayer_with(
    deployed: &Deployed,
    pool: sqlx::PgPool,
    policy: SponsorPolicy,
    stop: tokio::sync::watch::Receiver<bool>,
    run_engine: bool,
    confirmations: u64,
    bump_after_blocks: u64,
) -> Relayer {
    let evm = deployed.manifest.evm.as_ref().unwrap();
    let keys = Arc::new(LocalKeyStore::from_hex(MASTER_KEY, &[]).unwrap());
    let senders = (6..=9).map(|i| PrivateKeySigner::from(deployed.anvil.keys()[i].clone())).collect();
    let config = EvmConfig {
        chain_id: evm.chain_id,
        forwarder: evm.contracts.forwarder,
        senders,
        confirmations,
        bump_after_blocks,
        max_fee_cap: 500_000_000_000,
        poll: Duration::from_millis(50),
        batch: 64,
    };
    let engine = EvmEngine::start(pool.clone(), keys.clone(), &deployed.anvil.endpoint(), config).await.unwrap();
    let state = AppState::new(pool, keys, 3_600, mercato_relayer::metrics_handle())
        .with_evm(engine.clone(), Allowlist::mercato(&evm.contracts))
        .with_policy(policy, 1_000);
    if run_engine {
        tokio::spawn(engine.run(stop.clone()));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut stop = stop;
    tokio::spawn(mercato_relayer::serve(listener, state, async move {
        let _ = stop.changed().await;
    }));
    Relayer::new(url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn custodial_and_wallet_users_bid_and_vote_without_eth() {
    let deployed = deploy(&["--block-time", "1"]);
    let evm = deployed.manifest.evm.clone().unwrap();
    let c = evm.contracts;
    let anvil = &deployed.anvil;
    let url: alloy::transports::http::reqwest::Url = anvil.endpoint().parse().unwrap();
    let as_signer =
        |s: &PrivateKeySigner| ProviderBuilder::new().wallet(EthereumWallet::from(s.clone())).connect_http(url.clone());
    let deployer = PrivateKeySigner::from(anvil.keys()[0].clone());
    let seller = PrivateKeySigner::from(anvil.keys()[1].clone());
    let wallet_user = PrivateKeySigner::from(anvil.keys()[5].clone());
    let provider = as_signer(&deployer);
    let token = MercatoToken::new(c.token, &provider);
    let house = AuctionHouse::new(c.auction_house, &provider);
    let governor = MercatoGovernor::new(c.governor, &provider);

    let pg = LocalPostgres::start().unwrap();
    let database = pg.create_database("relayer").unwrap();
    let pool = mercato_relayer::db::connect(&database, 16).await.unwrap();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let policy = SponsorPolicy { user_daily_gas: 5_000_000, global_daily_gas: 1_000_000_000 };
    let relayer = start_relayer(&deployed, pool.clone(), policy, stop.clone(), true).await;

    // ---- a custodial user signs up; the studio pays both users currency (which also gives them votes)
    let (status, session) = relayer
        .post("/v1/auth/signup", json!({"email": "gina@example.com", "password": "gina's long password"}), None, None)
        .await;
    assert_eq!(status, 201, "{session}");
    let gina_token = session["token"].as_str().unwrap().to_owned();
    let gina: Address = session["user"]["evm_address"].as_str().unwrap().parse().unwrap();
    for user in [gina, wallet_user.address()] {
        // An explicit gas limit: an estimate made in the previous block can miss a new vote checkpoint.
        let transfer = token.transfer(user, U256::from(1_000 * MRC)).gas(300_000);
        assert!(transfer.send().await.unwrap().get_receipt().await.unwrap().status());
    }
    provider.anvil_set_balance(wallet_user.address(), U256::ZERO).await.unwrap();
    assert_eq!(provider.get_balance(gina).await.unwrap(), U256::ZERO, "a custodial user never holds ETH");

    // ---- the seller lists an item in a 10-minute English auction (the seller pays its own gas)
    let items = MercatoItems::new(c.items, &provider);
    let item_id = items.nextTokenId().call().await.unwrap();
    let attrs = MercatoItems::Attributes { class: 1, rarity: 2, power: 300 };
    items.mint(seller.address(), attrs).send().await.unwrap().get_receipt().await.unwrap();
    let seller_provider = as_signer(&seller);
    MercatoItems::new(c.items, &seller_provider)
        .setApprovalForAll(c.auction_house, true)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let listing_id = house.nextListingId().call().await.unwrap();
    AuctionHouse::new(c.auction_house, &seller_provider)
        .createEnglish(c.items, item_id, alloy::primitives::Uint::from(10 * MRC), 600)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();

    // ---- a proposal to vote on (fast governance: 1 s delay, 10 min vote)
    let change = EconomyConfig::setMarketFeeBpsCall { bps: 300 }.abi_encode();
    let description = "Raise the market fee to 3%".to_string();
    governor
        .propose(vec![c.economy_config], vec![U256::ZERO], vec![change.clone().into()], description.clone())
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let proposal_id = governor
        .getProposalId(
            vec![c.economy_config],
            vec![U256::ZERO],
            vec![change.into()],
            alloy::primitives::keccak256(description.as_bytes()),
        )
        .call()
        .await
        .unwrap();
    let active = Instant::now();
    while governor.state(proposal_id).call().await.unwrap() != 1 {
        assert!(active.elapsed() < Duration::from_secs(20), "the proposal never became active");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // ---- gina (custodial): approve, bid, vote — the relayer signs as her and pays
    let approve = MercatoToken::approveCall { spender: c.auction_house, value: U256::from(1_000 * MRC) }.abi_encode();
    call(&relayer, &gina_token, "gina-approve", c.token, approve).await;
    let bid = AuctionHouse::bidCall { id: listing_id, amount: alloy::primitives::Uint::from(20 * MRC) }.abi_encode();
    let bid_view = call(&relayer, &gina_token, "gina-bid", c.auction_house, bid.clone()).await;
    let listing = house.listing(listing_id).call().await.unwrap();
    assert_eq!((listing.highBidder, listing.highBid), (gina, alloy::primitives::Uint::from(20 * MRC)));
    let vote = MercatoGovernor::castVoteCall { proposalId: proposal_id, support: 1 }.abi_encode();
    call(&relayer, &gina_token, "gina-vote", c.governor, vote).await;
    assert!(governor.hasVoted(proposal_id, gina).call().await.unwrap(), "gina's vote counted");
    assert_eq!(provider.get_balance(gina).await.unwrap(), U256::ZERO);
    let tx_hash: B256 = bid_view["tx_hash"].as_str().unwrap().parse().unwrap();
    let receipt = provider.get_transaction_receipt(tx_hash).await.unwrap().unwrap();
    let senders: Vec<Address> = (6..=9).map(|i| anvil.addresses()[i]).collect();
    assert!(senders.contains(&receipt.from), "a relayer sender paid");

    // ---- idempotency: the same key and body is the same request; the same key with another body is refused
    let (status, replay) = relayer
        .post(
            "/v1/evm/calls",
            json!({"to": c.auction_house, "data": Bytes::from(bid.clone())}),
            Some(&gina_token),
            Some("gina-bid"),
        )
        .await;
    assert_eq!((status, replay["id"].clone()), (200, bid_view["id"].clone()), "{replay}");
    let other = AuctionHouse::bidCall { id: listing_id, amount: alloy::primitives::Uint::from(99 * MRC) }.abi_encode();
    let (status, refused) = relayer
        .post(
            "/v1/evm/calls",
            json!({"to": c.auction_house, "data": Bytes::from(other)}),
            Some(&gina_token),
            Some("gina-bid"),
        )
        .await;
    assert_eq!((status, reason(&refused)), (422, "idempotency_key_reused".into()));

    // ---- the wallet user (zero ETH) signs forward requests: approve, outbid, vote; watched over SSE
    let forwarder = MercatoForwarder::new(c.forwarder, &provider);
    let domain = eip712_domain! { name: "MercatoForwarder", version: "1", chain_id: evm.chain_id, verifying_contract: c.forwarder, };
    let sign = |nonce: U256, to: Address, data: Vec<u8>| {
        let request = ForwardRequest {
            from: wallet_user.address(),
            to,
            value: U256::ZERO,
            gas: U256::from(300_000),
            nonce,
            deadline: U48::from(4_000_000_000u64),
            data: data.into(),
        };
        let signature = wallet_user.sign_hash_sync(&request.eip712_signing_hash(&domain)).unwrap();
        json!({
            "from": request.from, "to": request.to, "value": "0", "gas": 300_000, "nonce": request.nonce.to_string(),
            "deadline": 4_000_000_000u64, "data": request.data, "signature": Bytes::from(signature.as_bytes().to_vec()),
        })
    };
    let wallet_calls = [
        (
            "w-approve",
            c.token,
            MercatoToken::approveCall { spender: c.auction_house, value: U256::from(1_000 * MRC) }.abi_encode(),
        ),
        (
            "w-bid",
            c.auction_house,
            AuctionHouse::bidCall { id: listing_id, amount: alloy::primitives::Uint::from(30 * MRC) }.abi_encode(),
        ),
        ("w-vote", c.governor, MercatoGovernor::castVoteCall { proposalId: proposal_id, support: 0 }.abi_encode()),
    ];
    for (key, to, data) in wallet_calls {
        let nonce = forwarder.nonces(wallet_user.address()).call().await.unwrap();
        let (status, accepted) = relayer.post("/v1/evm/forward", sign(nonce, to, data), None, Some(key)).await;
        assert_eq!(status, 202, "{key}: {accepted}");
        let id = accepted["id"].as_i64().unwrap();
        if key == "w-bid" {
            // The event stream: the current state, then each change, ending with the final one.
            let response =
                reqwest::Client::new().get(format!("{}/v1/requests/{id}/events", relayer.url)).send().await.unwrap();
            assert_eq!(response.headers()["content-type"], "text/event-stream");
            let text =
                tokio::time::timeout(Duration::from_secs(60), response.text()).await.expect("the stream ends").unwrap();
            let statuses: Vec<String> = text
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .map(|d| serde_json::from_str::<Value>(d).unwrap()["status"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(statuses.last().map(String::as_str), Some("confirmed"), "{text}");
        }
        let view = relayer.wait(id, None).await;
        assert_eq!(view["status"], "confirmed", "{key}: {view}");
    }
    let listing = house.listing(listing_id).call().await.unwrap();
    assert_eq!(listing.highBidder, wallet_user.address(), "the wallet user outbid gina");
    assert!(governor.hasVoted(proposal_id, wallet_user.address()).call().await.unwrap());
    assert_eq!(provider.get_balance(wallet_user.address()).await.unwrap(), U256::ZERO);

    // ---- refusals: each with its reason, and none spends gas
    let balances = || async {
        let mut total = U256::ZERO;
        for sender in &senders {
            total += provider.get_balance(*sender).await.unwrap();
        }
        total
    };
    let before = balances().await;
    let mint = MercatoItems::mintCall { to: gina, attrs: MercatoItems::Attributes { class: 1, rarity: 1, power: 1 } }
        .abi_encode();
    let low_bid = AuctionHouse::bidCall { id: listing_id, amount: alloy::primitives::Uint::from(MRC) }.abi_encode();
    let refusals = [
        (json!({"to": c.timelock, "data": "0x12345678"}), 403, "target_not_allowed"),
        (json!({"to": c.items, "data": Bytes::from(mint)}), 403, "selector_not_allowed"),
        (json!({"to": c.auction_house, "data": Bytes::from(low_bid)}), 422, "simulation_failed"),
        (json!({"to": "0x1234", "data": "0x"}), 400, "malformed_body"),
    ];
    for (i, (body, status, expected)) in refusals.into_iter().enumerate() {
        let (got, response) =
            relayer.post("/v1/evm/calls", body.clone(), Some(&gina_token), Some(&format!("refused-{i}"))).await;
        assert_eq!((got, reason(&response)), (status, expected.to_owned()), "{body}");
        if expected == "simulation_failed" {
            // The revert data comes as a field: the market's AuctionHouseBidTooLow(minimum, offered) error.
            let data = response["error"]["revert_data"].as_str().unwrap_or_else(|| panic!("revert_data: {response}"));
            let bytes = alloy::hex::decode(data).unwrap();
            let decoded = <AuctionHouse::AuctionHouseErrors as alloy::sol_types::SolInterface>::abi_decode(&bytes);
            assert!(matches!(decoded, Ok(AuctionHouse::AuctionHouseErrors::AuctionHouseBidTooLow(_))), "{decoded:?}");
        }
    }
    let (status, response) =
        relayer.post("/v1/evm/calls", json!({"to": c.token, "data": "0x"}), Some(&gina_token), None).await;
    assert_eq!((status, reason(&response)), (400, "missing_idempotency_key".into()));
    let (status, response) = relayer.post("/v1/evm/calls", json!({"to": c.token, "data": "0x"}), None, Some("k")).await;
    assert_eq!((status, reason(&response)), (401, "missing_session".into()));
    // A forged wallet signature (gina's request signed by nobody).
    let mut forged =
        sign(U256::from(99), c.token, MercatoToken::approveCall { spender: gina, value: U256::MAX }.abi_encode());
    forged["from"] = json!(gina);
    let (status, response) = relayer.post("/v1/evm/forward", forged, None, Some("forged")).await;
    assert_eq!((status, reason(&response)), (400, "invalid_forward_request".into()));
    // Another user's session sees none of gina's requests.
    let (_, other_session) = relayer
        .post("/v1/auth/signup", json!({"email": "hal@example.com", "password": "hal's long password"}), None, None)
        .await;
    let hal_token = other_session["token"].as_str().unwrap();
    let (status, response) = relayer.get(&format!("/v1/requests/{}", bid_view["id"]), Some(hal_token)).await;
    assert_eq!((status, reason(&response)), (404, "request_not_found".into()));
    // gina lists her requests, newest first, a page at a time; hal sees none of them.
    let (status, page) = relayer.get("/v1/requests?limit=2", Some(&gina_token)).await;
    assert_eq!(status, 200, "{page}");
    let first: Vec<i64> = page["requests"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(first.len(), 2, "{page}");
    assert!(first[0] > first[1], "newest first: {first:?}");
    let (_, rest) =
        relayer.get(&format!("/v1/requests?limit=100&before={}", page["next_before"]), Some(&gina_token)).await;
    let rest: Vec<i64> = rest["requests"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(!rest.is_empty() && rest.iter().all(|id| id < &first[1]), "{rest:?}");
    assert!(rest.contains(&bid_view["id"].as_i64().unwrap()) || first.contains(&bid_view["id"].as_i64().unwrap()));
    let (_, hal_page) = relayer.get("/v1/requests", Some(hal_token)).await;
    assert_eq!(hal_page["requests"], json!([]), "{hal_page}");
    let (status, response) = relayer.get("/v1/requests?limit=0", Some(&gina_token)).await;
    assert_eq!((status, reason(&response)), (400, "invalid_limit".into()));
    let (status, response) = relayer.get("/v1/requests", None).await;
    assert_eq!((status, reason(&response)), (401, "missing_session".into()));
    // Over budget: a relayer with a 1-gas daily allowance refuses before doing anything.
    let stingy = start_relayer(
        &deployed,
        pool.clone(),
        SponsorPolicy { user_daily_gas: 1, global_daily_gas: 1_000_000_000 },
        stop.clone(),
        false,
    )
    .await;
    let approve = MercatoToken::approveCall { spender: c.auction_house, value: U256::from(1u8) }.abi_encode();
    let (status, response) = stingy
        .post("/v1/evm/calls", json!({"to": c.token, "data": Bytes::from(approve)}), Some(hal_token), Some("hal-1"))
        .await;
    assert_eq!((status, reason(&response)), (429, "user_budget_exceeded".into()));
    // The relayer-wide budget, kept in shards, holds exactly the gas the final requests used; a relayer whose
    // global allowance is that plus one gas refuses the next request.
    let (reserved, used): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT sum(reserved)::BIGINT FROM gas_budgets WHERE principal LIKE '*%'),
                (SELECT sum(gas_used)::BIGINT FROM requests WHERE status IN ('confirmed', 'failed'))",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(reserved, used, "reservations settled to the gas used");
    let policy = SponsorPolicy { user_daily_gas: 1_000_000_000, global_daily_gas: reserved + 1 };
    let full = start_relayer(&deployed, pool.clone(), policy, stop.clone(), false).await;
    let approve = MercatoToken::approveCall { spender: c.auction_house, value: U256::from(2u8) }.abi_encode();
    let (status, response) = full
        .post("/v1/evm/calls", json!({"to": c.token, "data": Bytes::from(approve)}), Some(hal_token), Some("hal-2"))
        .await;
    assert_eq!((status, reason(&response)), (429, "global_budget_exceeded".into()));
    let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests WHERE status IN ('queued', 'submitted')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing refused was queued");
    provider.evm_mine(None).await.unwrap();
    assert_eq!(balances().await, before, "refusals spent no gas");
    let _ = stop_tx.send(true);
}

/// Polls the database until `condition` holds for request `id`.
async fn wait_in_db(pool: &sqlx::PgPool, id: i64, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sql = format!("SELECT count(*) FROM requests WHERE id = $1 AND {condition}");
        let (n,): (i64,) = sqlx::query_as(&sql).bind(id).fetch_one(pool).await.unwrap();
        if n == 1 {
            return;
        }
        assert!(Instant::now() < deadline, "request {id} never reached {condition}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dropped_and_reorged_transactions_land_exactly_once() {
    let deployed = deploy(&["--block-time", "1"]);
    let c = deployed.manifest.evm.as_ref().unwrap().contracts;
    let provider = ProviderBuilder::new().connect_http(deployed.anvil.endpoint().parse().unwrap());
    let pg = LocalPostgres::start().unwrap();
    let pool = mercato_relayer::db::connect(&pg.create_database("relayer").unwrap(), 16).await.unwrap();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let policy = SponsorPolicy { user_daily_gas: 5_000_000, global_daily_gas: 1_000_000_000 };
    // Final at 4 blocks deep; fees bumped after 2 blocks without a receipt.
    let relayer = start_relayer_with(&deployed, pool.clone(), policy, stop, true, 4, 2).await;
    let (_, session) = relayer
        .post("/v1/auth/signup", json!({"email": "ivy@example.com", "password": "ivy's long password"}), None, None)
        .await;
    let token = session["token"].as_str().unwrap().to_owned();
    let ivy: Address = session["user"]["evm_address"].as_str().unwrap().parse().unwrap();
    let forwarder = MercatoForwarder::new(c.forwarder, &provider);
    let mrc = MercatoToken::new(c.token, &provider);
    let approve = |value: u64| json!({"to": c.token, "data": Bytes::from(MercatoToken::approveCall { spender: c.auction_house, value: U256::from(value) }.abi_encode())});

    // 1. Dropped from the pool before any block: after 2 blocks the same nonce goes out again with higher fees.
    provider.anvil_set_interval_mining(0).await.unwrap();
    let (status, accepted) = relayer.post("/v1/evm/calls", approve(1), Some(&token), Some("drop")).await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["id"].as_i64().unwrap();
    wait_in_db(&pool, id, "status = 'submitted'").await;
    // The relayer broadcasts after its commit: wait until anvil holds the transaction, then drop it.
    let (hash,): (Vec<u8>,) =
        sqlx::query_as("SELECT tx_hash FROM requests WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while provider.get_transaction_by_hash(B256::from_slice(&hash)).await.unwrap().is_none() {
        assert!(Instant::now() < deadline, "the relayer never broadcast the transaction");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    provider.anvil_drop_all_transactions().await.unwrap();
    provider.anvil_set_interval_mining(1).await.unwrap();
    let view = relayer.wait(id, Some(&token)).await;
    assert_eq!(view["status"], "confirmed", "{view}");
    let fees: Vec<(String, String)> = sqlx::query_as(
        "SELECT max_fee::TEXT, priority_fee::TEXT FROM evm_attempts WHERE request_id = $1 ORDER BY created_at",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(fees.len() >= 2, "the dropped transaction was replaced: {fees:?}");
    let (first, second): (u128, u128) = (fees[0].0.parse().unwrap(), fees[1].0.parse().unwrap());
    let (first_tip, second_tip): (u128, u128) = (fees[0].1.parse().unwrap(), fees[1].1.parse().unwrap());
    assert!(second * 8 >= first * 9 && second_tip * 8 >= first_tip * 9, "both fees up at least 12.5%: {fees:?}");
    assert_eq!(forwarder.nonces(ivy).call().await.unwrap(), U256::from(1), "executed once");

    // 2. Mined, then reorged out before it is final: the same bytes go out again and land once.
    let (status, accepted) = relayer.post("/v1/evm/calls", approve(2), Some(&token), Some("reorg")).await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["id"].as_i64().unwrap();
    wait_in_db(&pool, id, "mined_block IS NOT NULL").await;
    provider.anvil_set_interval_mining(0).await.unwrap();
    let (mined,): (i64,) =
        sqlx::query_as("SELECT mined_block FROM requests WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
    let latest = provider.get_block_number().await.unwrap();
    provider.anvil_rollback(Some(latest - mined as u64 + 1)).await.unwrap();
    provider.anvil_drop_all_transactions().await.unwrap();
    assert!(provider.get_transaction_receipt(view_hash(&pool, id).await).await.unwrap().is_none(), "reorged out");
    wait_in_db(&pool, id, "mined_block IS NULL").await;
    provider.anvil_set_interval_mining(1).await.unwrap();
    let view = relayer.wait(id, Some(&token)).await;
    assert_eq!(view["status"], "confirmed", "{view}");
    let history: Vec<&str> = view["events"].as_array().unwrap().iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(history.iter().any(|d| d.contains("reorged out")), "{history:?}");
    assert_eq!(forwarder.nonces(ivy).call().await.unwrap(), U256::from(2), "each request executed exactly once");
    assert_eq!(mrc.allowance(ivy, c.auction_house).call().await.unwrap(), U256::from(2));
    let _ = stop_tx.send(true);
}

async fn view_hash(pool: &sqlx::PgPool, id: i64) -> B256 {
    let (hash,): (Vec<u8>,) =
        sqlx::query_as("SELECT tx_hash FROM requests WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
    B256::from_slice(&hash)
}

/// A chain whose clock runs ahead of the wall clock (anvil's time travel, as in the demo and the app's browser
/// tests): custodial forward requests are dated by the latest block's time, so the forwarder still accepts them.
/// With a wall-clock deadline (+1 h) the forwarder refused every custodial call once the chain was > 1 h ahead.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn custodial_calls_land_when_the_chain_clock_runs_ahead() {
    let deployed = deploy(&["--block-time", "1"]);
    let c = deployed.manifest.evm.as_ref().unwrap().contracts;
    let provider = ProviderBuilder::new().connect_http(deployed.anvil.endpoint().parse().unwrap());
    let pg = LocalPostgres::start().unwrap();
    let pool = mercato_relayer::db::connect(&pg.create_database("relayer").unwrap(), 16).await.unwrap();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let policy = SponsorPolicy { user_daily_gas: 5_000_000, global_daily_gas: 1_000_000_000 };
    let relayer = start_relayer(&deployed, pool.clone(), policy, stop, true).await;
    let (status, session) = relayer
        .post("/v1/auth/signup", json!({"email": "jo@example.com", "password": "jo's long password"}), None, None)
        .await;
    assert_eq!(status, 201, "{session}");
    let token = session["token"].as_str().unwrap().to_owned();
    let jo: Address = session["user"]["evm_address"].as_str().unwrap().parse().unwrap();

    // Two hours ahead of the wall clock (more than the request's validity window), then one block at that time.
    provider.raw_request::<_, i64>("evm_increaseTime".into(), (7_200,)).await.unwrap();
    provider.evm_mine(None).await.unwrap();
    let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let latest = provider.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest).await.unwrap().unwrap();
    assert!(latest.header.timestamp > wall + 3_600, "the chain's clock is more than an hour ahead");

    let approve = MercatoToken::approveCall { spender: c.auction_house, value: U256::from(7u64) }.abi_encode();
    let view = call(&relayer, &token, "ahead", c.token, approve).await;
    assert_eq!(view["status"], "confirmed");
    let mrc = MercatoToken::new(c.token, &provider);
    assert_eq!(mrc.allowance(jo, c.auction_house).call().await.unwrap(), U256::from(7u64), "the call landed");
    // The deadline it was signed with: the chain's time at signing plus the validity window (one hour).
    let receipt =
        provider.get_transaction_receipt(view_hash(&pool, view["id"].as_i64().unwrap()).await).await.unwrap().unwrap();
    let tx = provider.get_transaction_by_hash(receipt.transaction_hash).await.unwrap().unwrap();
    let input = alloy::consensus::Transaction::input(&tx);
    let executed = MercatoForwarder::executeCall::abi_decode(input).unwrap();
    let deadline: u64 = executed.request.deadline.to::<u64>();
    let mined = provider.get_block_by_number(receipt.block_number.unwrap().into()).await.unwrap().unwrap();
    assert!(deadline > mined.header.timestamp && deadline <= mined.header.timestamp + 3_600, "deadline {deadline}");
    let _ = stop_tx.send(true);
}
