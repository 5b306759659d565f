//! A scripted economy on anvil (`--block-time 1`) while the indexer follows: currency transfers, item mints, an
//! English auction with two bids settled after its end, a fixed-price purchase, an open Dutch auction, an item
//! transfer and a governance vote. Every API answer is compared with values read from the chain itself.

use crate::common::{Harness, MRC, assert_mirror_matches_chain};
use alloy::primitives::{Address, U256, Uint, keccak256};
use alloy::providers::Provider;
use alloy::providers::ext::AnvilApi;
use alloy::sol_types::SolCall;
use mercato_evm_bindings::{AuctionHouse, EconomyConfig, MercatoGovernor, MercatoItems, MercatoToken};
use mercato_indexer::ingest::IngestConfig;
use serde_json::Value;
use std::time::{Duration, Instant};

// An explicit gas limit: with interval mining, an estimate made on the latest block can be short by a votes
// checkpoint (the next block has a later timestamp, so a transfer pushes a new checkpoint instead of updating one).
macro_rules! mined {
    ($call:expr) => {{
        let receipt = $call
            .gas(1_000_000)
            .send()
            .await
            .unwrap()
            .with_timeout(Some(Duration::from_secs(30)))
            .get_receipt()
            .await
            .unwrap();
        assert!(receipt.status(), "transaction reverted");
        receipt
    }};
}

fn lower(address: Address) -> String {
    format!("{address:#x}")
}

