//! The undo log, table by table, without a chain: synthetic logs of every event the derived tables use are
//! committed block by block; a rollback must restore every table exactly (numerics, byte strings and arrays
//! included), re-applying the same blocks must give the same rows, and a redelivered block must change nothing.

use alloy::primitives::{Address, B256, Bytes, U256, Uint};
use alloy::rpc::types::Log;
use alloy::sol_types::SolEvent;
use mercato_evm_bindings::{AuctionHouse, EconomyConfig, MercatoGovernor, MercatoItems, MercatoToken};
use mercato_indexer::db;
use mercato_indexer::store::{self, Batch, BlockInfo, Checkpoint};
use mercato_manifest::EvmContracts;
use mercato_postgres::LocalPostgres;
use sqlx::PgPool;

const CHAIN: &str = "evm:31337";
const TABLES: [&str; 11] = [
    "accounts",
    "items",
    "listings",
    "proposals",
    "transfers",
    "bids",
    "sales",
    "votes",
    "parameter_changes",
    "raw_events",
    "blocks",
];

fn contracts() -> EvmContracts {
    let a = |n: u8| Address::repeat_byte(n);
    EvmContracts {
        forwarder: a(1),
        timelock: a(2),
        economy_config: a(3),
        token: a(4),
        items: a(5),
        auction_house: a(6),
        governor: a(7),
    }
}

fn header(number: u64) -> BlockInfo {
    let hash = |n: u64| B256::left_padding_from(&n.to_be_bytes());
    BlockInfo {
        number,
        hash: hash(number),
        parent_hash: hash(number.saturating_sub(1)),
        timestamp: 1_000 + number * 12,
    }
}

/// A block's batch from (emitter, event data) pairs.
fn batch(number: u64, events: Vec<(Address, alloy::primitives::LogData)>) -> Batch {
    let block = header(number);
    let logs = events
        .into_iter()
        .enumerate()
        .map(|(i, (address, data))| Log {
            inner: alloy::primitives::Log { address, data },
            block_hash: Some(block.hash),
            block_number: Some(number),
            block_timestamp: None,
            transaction_hash: Some(B256::repeat_byte(number as u8)),
            transaction_index: Some(0),
            log_index: Some(i as u64),
            removed: false,
        })
        .collect();
    Batch { blocks: vec![block], logs }
}

/// Asserts two dumps are equal, table by table (a readable failure names the table).
fn assert_same(got: &[String], want: &[String], what: &str) {
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g, w, "{what}");
    }
}

