//! Prices, candles, wash trades and daily economy metrics against a scripted market on anvil (automine, time moved
//! with `anvil_increase_time`). The script records what it did (which sales are wash trades and by which rule, each
//! item's class); the expected answers are computed here from that record and from the chain (`Sale` and `Transfer`
//! logs from `eth_getLogs`, block timestamps, `currentPrice`, `totalSupply`), never from the indexer's SQL.
//! Then a rollback undoes the flags of the rolled-back blocks and re-ingesting restores them.

use crate::common::{Harness, MRC};
use alloy::primitives::{Address, U256, Uint};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use mercato_evm_bindings::{AuctionHouse, MercatoItems, MercatoToken};
use mercato_indexer::ingest::IngestConfig;
use mercato_indexer::{api, store};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const DAY: u64 = 86_400;

/// Which sales a price scope covers.
type ScopeFilter<'a> = Box<dyn Fn(&ChainSale) -> bool + 'a>;

macro_rules! mined {
    ($call:expr) => {{
        let receipt = $call.send().await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status(), "transaction reverted");
        receipt
    }};
}

/// One sale as the chain recorded it.
#[derive(Debug, Clone)]
struct ChainSale {
    block: u64,
    log: u64,
    time: u64,
    listing: U256,
    token_id: U256,
    price: U256,
    fee: U256,
}

struct Market<'a> {
    h: &'a Harness,
    house: Address,
    items: Address,
}

impl Market<'_> {
    /// `seller` lists `token` at a fixed `price` and `buyer` buys it; returns the listing id.
    async fn sell(&self, seller: &DynProvider, buyer: &DynProvider, token: U256, price: u128) -> U256 {
        let house = AuctionHouse::new(self.house, seller);
        let id = house.nextListingId().call().await.unwrap();
        mined!(house.createFixed(self.items, token, Uint::from(price)));
        mined!(AuctionHouse::new(self.house, buyer).buy(id, Uint::from(price)));
        let _ = self.h;
        id
    }
}

fn u(value: &Value) -> U256 {
    U256::from_str_radix(value.as_str().unwrap_or_else(|| panic!("a decimal string, got {value}")), 10).unwrap()
}

fn opt_u(value: &Value) -> Option<U256> {
    (!value.is_null()).then(|| u(value))
}