fn u(value: &Value) -> U256 {
    U256::from_str_radix(value.as_str().unwrap_or_else(|| panic!("a decimal string, got {value}")), 10).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_economy_api_answers_equal_the_chain() {
    let mut h = Harness::new(&["--block-time", "1"], "economy").await;
    h.follow_and_serve(IngestConfig { poll: Duration::from_millis(100), ..IngestConfig::default() }).await;
    let c = h.evm().contracts;
    let (owner, seller, alice, bob) = (h.wallet(0), h.wallet(1), h.wallet(2), h.wallet(3));
    let (seller_a, alice_a, bob_a) = (h.address(1), h.address(2), h.address(3));
    let token = MercatoToken::new(c.token, &owner);
    let items = MercatoItems::new(c.items, &owner);
    let house = AuctionHouse::new(c.auction_house, &owner);
    let governor = MercatoGovernor::new(c.governor, &owner);
    let config = EconomyConfig::new(c.economy_config, &owner);

    // ---- currency and items
    mined!(token.transfer(alice_a, U256::from(1_000 * MRC)));
    mined!(token.transfer(bob_a, U256::from(1_000 * MRC)));
    let first = items.nextTokenId().call().await.unwrap();
    for (class, rarity, power) in [(7u16, 2u8, 1_200u32), (7, 4, 9_000), (3, 0, 10)] {
        mined!(items.mint(seller_a, MercatoItems::Attributes { class, rarity, power }));
    }
    let ids: Vec<U256> = (0..3u64).map(|i| first + U256::from(i)).collect();
    mined!(MercatoItems::new(c.items, &seller).setApprovalForAll(c.auction_house, true));

    // ---- three listings
    let seller_house = AuctionHouse::new(c.auction_house, &seller);
    let english = house.nextListingId().call().await.unwrap();
    mined!(seller_house.createEnglish(c.items, ids[0], Uint::from(10 * MRC), 600));
    let fixed = house.nextListingId().call().await.unwrap();
    mined!(seller_house.createFixed(c.items, ids[1], Uint::from(50 * MRC)));
    let dutch = house.nextListingId().call().await.unwrap();
    mined!(seller_house.createDutch(c.items, ids[2], Uint::from(100 * MRC), Uint::from(10 * MRC), 3_600));

    // ---- bids and a purchase
    for wallet in [&alice, &bob] {
        mined!(MercatoToken::new(c.token, wallet).approve(c.auction_house, U256::MAX));
    }
    mined!(AuctionHouse::new(c.auction_house, &alice).bid(english, Uint::from(20 * MRC)));
    mined!(AuctionHouse::new(c.auction_house, &bob).bid(english, Uint::from(30 * MRC)));
    mined!(AuctionHouse::new(c.auction_house, &alice).buy(fixed, Uint::from(50 * MRC)));

    // ---- a proposal and three votes
    let change = EconomyConfig::setMarketFeeBpsCall { bps: 300 }.abi_encode();
    let description = "Raise the market fee to 3%".to_string();
    mined!(governor.propose(
        vec![c.economy_config],
        vec![U256::ZERO],
        vec![change.clone().into()],
        description.clone()
    ));
    let proposal = governor
        .getProposalId(vec![c.economy_config], vec![U256::ZERO], vec![change.into()], keccak256(description.as_bytes()))
        .call()
        .await
        .unwrap();
    let started = Instant::now();
    while governor.state(proposal).call().await.unwrap() != 1 {
        assert!(started.elapsed() < Duration::from_secs(20), "the proposal never became active");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    mined!(governor.castVote(proposal, 1));
    mined!(MercatoGovernor::new(c.governor, &alice).castVote(proposal, 0));
    mined!(MercatoGovernor::new(c.governor, &bob).castVoteWithReason(proposal, 2, "no opinion".into()));

    // ---- the auction ends and is settled; the winner passes the item on
    owner.anvil_increase_time(700).await.unwrap();
    let after = owner.get_block_number().await.unwrap() + 1;
    while owner.get_block_number().await.unwrap() < after {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    mined!(house.settle(english));
    mined!(MercatoItems::new(c.items, &bob).transferFrom(bob_a, seller_a, ids[0]));
    h.wait_synced().await;

    // ---- accounts
    let next = items.nextTokenId().call().await.unwrap().to::<u64>();
    for who in [h.address(0), seller_a, alice_a, bob_a, c.auction_house, c.timelock] {
        let (status, account) = h.get(&format!("/v1/accounts/{}", lower(who))).await;
        assert_eq!(status, 200, "{account}");
        assert_eq!(u(&account["balance"]), token.balanceOf(who).call().await.unwrap(), "balance of {who}");
        assert_eq!(u(&account["voting_power"]), token.getVotes(who).call().await.unwrap(), "votes of {who}");
        let mut owned = Vec::new();
        for id in 1..next {
            if items.ownerOf(U256::from(id)).call().await.unwrap() == who {
                owned.push(id.to_string());
            }
        }
        assert_eq!(account["items_owned"].as_u64().unwrap() as usize, owned.len(), "items of {who}");
        let (_, page) = h.get(&format!("/v1/accounts/{}/items?limit=500", lower(who))).await;
        let listed: Vec<String> =
            page["items"].as_array().unwrap().iter().map(|i| i["token_id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(listed, owned, "item list of {who}");
    }

    // ---- items: attributes and owner from the contract, history with the sale
    for id in &ids {
        let (status, item) = h.get(&format!("/v1/items/{id}")).await;
        assert_eq!(status, 200, "{item}");
        assert_eq!(item["owner"], lower(items.ownerOf(*id).call().await.unwrap()));
        let attributes = items.attributes(*id).call().await.unwrap();
        assert_eq!(item["class"].as_u64(), Some(u64::from(attributes.class)));
        assert_eq!(item["rarity"].as_u64(), Some(u64::from(attributes.rarity)));
        assert_eq!(item["power"].as_u64(), Some(u64::from(attributes.power)));
    }
    let (_, history) = h.get(&format!("/v1/items/{}/history", ids[0])).await;
    let kinds: Vec<&str> = history["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    // newest first: bob → seller, the settlement (sale, then the transfer out of escrow, same tx), into escrow, mint
    assert_eq!(kinds.iter().filter(|k| **k == "sale").count(), 1, "{history}");
    assert_eq!(kinds.iter().filter(|k| **k == "transfer").count(), 4, "{history}");
    assert_eq!(history["items"][0]["to"], lower(seller_a));

    // ---- market: the English auction sold to bob at his bid; bids newest first
    let paid_by_bob = U256::from(1_000 * MRC) - token.balanceOf(bob_a).call().await.unwrap();
    let (_, ended) = h.get("/v1/auctions?status=ended").await;
    let ended = ended["items"].as_array().unwrap();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["listing_id"], english.to_string());
    assert_eq!((ended[0]["status"].as_str(), ended[0]["kind"].as_str()), (Some("sold"), Some("english")));
    assert_eq!(u(&ended[0]["high_bid"]), paid_by_bob);
    assert_eq!(ended[0]["high_bidder"], lower(bob_a));
    assert_eq!(ended[0]["bid_count"], 2);
    let (_, open) = h.get("/v1/auctions?status=open&kind=dutch").await;
    let open = open["items"].as_array().unwrap();
    assert_eq!(open.len(), 1);
    let on_chain = house.listing(dutch).call().await.unwrap();
    assert_eq!(on_chain.kind as u8, 2, "the Dutch auction is still listed on chain");
    assert_eq!(u(&open[0]["start_price"]), U256::from(on_chain.startPrice));
    assert_eq!(u(&open[0]["floor_price"]), U256::from(on_chain.floorPrice));
    assert_eq!(open[0]["end_time"].as_u64(), Some(on_chain.endTime.to::<u64>()));
    let (_, open_english) = h.get("/v1/auctions?status=open&kind=english").await;
    assert_eq!(open_english["items"].as_array().unwrap().len(), 0);
    let (_, fixed_sold) = h.get("/v1/listings?kind=fixed&status=sold").await;
    assert_eq!(fixed_sold["items"][0]["listing_id"], fixed.to_string());
    assert_eq!(house.listing(fixed).call().await.unwrap().kind as u8, 0, "the fixed listing is closed on chain");
    let (status, listing) = h.get(&format!("/v1/listings/{dutch}")).await;
    assert_eq!(status, 200, "{listing}");
    assert_eq!((listing["kind"].as_str(), listing["status"].as_str()), (Some("dutch"), Some("open")));
    assert_eq!(listing["seller"], lower(on_chain.seller));
    // The Dutch price at the latest mirrored block equals the contract's answer at that block (blocks keep coming
    // with interval mining: find the block the answer was computed at by its time, then check that on chain).
    let price_time = listing["price_time"].as_i64().unwrap();
    let (at,): (i64,) = sqlx::query_as("SELECT max(number) FROM blocks WHERE chain = $1 AND timestamp = $2")
        .bind(&h.chain)
        .bind(price_time)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let at = at as u64;
    let header = owner.get_block_by_number(at.into()).await.unwrap().unwrap().header;
    assert_eq!(header.timestamp as i64, price_time, "block {at} on chain has the time the price was computed at");
    let price = house.currentPrice(dutch).block(at.into()).call().await.unwrap();
    assert_eq!(u(&listing["current_price"]), price, "Dutch price at block {at}");
    assert!(price < U256::from(on_chain.startPrice) && price > U256::from(on_chain.floorPrice), "mid-decay");
    let (_, fixed_listing) = h.get(&format!("/v1/listings/{fixed}")).await;
    assert!(fixed_listing["current_price"].is_null(), "a sold listing has no price");
    let (_, class_3) = h.get("/v1/items?class=3").await;
    let class_3: Vec<U256> = class_3["items"].as_array().unwrap().iter().map(|i| u(&i["token_id"])).collect();
    let mut want = Vec::new();
    for id in 1..next {
        if items.attributes(U256::from(id)).call().await.unwrap().class == 3 {
            want.push(U256::from(id));
        }
    }
    assert_eq!(class_3, want, "items of class 3");
    let (_, bids) = h.get(&format!("/v1/bids?listing={english}")).await;
    let amounts: Vec<U256> = bids["items"].as_array().unwrap().iter().map(|b| u(&b["amount"])).collect();
    assert_eq!(amounts, vec![U256::from(30 * MRC), U256::from(20 * MRC)]);

    // ---- sales: price split as the contracts compute it; paginated one by one
    let fee_bps = U256::from(config.marketFeeBps().call().await.unwrap());
    // alice's outbid bid is a credit in the house, not back in her wallet
    let paid_by_alice = U256::from(1_000 * MRC)
        - token.balanceOf(alice_a).call().await.unwrap()
        - house.credits(alice_a).call().await.unwrap();
    let (_, first_page) = h.get("/v1/sales?limit=1").await;
    let cursor = first_page["next_cursor"].as_str().expect("a second page").to_owned();
    let (_, second_page) = h.get(&format!("/v1/sales?limit=1&cursor={cursor}")).await;
    assert!(second_page["next_cursor"].is_null(), "{second_page}");
    let sales = [&first_page["items"][0], &second_page["items"][0]];
    assert_eq!(sales[0]["listing_id"], english.to_string(), "newest first");
    assert_eq!(sales[1]["listing_id"], fixed.to_string());
    assert_eq!(u(&sales[0]["price"]), paid_by_bob);
    assert_eq!(u(&sales[1]["price"]), paid_by_alice);
    for sale in sales {
        let price = u(&sale["price"]);
        let token_id = u(&sale["token_id"]);
        assert_eq!(u(&sale["fee"]), price * fee_bps / U256::from(10_000));
        let royalty = items.royaltyInfo(token_id, price).call().await.unwrap();
        assert_eq!(u(&sale["royalty"]), royalty.amount);
        assert_eq!(sale["royalty_receiver"], lower(royalty.receiver));
        assert_eq!(
            sale["item_class"].as_u64(),
            Some(u64::from(items.attributes(token_id).call().await.unwrap().class))
        );
        assert_eq!(sale["currency"], lower(c.token));
    }
    let (_, by_class) = h.get("/v1/sales?class=7").await;
    assert_eq!(by_class["items"].as_array().unwrap().len(), 2);

    // ---- governance: tallies and state
    let tally = governor.proposalVotes(proposal).call().await.unwrap();
    let (status, p) = h.get(&format!("/v1/proposals/{proposal}")).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(u(&p["votes_against"]), tally.againstVotes);
    assert_eq!(u(&p["votes_for"]), tally.forVotes);
    assert_eq!(u(&p["votes_abstain"]), tally.abstainVotes);
    assert!(tally.forVotes > U256::ZERO && tally.againstVotes > U256::ZERO && tally.abstainVotes > U256::ZERO);
    let state = governor.state(proposal).call().await.unwrap();
    assert!(matches!(state, 3 | 4), "voting is over on chain (state {state})");
    assert_eq!(p["state"], if state == 4 { "succeeded" } else { "defeated" }, "chain state {state}");
    let snapshot = governor.proposalSnapshot(proposal).call().await.unwrap();
    assert_eq!(u(&p["quorum"]), governor.quorum(snapshot).call().await.unwrap(), "quorum at the snapshot");
    let (_, votes) = h.get(&format!("/v1/proposals/{proposal}/votes")).await;
    let votes = votes["items"].as_array().unwrap();
    assert_eq!(votes.len(), 3);
    for vote in votes {
        let voter: Address = vote["voter"].as_str().unwrap().parse().unwrap();
        assert!(governor.hasVoted(proposal, voter).call().await.unwrap());
    }
    assert_eq!(votes[0]["reason"], "no opinion");

    // ---- parameters: the latest value of each equals the config's
    let (_, parameters) = h.get("/v1/parameters").await;
    let value =
        |name: &str| parameters.as_array().unwrap().iter().find(|p| p["name"] == name).map(|p| u(&p["new_value"]));
    assert_eq!(value("marketFeeBps"), Some(fee_bps));
    assert_eq!(value("royaltyCapBps"), Some(U256::from(config.royaltyCapBps().call().await.unwrap())));
    let (_, history) = h.get("/v1/parameters/history?name=marketFeeBps").await;
    assert_eq!(history["items"].as_array().unwrap().len(), 1);

    // ---- the whole mirror, service endpoints
    assert_mirror_matches_chain(&h).await;
    let (status, ready) = h.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    let (_, openapi) = h.get("/openapi.json").await;
    for path in ["/v1/accounts/{address}", "/v1/auctions", "/v1/sales", "/v1/proposals/{id}/votes"] {
        assert!(openapi["paths"].get(path).is_some(), "{path} is documented");
    }
    let metrics = reqwest::get(format!("{}/metrics", h.api)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("indexer_events_total"), "{metrics}");
}