async fn dump(pool: &PgPool) -> Vec<String> {
    let mut tables = Vec::new();
    for table in TABLES {
        let (rows,): (String,) = sqlx::query_as(&format!(
            "SELECT COALESCE(json_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]')::text FROM {table} t"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        tables.push(format!("{table}: {rows}"));
    }
    tables
}

#[tokio::test(flavor = "multi_thread")]
async fn rollback_restores_every_table_and_redelivery_changes_nothing() {
    let pg = LocalPostgres::start().unwrap();
    let pool = db::connect(&pg.create_database("rollback").unwrap(), 4).await.unwrap();
    let c = contracts();
    let (alice, bob, seller) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xb0), Address::repeat_byte(0x5e));
    let big = U256::MAX - U256::from(7); // 78 digits: NUMERIC(78, 0) must round-trip through the undo log
    let proposal = U256::from_be_bytes([0x99; 32]);
    let fee_tag = B256::right_padding_from(b"marketFeeBps");

    let block1 = batch(
        1,
        vec![
            (c.token, MercatoToken::Transfer { from: Address::ZERO, to: alice, value: big }.encode_log_data()),
            (
                c.token,
                MercatoToken::DelegateVotesChanged { delegate: alice, previousVotes: U256::ZERO, newVotes: big }
                    .encode_log_data(),
            ),
            (c.items, MercatoItems::Transfer { from: Address::ZERO, to: seller, id: U256::from(1) }.encode_log_data()),
            (
                c.items,
                MercatoItems::ItemMinted { id: U256::from(1), to: seller, class: 7, rarity: 2, power: 100 }
                    .encode_log_data(),
            ),
            (
                c.economy_config,
                EconomyConfig::ParameterChanged { name: fee_tag, oldValue: U256::ZERO, newValue: U256::from(250) }
                    .encode_log_data(),
            ),
            (
                c.governor,
                MercatoGovernor::ProposalCreated {
                    proposalId: proposal,
                    proposer: alice,
                    targets: vec![c.economy_config],
                    values: vec![U256::ZERO],
                    signatures: vec![String::new()],
                    calldatas: vec![Bytes::from(vec![1, 2, 3])],
                    voteStart: U256::from(1_010),
                    voteEnd: U256::from(1_610),
                    description: "fee".into(),
                }
                .encode_log_data(),
            ),
        ],
    );
    let block2 = batch(
        2,
        vec![
            (c.token, MercatoToken::Transfer { from: alice, to: bob, value: U256::from(300) }.encode_log_data()),
            (
                c.token,
                MercatoToken::DelegateChanged { delegator: bob, fromDelegate: Address::ZERO, toDelegate: bob }
                    .encode_log_data(),
            ),
            (
                c.token,
                MercatoToken::DelegateVotesChanged {
                    delegate: bob,
                    previousVotes: U256::ZERO,
                    newVotes: U256::from(300),
                }
                .encode_log_data(),
            ),
            (
                c.items,
                MercatoItems::Transfer { from: seller, to: c.auction_house, id: U256::from(1) }.encode_log_data(),
            ),
            (
                c.auction_house,
                AuctionHouse::ListingCreated {
                    id: U256::from(1),
                    kind: 1,
                    seller,
                    nft: c.items,
                    tokenId: U256::from(1),
                    startPrice: Uint::from(10),
                    floorPrice: Uint::ZERO,
                    startTime: Uint::from(1_024),
                    endTime: Uint::from(1_624),
                }
                .encode_log_data(),
            ),
            (
                c.auction_house,
                AuctionHouse::BidPlaced {
                    id: U256::from(1),
                    bidder: bob,
                    amount: Uint::from(20),
                    previousBidder: Address::ZERO,
                    previousAmount: Uint::ZERO,
                    endTime: Uint::from(1_624),
                }
                .encode_log_data(),
            ),
            (
                c.governor,
                MercatoGovernor::VoteCast {
                    voter: alice,
                    proposalId: proposal,
                    support: 1,
                    weight: big,
                    reason: "yes".into(),
                }
                .encode_log_data(),
            ),
            (
                c.governor,
                MercatoGovernor::ProposalExtended { proposalId: proposal, extendedDeadline: 1_700 }.encode_log_data(),
            ),
            (
                c.governor,
                MercatoGovernor::ProposalQueued { proposalId: proposal, etaSeconds: U256::from(1_800) }
                    .encode_log_data(),
            ),
            (
                c.economy_config,
                EconomyConfig::ParameterChanged { name: fee_tag, oldValue: U256::from(250), newValue: U256::from(300) }
                    .encode_log_data(),
            ),
        ],
    );
    let block3 = batch(
        3,
        vec![
            (
                c.auction_house,
                AuctionHouse::Sale {
                    id: U256::from(1),
                    kind: 1,
                    seller,
                    buyer: bob,
                    nft: c.items,
                    tokenId: U256::from(1),
                    price: U256::from(20),
                    fee: U256::from(1),
                    royalty: U256::from(2),
                    royaltyReceiver: alice,
                }
                .encode_log_data(),
            ),
            (c.items, MercatoItems::Transfer { from: c.auction_house, to: bob, id: U256::from(1) }.encode_log_data()),
            (c.governor, MercatoGovernor::ProposalExecuted { proposalId: proposal }.encode_log_data()),
            (
                c.auction_house,
                AuctionHouse::ListingCreated {
                    id: U256::from(2),
                    kind: 3,
                    seller: bob,
                    nft: c.items,
                    tokenId: U256::from(1),
                    startPrice: Uint::from(5),
                    floorPrice: Uint::ZERO,
                    startTime: Uint::from(1_036),
                    endTime: Uint::ZERO,
                }
                .encode_log_data(),
            ),
            (c.auction_house, AuctionHouse::ListingCancelled { id: U256::from(2), seller: bob }.encode_log_data()),
        ],
    );

    let commit = |expected: Option<u64>, b: &Batch| {
        let pool = pool.clone();
        let b = Batch { blocks: b.blocks.clone(), logs: b.logs.clone() };
        async move { store::commit(&pool, CHAIN, &c, expected, &b, 64).await.unwrap() }
    };
    assert_eq!(commit(None, &block1).await.new_events, 6);
    let after1 = dump(&pool).await;
    assert_eq!(commit(Some(1), &block2).await.new_events, 10);
    let after2 = dump(&pool).await;
    assert_eq!(commit(Some(2), &block3).await.new_events, 5);
    let after3 = dump(&pool).await;
    assert_ne!(after2, after3);

    // Derived values after block 3, as the events say.
    let (status, high_bid): (String, String) =
        sqlx::query_as("SELECT status, high_bid::text FROM listings WHERE listing_id = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), high_bid.as_str()), ("sold", "20"));
    let (balance,): (String,) = sqlx::query_as("SELECT balance::text FROM accounts WHERE address = $1")
        .bind(alice.as_slice())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(balance, (big - U256::from(300)).to_string());
    let (outcome, vote_end, votes_for): (String, i64, String) =
        sqlx::query_as("SELECT outcome, vote_end, votes_for::text FROM proposals").fetch_one(&pool).await.unwrap();
    assert_eq!((outcome.as_str(), vote_end, votes_for), ("executed", 1_700, big.to_string()));

    // Roll back block 3, then blocks 2: each time every table is as it was.
    store::rollback(&pool, CHAIN, 3, Checkpoint { number: 2, hash: header(2).hash }).await.unwrap();
    assert_same(&dump(&pool).await, &after2, "rollback of block 3");
    store::rollback(&pool, CHAIN, 2, Checkpoint { number: 1, hash: header(1).hash }).await.unwrap();
    assert_same(&dump(&pool).await, &after1, "rollback of block 2");
    let (records,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM undo_log WHERE block_number > 1").fetch_one(&pool).await.unwrap();
    assert_eq!(records, 0);

    // Re-applying gives the same rows; a redelivered block is a no-op.
    commit(Some(1), &block2).await;
    commit(Some(2), &block3).await;
    assert_same(&dump(&pool).await, &after3, "re-applied blocks 2 and 3");
    let again = commit(Some(3), &block3).await;
    assert_eq!((again.new_events, again.duplicates), (0, 5));
    assert_same(&dump(&pool).await, &after3, "redelivery changed nothing");

    // The same log twice in one batch (a source that repeats itself) is stored and applied once.
    let mut twice = batch(
        4,
        vec![(c.token, MercatoToken::Transfer { from: alice, to: bob, value: U256::from(1) }.encode_log_data())],
    );
    twice.logs.push(twice.logs[0].clone());
    let stats = commit(Some(3), &twice).await;
    assert_eq!((stats.new_events, stats.duplicates), (1, 1));
    let (bob_balance,): (String,) = sqlx::query_as("SELECT balance::text FROM accounts WHERE address = $1")
        .bind(bob.as_slice())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(bob_balance, "301");

    // A stale writer (expecting an older checkpoint) is refused.
    let stale = store::commit(&pool, CHAIN, &c, Some(3), &block2, 64).await;
    assert!(matches!(stale, Err(store::StoreError::CheckpointMoved { .. })), "{stale:?}");

    // Blocks 1-3 as one backfill batch with an undo window of 0: blocks 1 and 2 are past the window once it commits
    // (merged as one group, without undo records), block 3 keeps its records. Same rows as block by block, and
    // block 3 still rolls back exactly.
    let batched = db::connect(&pg.create_database("rollback_batched").unwrap(), 4).await.unwrap();
    let all = Batch {
        blocks: [&block1, &block2, &block3].iter().flat_map(|b| b.blocks.clone()).collect(),
        logs: [&block1, &block2, &block3].iter().flat_map(|b| b.logs.clone()).collect(),
    };
    assert_eq!(store::commit(&batched, CHAIN, &c, None, &all, 0).await.unwrap().new_events, 21);
    assert_same(&dump(&batched).await, &after3, "blocks 1-3 in one batch");
    let (kept,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM undo_log WHERE block_number < 3").fetch_one(&batched).await.unwrap();
    assert_eq!(kept, 0, "no undo record below the window");
    store::rollback(&batched, CHAIN, 3, Checkpoint { number: 2, hash: header(2).hash }).await.unwrap();
    assert_same(&dump(&batched).await, &after2, "rollback of block 3 after a batched commit");
}