fn pct(now: U256, prior: U256) -> Option<i64> {
    let (n, p) = (now.to_string().parse::<f64>().unwrap(), prior.to_string().parse::<f64>().unwrap());
    (p > 0.0).then(|| ((n / p - 1.0) * 100.0).round() as i64)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn prices_candles_wash_trades_and_economy_equal_the_chain() {
    let h = Harness::new(&[], "prices").await;
    let c = h.evm().contracts;
    let owner = h.wallet(0);
    let token = MercatoToken::new(c.token, &owner);
    let items = MercatoItems::new(c.items, &owner);
    let market = Market { h: &h, house: c.auction_house, items: c.items };
    // Traders and their first funders: A←F1, B←F2, C←F3, E←F3 (C and E share a funder), D←owner.
    let (a, b, cw, d, e) = (h.wallet(1), h.wallet(2), h.wallet(3), h.wallet(7), h.wallet(8));
    let (f1, f2, f3) = (h.wallet(4), h.wallet(5), h.wallet(6));
    for (funder, who) in [(4, 1), (5, 2), (6, 3), (6, 8)] {
        mined!(token.transfer(h.address(funder), U256::from(10_000 * MRC)));
        let f = [&f1, &f2, &f3][funder - 4];
        mined!(MercatoToken::new(c.token, f).transfer(h.address(who), U256::from(2_000 * MRC)));
    }
    mined!(token.transfer(h.address(7), U256::from(2_000 * MRC)));
    for w in [&a, &b, &cw, &d, &e] {
        mined!(MercatoToken::new(c.token, w).approve(c.auction_house, U256::MAX));
        mined!(MercatoItems::new(c.items, w).setApprovalForAll(c.auction_house, true));
    }
    // Items: 1..=10 to A except 6 (to C); item 9 is class 3, the rest class 7.
    let first = items.nextTokenId().call().await.unwrap();
    let item = |n: u64| first + U256::from(n - 1);
    let mut class_of: HashMap<U256, u16> = HashMap::new();
    for n in 1..=10u64 {
        let to = if n == 6 { h.address(3) } else { h.address(1) };
        let class = if n == 9 { 3 } else { 7 };
        mined!(items.mint(to, MercatoItems::Attributes { class, rarity: 1, power: 10 }));
        class_of.insert(item(n), class);
    }

    // The script's record: listing id → the wash rules it must carry.
    let mut wash: BTreeMap<U256, BTreeSet<&str>> = BTreeMap::new();
    // ---- prior week: two honest sales, and the first leg of a back-and-forth (A→D)
    market.sell(&a, &b, item(1), 100 * MRC).await;
    market.sell(&a, &cw, item(2), 120 * MRC).await;
    let leg = market.sell(&a, &d, item(4), 50 * MRC).await;
    wash.entry(leg).or_default().insert("back_and_forth");
    owner.anvil_increase_time(8 * DAY).await.unwrap();
    // ---- this week, before the last day
    market.sell(&a, &b, item(3), 90 * MRC).await;
    let back = market.sell(&d, &a, item(4), 500 * MRC).await; // D→A: back and forth within 30 days
    wash.entry(back).or_default().insert("back_and_forth");
    // item 5 goes round A→D→B→C→D→B→C→D: D buys it 3 times (no pair ever reverses)
    let path: [(&DynProvider, &DynProvider, bool); 7] = [
        (&a, &d, true),
        (&d, &b, false),
        (&b, &cw, false),
        (&cw, &d, true),
        (&d, &b, false),
        (&b, &cw, false),
        (&cw, &d, true),
    ];
    for (i, (seller, buyer, flagged)) in path.into_iter().enumerate() {
        let id = market.sell(seller, buyer, item(5), (10 + i as u128) * MRC).await;
        if flagged {
            wash.entry(id).or_default().insert("repeat_buyer");
        }
    }
    let funded = market.sell(&cw, &e, item(6), 70 * MRC).await; // C and E were both first funded by F3
    wash.entry(funded).or_default().insert("common_funder");
    owner.anvil_increase_time(2 * DAY).await.unwrap();
    // ---- the last day: two honest sales, a burn, emission, open listings (fixed 150 of class 3, Dutch of class 7)
    market.sell(&a, &cw, item(7), 80 * MRC).await;
    market.sell(&a, &b, item(8), 95 * MRC).await;
    mined!(token.burn(U256::from(5 * MRC)));
    mined!(token.releaseEmission());
    let house_a = AuctionHouse::new(c.auction_house, &a);
    let fixed = house_a.nextListingId().call().await.unwrap();
    mined!(house_a.createFixed(c.items, item(9), Uint::from(150 * MRC)));
    let dutch = house_a.nextListingId().call().await.unwrap();
    mined!(house_a.createDutch(c.items, item(10), Uint::from(300 * MRC), Uint::from(30 * MRC), 3_600));
    owner.anvil_increase_time(600).await.unwrap();
    owner.evm_mine(None).await.unwrap();

    // ---- ingest to the head, serve the API
    let head = owner.get_block_number().await.unwrap();
    let mut indexer = h.indexer(IngestConfig::default());
    indexer.backfill(head, |_, _| {}).await.unwrap();
    let state = api::AppState {
        pool: h.pool.clone(),
        chain: h.chain.clone(),
        status: None,
        max_lag: 5,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mercato_indexer::serve(listener, state, std::future::pending()));
    let get = |path: String| {
        let url = format!("{base}{path}");
        async move {
            let r = reqwest::get(url).await.unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            assert_eq!(status, 200, "{body}");
            body
        }
    };

    // ---- the chain's record: sales and currency transfers with their block times
    let from = h.evm().deploy_block;
    let mut times: HashMap<u64, u64> = HashMap::new();
    let sale_logs = owner
        .get_logs(
            &Filter::new()
                .address(c.auction_house)
                .event_signature(AuctionHouse::Sale::SIGNATURE_HASH)
                .from_block(from)
                .to_block(head),
        )
        .await
        .unwrap();
    let mut sales = Vec::new();
    for log in &sale_logs {
        let block = log.block_number.unwrap();
        if let std::collections::hash_map::Entry::Vacant(v) = times.entry(block) {
            v.insert(owner.get_block_by_number(block.into()).await.unwrap().unwrap().header.timestamp);
        }
        let s = AuctionHouse::Sale::decode_log(&log.inner).unwrap();
        sales.push(ChainSale {
            block,
            log: log.log_index.unwrap(),
            time: times[&block],
            listing: s.id,
            token_id: s.tokenId,
            price: U256::from(s.price),
            fee: U256::from(s.fee),
        });
    }
    assert_eq!(sales.len(), 15, "the script made 15 sales");
    let now = owner.get_block_by_number(head.into()).await.unwrap().unwrap().header.timestamp;

    // ---- wash trades: exactly the script's, with its rules
    let flagged = get("/v1/wash-trades?limit=500".into()).await;
    let got: BTreeMap<U256, BTreeSet<String>> = flagged["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                u(&w["listing_id"]),
                w["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect(),
            )
        })
        .collect();
    let want: BTreeMap<U256, BTreeSet<String>> =
        wash.iter().map(|(k, v)| (*k, v.iter().map(|r| (*r).to_owned()).collect())).collect();
    assert_eq!(got, want, "wash trades");
    let by_rule = get("/v1/wash-trades?rule=repeat_buyer".into()).await;
    assert_eq!(by_rule["items"].as_array().unwrap().len(), 3);

    // ---- prices for the collection and for class 7, with and without wash trades
    let dutch_now =
        AuctionHouse::new(c.auction_house, &owner).currentPrice(dutch).block(head.into()).call().await.unwrap();
    assert!(dutch_now < U256::from(300 * MRC) && dutch_now > U256::from(30 * MRC), "mid-decay");
    let scopes: [(String, ScopeFilter<'_>, U256); 2] = [
        (
            format!("/v1/prices/collections/{:#x}", c.items),
            Box::new(|_: &ChainSale| true),
            dutch_now.min(U256::from(150 * MRC)),
        ),
        ("/v1/prices/classes/7".into(), Box::new(|s: &ChainSale| class_of[&s.token_id] == 7), dutch_now),
    ];
    for (path, in_scope, floor) in &scopes {
        for include_wash in [false, true] {
            let body = get(format!("{path}?include_wash={include_wash}")).await;
            let counted: Vec<&ChainSale> =
                sales.iter().filter(|s| in_scope(s) && (include_wash || !wash.contains_key(&s.listing))).collect();
            let window = |lo: u64, hi: u64| {
                let w: Vec<&&ChainSale> = counted.iter().filter(|s| s.time + lo > now && s.time + hi <= now).collect();
                let volume: U256 = w.iter().map(|s| s.price).sum();
                let n = w.len() as u64;
                (volume, n, (n > 0).then(|| volume / U256::from(n)))
            };
            let (v1, n1, vwap1) = window(DAY, 0);
            let (v7, n7, vwap7) = window(7 * DAY, 0);
            let (_, pn7, pvwap7) = window(14 * DAY, 7 * DAY);
            let (_, pn1, _) = window(2 * DAY, DAY);
            let what = format!("{path} include_wash={include_wash}: {body}");
            assert_eq!(body["now_time"].as_u64(), Some(now), "{what}");
            assert_eq!(opt_u(&body["floor"]), Some(*floor), "{what}");
            let last = counted.iter().max_by_key(|s| (s.block, s.log)).unwrap();
            assert_eq!(opt_u(&body["last_sale_price"]), Some(last.price), "{what}");
            assert_eq!(body["last_sale_time"].as_u64(), Some(last.time), "{what}");
            assert_eq!((u(&body["volume_24h"]), body["trades_24h"].as_u64()), (v1, Some(n1)), "{what}");
            assert_eq!((u(&body["volume_7d"]), body["trades_7d"].as_u64()), (v7, Some(n7)), "{what}");
            assert_eq!((opt_u(&body["vwap_24h"]), opt_u(&body["vwap_7d"])), (vwap1, vwap7), "{what}");
            assert_eq!(
                (body["prior_trades_7d"].as_u64(), opt_u(&body["prior_vwap_7d"])),
                (Some(pn7), pvwap7),
                "{what}"
            );
            assert_eq!(body["prior_trades_24h"].as_u64(), Some(pn1), "{what}");
            assert!(n7 > 0 && pn7 > 0, "both weeks have sales: {what}");
            // The explanation, built here from the numbers above.
            let change = pct(vwap7.unwrap(), pvwap7.unwrap()).unwrap();
            let sign = if change < 0 { format!("\u{2212}{}%", -change) } else { format!("+{change}%") };
            let demand = pct(U256::from(n7), U256::from(pn7)).unwrap();
            let demand = match demand {
                0 => "demand flat on the prior week".to_owned(),
                d if d > 0 => format!("demand up {d}% on the prior week"),
                d => format!("demand down {}% on the prior week", -d),
            };
            let want = format!("7-day VWAP {} ({sign}): {n7} sales; {demand}.", vwap7.unwrap());
            assert!(body["explanation"].as_str().unwrap().starts_with(&want), "want {want:?}: {what}");
            assert!(body["explanation"].as_str().unwrap().contains(&format!("floor {floor}")), "{what}");
        }
        // ---- candles (1h and 1d), with pagination one candle per page
        for (interval, width) in [("1h", 3_600u64), ("1d", DAY)] {
            let mut want: BTreeMap<u64, Vec<&ChainSale>> = BTreeMap::new();
            for s in sales.iter().filter(|s| in_scope(s) && !wash.contains_key(&s.listing)) {
                want.entry(s.time / width * width).or_default().push(s);
            }
            let mut got = Vec::new();
            let mut cursor = String::new();
            loop {
                let page = get(format!("{path}/candles?interval={interval}&limit=1{cursor}")).await;
                got.extend(page["items"].as_array().unwrap().iter().cloned());
                match page["next_cursor"].as_str() {
                    Some(c) => cursor = format!("&cursor={c}"),
                    None => break,
                }
            }
            assert_eq!(got.len(), want.len(), "{path} {interval} candles");
            for (candle, (start, group)) in got.iter().zip(&want) {
                let mut group = group.clone();
                group.sort_by_key(|s| (s.block, s.log));
                let volume: U256 = group.iter().map(|s| s.price).sum();
                assert_eq!(candle["start"].as_u64(), Some(*start));
                assert_eq!(u(&candle["open"]), group[0].price, "{candle}");
                assert_eq!(u(&candle["close"]), group.last().unwrap().price, "{candle}");
                assert_eq!(u(&candle["high"]), group.iter().map(|s| s.price).max().unwrap(), "{candle}");
                assert_eq!(u(&candle["low"]), group.iter().map(|s| s.price).min().unwrap(), "{candle}");
                assert_eq!(u(&candle["volume"]), volume, "{candle}");
                assert_eq!(candle["trades"].as_u64(), Some(group.len() as u64), "{candle}");
            }
            // a time range keeps only the candles inside it
            let (lo, hi) = (now - 3 * DAY, now);
            let ranged = get(format!("{path}/candles?interval={interval}&from={lo}&to={hi}&limit=500")).await;
            let in_range = sales
                .iter()
                .filter(|s| in_scope(s) && !wash.contains_key(&s.listing) && s.time >= lo && s.time < hi)
                .map(|s| s.time / width * width)
                .collect::<BTreeSet<_>>();
            let starts: BTreeSet<u64> =
                ranged["items"].as_array().unwrap().iter().map(|c| c["start"].as_u64().unwrap()).collect();
            assert_eq!(starts, in_range, "{path} {interval} from {lo} to {hi}");
        }
    }
    let _ = fixed;

    // ---- economy per day, from the token's Transfer logs
    let transfer_logs = owner
        .get_logs(
            &Filter::new()
                .address(c.token)
                .event_signature(MercatoToken::Transfer::SIGNATURE_HASH)
                .from_block(from)
                .to_block(head),
        )
        .await
        .unwrap();
    let mut moves = Vec::new();
    for log in &transfer_logs {
        let block = log.block_number.unwrap();
        let time = match times.get(&block) {
            Some(t) => *t,
            None => {
                let t = owner.get_block_by_number(block.into()).await.unwrap().unwrap().header.timestamp;
                times.insert(block, t);
                t
            }
        };
        let t = MercatoToken::Transfer::decode_log(&log.inner).unwrap();
        moves.push((time / DAY, t.from, t.to, t.value));
    }
    let first_day = moves.iter().map(|m| m.0).min().unwrap();
    let last_day = now / DAY;
    let daily = get("/v1/economy/daily?limit=500".into()).await;
    let days = daily["items"].as_array().unwrap();
    assert_eq!(days.len() as u64, last_day - first_day + 1, "{daily}");
    let mut balances: HashMap<Address, U256> = HashMap::new();
    let mut supply = U256::ZERO;
    for (i, day) in (first_day..=last_day).enumerate() {
        let row = &days[i];
        let prior_supply = supply;
        let (mut minted, mut burned) = (U256::ZERO, U256::ZERO);
        let mut active = BTreeSet::new();
        for (_, from_a, to_a, value) in moves.iter().filter(|m| m.0 == day) {
            if from_a.is_zero() {
                minted += *value
            } else {
                *balances.entry(*from_a).or_default() -= *value;
                active.insert(*from_a);
            }
            if to_a.is_zero() {
                burned += *value
            } else {
                *balances.entry(*to_a).or_default() += *value;
                active.insert(*to_a);
            }
        }
        supply = supply + minted - burned;
        let fees: U256 = sales.iter().filter(|s| s.time / DAY == day).map(|s| s.fee).sum();
        let volume: U256 =
            sales.iter().filter(|s| s.time / DAY == day && !wash.contains_key(&s.listing)).map(|s| s.price).sum();
        let mut held: Vec<f64> =
            balances.values().filter(|b| !b.is_zero()).map(|b| b.to_string().parse::<f64>().unwrap()).collect();
        held.sort_by(f64::total_cmp);
        let n = held.len() as f64;
        let total: f64 = held.iter().sum();
        let weighted: f64 = held.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * x).sum();
        let gini = 2.0 * weighted / (n * total) - (n + 1.0) / n;
        let what = format!("day {day}: {row}");
        assert_eq!(u(&row["supply"]), supply, "{what}");
        assert_eq!((u(&row["minted"]), u(&row["burned"])), (minted, burned), "{what}");
        assert_eq!(u(&row["fees_to_treasury"]), fees, "{what}");
        assert_eq!(u(&row["volume"]), volume, "{what}");
        assert_eq!(row["holders"].as_u64(), Some(held.len() as u64), "{what}");
        assert_eq!(row["active_holders"].as_u64(), Some(active.len() as u64), "{what}");
        assert!(close(row["gini"].as_f64().unwrap(), gini), "gini {gini}: {what}");
        let f = |x: U256| x.to_string().parse::<f64>().unwrap();
        assert!(close(row["velocity"].as_f64().unwrap(), f(volume) / f(supply)), "{what}");
        if prior_supply.is_zero() {
            assert!(row["net_inflation_rate"].is_null(), "{what}");
        } else {
            let rate = (f(minted) - f(burned)) / f(prior_supply);
            assert!(close(row["net_inflation_rate"].as_f64().unwrap(), rate), "inflation {rate}: {what}");
        }
    }
    assert_eq!(supply, token.totalSupply().call().await.unwrap(), "supply equals totalSupply()");
    assert!(
        days.iter().any(|d| !u(&d["burned"]).is_zero()) && days.iter().any(|d| !u(&d["fees_to_treasury"]).is_zero())
    );
    // a date range and a cursor page
    let d0 = &days[0]["day"];
    let one = get(format!("/v1/economy/daily?from={}&to={}", d0.as_str().unwrap(), d0.as_str().unwrap())).await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    assert_eq!(one["items"][0], days[0]);
    let page = get("/v1/economy/daily?limit=1".into()).await;
    let next = get(format!("/v1/economy/daily?limit=1&cursor={}", page["next_cursor"].as_str().unwrap())).await;
    assert_eq!(next["items"][0], days[1]);

    // ---- rollback: undo the blocks from the last repeat_buyer sale on; its flags go, the earlier ones stay
    let last_repeat = wash.iter().filter(|(_, r)| r.contains("repeat_buyer")).map(|(id, _)| *id).max().unwrap();
    let at = sales.iter().find(|s| s.listing == last_repeat).unwrap().block;
    let before: Vec<(i64, i64, i64, String)> = flags(&h).await;
    let ancestor_block = owner.get_block_by_number((at - 1).into()).await.unwrap().unwrap().header;
    let checkpoint = store::checkpoint(&h.pool, &h.chain).await.unwrap().unwrap();
    store::rollback(
        &h.pool,
        &h.chain,
        checkpoint.number,
        store::Checkpoint { number: at - 1, hash: ancestor_block.hash },
    )
    .await
    .unwrap();
    let after = flags(&h).await;
    assert!(after.iter().all(|f| f.0 < at as i64), "no flag raised above the ancestor survives");
    let rb: BTreeSet<(i64, i64)> = after.iter().filter(|f| f.3 == "repeat_buyer").map(|f| (f.1, f.2)).collect();
    assert!(rb.is_empty(), "the 3rd buy raised every repeat_buyer flag: all undone ({after:?})");
    assert!(after.iter().any(|f| f.3 == "back_and_forth"), "earlier flags stay");
    let mut indexer = h.indexer(IngestConfig::default());
    indexer.backfill(head, |_, _| {}).await.unwrap();
    assert_eq!(flags(&h).await, before, "re-ingesting raises the same flags");
}

async fn flags(h: &Harness) -> Vec<(i64, i64, i64, String)> {
    sqlx::query_as("SELECT block_number, sale_block, sale_log, rule FROM wash_trades WHERE chain = $1 ORDER BY 2, 3, 4")
        .bind(&h.chain)
        .fetch_all(&h.pool)
        .await
        .unwrap()
}
