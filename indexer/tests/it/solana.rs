//! Solana ingest against the real local node (surfpool with the programs' SBF builds): a scripted economy, the API
//! under `/solana` compared with the chain's own accounts, re-ingesting every signature (no duplicate), a slot that
//! turns out not final as stored (rolled back and re-ingested), and bad Solana input.

use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use mercato_e2e::solana::programs_dir;
use mercato_indexer::solana::{SolanaIndexer, store as sstore};
use mercato_indexer::{api, db};
use mercato_postgres::LocalPostgres;
use mercato_solana_client::anchor_lang::AccountDeserialize;
use mercato_solana_client::auction::{self, ListingKind, SaleParties};
use mercato_solana_client::defaults::MRC;
use mercato_solana_client::governance::{self, Side};
use mercato_solana_client::items::{self, ItemAttributes, ItemsConfig};
use mercato_solana_client::token::{self, EconomyConfig, ParamChange};
use mercato_solana_client::{Instruction, Pubkey};
use mercato_solana_node::client;
use mercato_solana_node::deploy::{self, Roles};
use mercato_solana_node::{LocalNode, NodeConfig};
use serde_json::Value;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;
use sqlx::PgPool;
use std::time::{Duration, Instant};

pub(crate) const SOL: u64 = 1_000_000_000;

pub(crate) async fn send(rpc: &RpcClient, ixs: &[Instruction], payer: &Keypair) {
    client::send(rpc, ixs, payer, &[]).await.unwrap_or_else(|e| panic!("{e}"));
}

pub(crate) async fn funded(rpc: &RpcClient) -> Keypair {
    let keypair = Keypair::new();
    client::airdrop(rpc, &keypair.pubkey(), 10 * SOL).await.expect("airdrop");
    keypair
}

pub(crate) async fn read<T: AccountDeserialize>(rpc: &RpcClient, address: &Pubkey) -> T {
    let data = rpc.get_account_data(address).await.expect("getAccountInfo");
    T::try_deserialize(&mut data.as_slice()).expect("account deserializes")
}

pub(crate) async fn token_balance(rpc: &RpcClient, account: &Pubkey) -> u64 {
    match rpc.get_token_account_balance(account).await {
        Ok(b) => b.amount.parse().unwrap(),
        Err(_) => 0, // no such account
    }
}

pub(crate) async fn travel(rpc: &RpcClient, seconds: i64) {
    let now = client::unix_timestamp(rpc).await.unwrap();
    client::time_travel(rpc, now + seconds).await.expect("surfnet_timeTravel");
}

/// Sends `amount` of the currency from `from` to `to`'s associated account (TransferChecked names the mint, so the
/// indexer sees it through the mint's signatures).
pub(crate) async fn pay(rpc: &RpcClient, from: &Keypair, to: &Pubkey, amount: u64) {
    let mint = token::mint_address();
    let create = create_associated_token_account_idempotent(&from.pubkey(), to, &mint, &anchor_spl::token::ID);
    let transfer = anchor_spl::token::spl_token::instruction::transfer_checked(
        &anchor_spl::token::ID,
        &token::currency_account(&from.pubkey()),
        &mint,
        &token::currency_account(to),
        &from.pubkey(),
        &[],
        amount,
        9,
    )
    .unwrap();
    send(rpc, &[create, transfer], from).await;
}

pub(crate) async fn get(api: &str, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{api}{path}")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn count(pool: &PgPool, table: &str, chain: &str) -> i64 {
    let column = if table == "solana_transactions" { "slot" } else { "block_number" };
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT count(*) FROM {table} WHERE chain = $1 AND {column} >= 0"))
        .bind(chain)
        .fetch_one(pool)
        .await
        .unwrap();
    n
}

pub(crate) const TABLES: [&str; 7] =
    ["solana_transactions", "raw_events", "transfers", "bids", "sales", "votes", "parameter_changes"];

pub(crate) async fn counts(pool: &PgPool, chain: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push(count(pool, table, chain).await);
    }
    out
}

/// Waits until the mirror's checkpoint reaches the node's confirmed slot as of now.
pub(crate) async fn wait_synced(rpc: &RpcClient, pool: &PgPool, chain: &str) {
    let target = rpc.get_slot().await.unwrap();
    let started = Instant::now();
    while sstore::checkpoint(pool, chain).await.unwrap().is_none_or(|c| c < target) {
        assert!(started.elapsed() < Duration::from_secs(60), "Solana ingest not at slot {target} after 60 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn solana_economy_api_answers_equal_the_chain_and_reingest_changes_nothing() {
    let Some(dir) = programs_dir("the indexer's Solana test") else { return };
    let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");

    let pg = LocalPostgres::start().unwrap();
    let url = pg.create_database("solana_mirror").unwrap();
    let pool = db::connect(&url, 8).await.unwrap();
    let poll = Duration::from_millis(50);
    let indexer = SolanaIndexer::new(pool.clone(), node.rpc_url(), "localtest", &solana, poll);
    let chain = indexer.chain().to_owned();
    assert_eq!(chain, "solana:localtest");
    let solana_state = api::AppState {
        pool: db::connect_base58(&url, 4).await.unwrap(),
        chain: chain.clone(),
        status: Some(indexer.status()),
        max_lag: 150,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let evm_state = api::AppState {
        pool: pool.clone(),
        chain: "evm:31337".into(),
        status: None,
        max_lag: 10,
        metrics: mercato_indexer::metrics_handle(),
        cache: Default::default(),
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(indexer.follow(stopped));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let app = api::router_with_solana(evm_state, Some(solana_state));
    tokio::spawn(mercato_indexer::serve_app(listener, app, std::future::pending()));

    // The economy: items, an English auction with an outbid, a fixed-price buy, governance with two voters.
    let holder = &roles.genesis_holder;
    let (seller, bidder, bidder2, buyer) =
        (funded(&rpc).await, funded(&rpc).await, funded(&rpc).await, funded(&rpc).await);
    for who in [&bidder, &bidder2, &buyer] {
        pay(&rpc, holder, &who.pubkey(), 1_000 * MRC).await;
    }
    let first = read::<ItemsConfig>(&rpc, &solana.accounts.items_config).await.next_item_id;
    for (i, class) in [(0, 3u16), (1, 5)] {
        let attributes = ItemAttributes { class, rarity: 2, power: 900 + i as u32 };
        let ix = items::mint_item(
            roles.game_server.pubkey(),
            seller.pubkey(),
            first + i,
            attributes,
            "It".into(),
            "u".into(),
        );
        send(&rpc, &[ix], &roles.game_server).await;
    }
    let (sword, shield) = (items::item_mint_address(first), items::item_mint_address(first + 1));
    send(&rpc, &[auction::create_listing(seller.pubkey(), sword, ListingKind::English, 100 * MRC, 0, 600)], &seller)
        .await;
    send(&rpc, &[auction::create_listing(seller.pubkey(), shield, ListingKind::Fixed, 50 * MRC, 0, 0)], &seller).await;
    send(&rpc, &[auction::bid(bidder.pubkey(), sword, 120 * MRC, None)], &bidder).await;
    send(&rpc, &[auction::bid(bidder2.pubkey(), sword, 130 * MRC, Some(bidder.pubkey()))], &bidder2).await;
    let parties = SaleParties { seller: seller.pubkey(), creator: holder.pubkey() };
    send(&rpc, &[auction::buy(buyer.pubkey(), shield, 50 * MRC, parties)], &buyer).await;
    travel(&rpc, 601).await;
    send(&rpc, &[auction::settle(buyer.pubkey(), sword, bidder2.pubkey(), parties)], &buyer).await;
    send(&rpc, &[token::burn(buyer.pubkey(), token::currency_account(&buyer.pubkey()), 7 * MRC, 1)], &buyer).await;
    send(&rpc, &[governance::deposit(holder.pubkey(), 5_000_000 * MRC)], holder).await;
    send(&rpc, &[governance::deposit(bidder.pubkey(), 100 * MRC)], &bidder).await;
    let proposal = read::<governance::Governance>(&rpc, &solana.accounts.governance).await.next_proposal_id;
    send(&rpc, &[governance::propose(holder.pubkey(), proposal, ParamChange::MarketFeeBps(300))], holder).await;
    send(&rpc, &[governance::cast_vote(holder.pubkey(), proposal, Side::For)], holder).await;
    send(&rpc, &[governance::cast_vote(bidder.pubkey(), proposal, Side::Against)], &bidder).await;
    travel(&rpc, 600 + 120 + 1).await;
    send(&rpc, &[governance::execute(proposal)], &buyer).await;
    wait_synced(&rpc, &pool, &chain).await;

    // Accounts: wallet balance = its currency account; voting power = its governance deposit.
    let wallets = [holder.pubkey(), seller.pubkey(), bidder.pubkey(), bidder2.pubkey(), buyer.pubkey()];
    for wallet in wallets {
        let (status, view) = get(&api, &format!("/solana/v1/accounts/{wallet}")).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["address"], wallet.to_string(), "addresses are base58 under /solana");
        let balance = token_balance(&rpc, &token::currency_account(&wallet)).await;
        assert_eq!(view["balance"], balance.to_string(), "balance of {wallet}");
        let deposit = match rpc.get_account_data(&governance::voter_address(&wallet)).await {
            Ok(data) => governance::VoterRecord::try_deserialize(&mut data.as_slice()).unwrap().deposited,
            Err(_) => 0,
        };
        assert_eq!(view["voting_power"], deposit.to_string(), "voting power of {wallet}");
    }
    assert_ne!(get(&api, &format!("/solana/v1/accounts/{}", bidder.pubkey())).await.1["voting_power"], "0");

    // Items: owners from the chain's token accounts, attributes from the Item records.
    for (id, mint, owner) in [(first, sword, bidder2.pubkey()), (first + 1, shield, buyer.pubkey())] {
        assert_eq!(
            token_balance(&rpc, &items::item_account(&owner, &mint)).await,
            1,
            "the chain says {owner} holds it"
        );
        let (status, item) = get(&api, &format!("/solana/v1/items/{id}")).await;
        assert_eq!(status, 200, "{item}");
        assert_eq!(item["owner"], owner.to_string());
        assert_eq!(item["collection"], solana.accounts.collection.to_string());
        assert_eq!(item["mint"], mint.to_string());
        let record: items::Item = read(&rpc, &items::item_address(&mint)).await;
        assert_eq!(item["class"], i64::from(record.attributes.class));
        assert_eq!(item["power"], i64::from(record.attributes.power));
        let (_, owned) = get(&api, &format!("/solana/v1/accounts/{owner}/items")).await;
        assert_eq!(owned["items"].as_array().unwrap().len(), 1);
        let (_, history) = get(&api, &format!("/solana/v1/items/{id}/history")).await;
        // mint, into escrow, out to the buyer (transfers) and the sale
        assert_eq!(history["items"].as_array().unwrap().len(), 4, "{history}");
    }

    // Market: both listings sold (their accounts are closed on chain), bids and sales as the events said.
    for mint in [sword, shield] {
        assert!(rpc.get_account_data(&auction::listing_address(&mint)).await.is_err(), "listing closed on chain");
    }
    let (_, listings) = get(&api, "/solana/v1/listings").await;
    let listings = listings["items"].as_array().unwrap().clone();
    assert_eq!(listings.len(), 2);
    assert!(listings.iter().all(|l| l["status"] == "sold"), "{listings:?}");
    let english = listings.iter().find(|l| l["kind"] == "english").unwrap();
    assert_eq!(
        (english["high_bid"].as_str(), english["bid_count"].as_i64()),
        (Some((130 * MRC).to_string().as_str()), Some(2))
    );
    assert_eq!(english["high_bidder"], bidder2.pubkey().to_string());
    let (_, bids) = get(&api, "/solana/v1/bids").await;
    assert_eq!(bids["items"].as_array().unwrap().len(), 2);
    assert_eq!(bids["items"][0]["previous_bidder"], bidder.pubkey().to_string());
    let (_, sales) = get(&api, "/solana/v1/sales").await;
    let sales = sales["items"].as_array().unwrap().clone();
    assert_eq!(sales.len(), 2);
    let fee_bps = 250; // the market fee in force at both sales (changed to 300 only afterwards)
    for sale in &sales {
        let price: u64 = sale["price"].as_str().unwrap().parse().unwrap();
        assert_eq!(sale["fee"], (price * fee_bps / 10_000).to_string(), "{sale}");
        assert_eq!(sale["currency"], solana.accounts.currency_mint.to_string());
    }

    // Governance: tallies and quorum equal the Proposal account, the change is in the parameter history.
    let on_chain: governance::Proposal = read(&rpc, &governance::proposal_address(proposal)).await;
    let (status, p) = get(&api, &format!("/solana/v1/proposals/{proposal}")).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["votes_for"], on_chain.votes_for.to_string());
    assert_eq!(p["votes_against"], on_chain.votes_against.to_string());
    assert_eq!(p["quorum"], on_chain.quorum_votes.to_string());
    assert_eq!((p["voters"].as_i64(), p["state"].as_str()), (Some(2), Some("executed")));
    let (_, votes) = get(&api, &format!("/solana/v1/proposals/{proposal}/votes")).await;
    assert_eq!(votes["items"].as_array().unwrap().len(), 2);
    let config: EconomyConfig = read(&rpc, &solana.accounts.economy_config).await;
    let (_, parameters) = get(&api, "/solana/v1/parameters").await;
    let fee = parameters.as_array().unwrap().iter().find(|c| c["name"] == "marketFeeBps").expect("fee change");
    assert_eq!(fee["new_value"], config.market.market_fee_bps.to_string());

    // Economy: the supply (minted − burned, from and to the zero pubkey) equals the mint's supply on chain.
    let supply = rpc.get_token_supply(&solana.accounts.currency_mint).await.expect("token supply");
    let (status, days) = get(&api, "/solana/v1/economy/daily").await;
    assert_eq!(status, 200, "{days}");
    let days = days["items"].as_array().expect("economy days").clone();
    assert_eq!(days.last().expect("an economy day")["supply"], supply.amount, "{days:?}");
    let burned: u128 = days.iter().map(|d| d["burned"].as_str().unwrap().parse::<u128>().unwrap()).sum();
    assert!(burned >= u128::from(7 * MRC), "the 7 MRC burn counts: {days:?}");
    // Holders and Gini equal the chain's: every SPL token account of the currency mint (getProgramAccounts), its
    // balance summed per owner — wallets, escrows and vaults alike, as on EVM where contracts hold balances too.
    let (holders, gini) = chain_holdings(&rpc, &solana.accounts.currency_mint).await;
    let today = days.last().unwrap();
    assert_eq!(today["holders"].as_u64(), Some(holders), "holders: {today}");
    assert!((today["gini"].as_f64().unwrap() - gini).abs() < 1e-6, "gini {gini}: {today}");

    // /readyz reports both chains; EVM has nothing ingested here, so it is not ready.
    let (status, ready) = get(&api, "/readyz").await;
    assert_eq!(status, 503, "{ready}");
    let chains = ready["chains"].as_array().unwrap();
    assert_eq!(chains[1]["chain"], chain);
    assert_eq!(chains[1]["ready"], true, "{ready}");
    assert!(chains[1]["lag"].as_u64().is_some());
    let (status, _) = get(&api, "/solana/readyz").await;
    assert_eq!(status, 200);

    // Bad Solana input: 4xx with a reason.
    let evm_address = "0x00000000000000000000000000000000000000aa";
    for (path, reason) in [
        ("/solana/v1/accounts/not-a-pubkey".to_owned(), "invalid_address"),
        (format!("/solana/v1/accounts/{evm_address}"), "invalid_address"),
        ("/solana/v1/accounts/1111111111111111111111111111111O".to_owned(), "invalid_address"),
        ("/solana/v1/items?owner=0OIl".to_owned(), "invalid_address"),
        ("/solana/v1/sales?buyer=abc".to_owned(), "invalid_address"),
        ("/solana/v1/items/xyz".to_owned(), "invalid_id"),
        (format!("/v1/accounts/{}", seller.pubkey()), "invalid_address"),
    ] {
        let (status, body) = get(&api, &path).await;
        assert_eq!((status, body["error"]["reason"].as_str()), (400, Some(reason)), "{path}: {body}");
    }

    // Stop following; re-ingest every signature from the deploy slot: nothing new, nothing duplicated.
    stop.send(true).unwrap();
    follower.await.unwrap().unwrap();
    let before = counts(&pool, &chain).await;
    eprintln!("mirror rows {TABLES:?}: {before:?}");
    let balances: Vec<(Vec<u8>, String)> =
        sqlx::query_as("SELECT address, balance::text FROM accounts WHERE chain = $1 ORDER BY address")
            .bind(&chain)
            .fetch_all(&pool)
            .await
            .unwrap();
    sqlx::query("DELETE FROM checkpoints WHERE chain = $1").bind(&chain).execute(&pool).await.unwrap();
    sqlx::query("DELETE FROM solana_checkpoints WHERE chain = $1").bind(&chain).execute(&pool).await.unwrap();
    let mut again = SolanaIndexer::new(pool.clone(), node.rpc_url(), "localtest", &solana, poll);
    let step = again.step().await.unwrap();
    assert!(step.advanced, "{step:?}");
    assert_eq!((step.transactions, step.events), (0, 0), "every redelivered transaction is a no-op");
    assert_eq!(counts(&pool, &chain).await, before, "row counts after re-ingesting {TABLES:?}");
    let after: Vec<(Vec<u8>, String)> =
        sqlx::query_as("SELECT address, balance::text FROM accounts WHERE chain = $1 ORDER BY address")
            .bind(&chain)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(after, balances);

    // A stored slot whose block is not the finalized one (as after a rollback of a confirmed slot) is rolled back
    // with everything above it, then ingested again to the same mirror.
    let newest_tx_slot: (i64,) = sqlx::query_as("SELECT max(slot) FROM solana_transactions WHERE chain = $1")
        .bind(&chain)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE blocks SET hash = '\\x00' WHERE chain = $1 AND number = $2")
        .bind(&chain)
        .bind(newest_tx_slot.0)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM solana_finality WHERE chain = $1").bind(&chain).execute(&pool).await.unwrap();
    let started = Instant::now();
    let rolled_back = loop {
        let n = again.verify().await.unwrap();
        if n > 0 {
            break n;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "slot {} never checked as final", newest_tx_slot.0);
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(rolled_back > 0);
    eprintln!("finality check rolled back {rolled_back} slots");
    assert!(count(&pool, "solana_transactions", &chain).await < before[0], "the slot's transactions were undone");
    while again.step().await.unwrap().transactions == 0
        && sstore::checkpoint(&pool, &chain).await.unwrap().unwrap() < newest_tx_slot.0 as u64
    {}
    assert_eq!(counts(&pool, &chain).await, before, "re-ingested after the rollback");
    let restored: Vec<(Vec<u8>, String)> =
        sqlx::query_as("SELECT address, balance::text FROM accounts WHERE chain = $1 ORDER BY address")
            .bind(&chain)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(restored, balances, "balances after rollback and re-ingest");
    node.stop().expect("the node stops");
}

/// The `serve` binary with a manifest deploying both chains: it indexes both, `/readyz` reports each, and Solana
/// answers under `/solana`.
#[tokio::test(flavor = "multi_thread")]
async fn serve_indexes_both_chains_and_readyz_reports_each() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let Some(dir) = programs_dir("the indexer's two-chain serve test") else { return };
    let h = crate::common::Harness::new(&[], "two_chains").await;
    let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");
    let mut manifest = h.deployed.manifest.clone();
    manifest.solana = Some(solana);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("both.json");
    manifest.save(&path).unwrap();

    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_mercato-indexer"))
        .args(["serve", "--listen", "127.0.0.1:0", "--poll-ms", "50", "--solana-poll-ms", "50"])
        .env("MERCATO_INDEXER_DATABASE_URL", &h.database_url)
        .env("MERCATO_MANIFEST", &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _child = KillOnDrop(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("indexer listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    let started = Instant::now();
    let ready = loop {
        let (status, ready) = get(&base, "/readyz").await;
        if status == 200 {
            break ready;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "not ready: {ready}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let chains: Vec<&str> = ready["chains"].as_array().unwrap().iter().map(|c| c["chain"].as_str().unwrap()).collect();
    assert_eq!(chains, [h.chain.as_str(), &format!("solana:{}", manifest.network)], "{ready}");
    let holder = roles.genesis_holder.pubkey();
    let balance = token_balance(&rpc, &token::currency_account(&holder)).await;
    assert!(balance > 0);
    let (status, account) = get(&base, &format!("/solana/v1/accounts/{holder}")).await;
    assert_eq!((status, account["balance"].as_str()), (200, Some(balance.to_string().as_str())), "{account}");
}

/// A local node with the economy deployed, and a migrated mirror database (for the Solana tests of the other
/// modules).
pub(crate) struct SolanaFixture {
    /// The node (stopped when dropped).
    pub(crate) node: LocalNode,
    /// A client of it.
    pub(crate) rpc: RpcClient,
    /// Deployer, game server, genesis holder.
    pub(crate) roles: Roles,
    /// The manifest's Solana section.
    pub(crate) solana: mercato_manifest::SolanaDeployment,
    /// The Postgres cluster (dropped last).
    pub(crate) _pg: LocalPostgres,
    /// The mirror's URL.
    pub(crate) url: String,
    /// A pool on it.
    pub(crate) pool: PgPool,
}

impl SolanaFixture {
    /// `None` when the SBF programs are not built (the test is skipped with a message).
    pub(crate) async fn start(what: &str, database: &str) -> Option<Self> {
        let dir = programs_dir(what)?;
        let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
        let rpc = client::rpc_client(node.rpc_url());
        let roles =
            Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
        let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");
        let pg = LocalPostgres::start().unwrap();
        let url = pg.create_database(database).unwrap();
        let pool = db::connect(&url, 8).await.unwrap();
        Some(Self { node, rpc, roles, solana, _pg: pg, url, pool })
    }

    /// An indexer of the deployment (cluster `localtest`).
    pub(crate) fn indexer(&self, poll: Duration) -> SolanaIndexer {
        SolanaIndexer::new(self.pool.clone(), self.node.rpc_url(), "localtest", &self.solana, poll)
    }

    /// Mints item `id` (class `class`) to `owner`.
    pub(crate) async fn mint(&self, owner: &Pubkey, id: u64, class: u16) -> Pubkey {
        let attributes = ItemAttributes { class, rarity: 1, power: 10 };
        let ix = items::mint_item(self.roles.game_server.pubkey(), *owner, id, attributes, "It".into(), "u".into());
        send(&self.rpc, &[ix], &self.roles.game_server).await;
        items::item_mint_address(id)
    }

    /// The next item id.
    pub(crate) async fn next_item_id(&self) -> u64 {
        read::<ItemsConfig>(&self.rpc, &self.solana.accounts.items_config).await.next_item_id
    }

    /// `seller` lists `item` at a fixed `price` and `buyer` buys it; returns the sale's slot.
    pub(crate) async fn sell(&self, item: Pubkey, seller: &Keypair, buyer: &Keypair, price: u64) -> u64 {
        let list = auction::create_listing(seller.pubkey(), item, ListingKind::Fixed, price, 0, 0);
        send(&self.rpc, &[list], seller).await;
        let parties = SaleParties { seller: seller.pubkey(), creator: self.roles.genesis_holder.pubkey() };
        let ix = auction::buy(buyer.pubkey(), item, price, parties);
        let signature = client::send(&self.rpc, &[ix], buyer, &[]).await.unwrap_or_else(|e| panic!("{e}"));
        let status = self.rpc.get_signature_statuses(&[signature]).await.unwrap();
        status.value[0].as_ref().expect("the buy is known").slot
    }
}

/// The number of owners holding some of `mint` and the Gini coefficient of their holdings, read from the chain.
async fn chain_holdings(rpc: &RpcClient, mint: &Pubkey) -> (u64, f64) {
    use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
    use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
    let config = RpcProgramAccountsConfig {
        filters: Some(vec![
            RpcFilterType::DataSize(165),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, &mint.to_bytes())),
        ]),
        account_config: RpcAccountInfoConfig {
            encoding: Some(solana_rpc_client_api::config::UiAccountEncoding::Base64),
            ..Default::default()
        },
        ..Default::default()
    };
    let accounts =
        rpc.get_program_ui_accounts_with_config(&anchor_spl::token::ID, config).await.expect("getProgramAccounts");
    let mut per_owner: std::collections::BTreeMap<[u8; 32], u64> = std::collections::BTreeMap::new();
    for (_, account) in accounts {
        let data = account.data.decode().expect("base64 account data");
        let owner: [u8; 32] = data[32..64].try_into().unwrap();
        *per_owner.entry(owner).or_default() += u64::from_le_bytes(data[64..72].try_into().unwrap());
    }
    let mut held: Vec<f64> = per_owner.values().filter(|b| **b > 0).map(|b| *b as f64).collect();
    held.sort_by(f64::total_cmp);
    let n = held.len() as f64;
    let total: f64 = held.iter().sum();
    let weighted: f64 = held.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * x).sum();
    (held.len() as u64, 2.0 * weighted / (n * total) - (n + 1.0) / n)
}
