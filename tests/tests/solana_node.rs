//! The local Solana node end to end, over JSON-RPC only: start it with the programs' SBF builds, initialize the
//! economy, mint an item, auction it, settle, change a market parameter through governance, and see a failing
//! transaction refused. Everything a client does here it would do against a real cluster (the clock jump is the
//! node's one cheat code).

use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use mercato_e2e::solana::programs_dir;
use mercato_manifest::Manifest;
use mercato_solana_client::auction::{self, AuctionError, Listing, ListingKind, SaleParties};
use mercato_solana_client::defaults::{GENESIS_SUPPLY, MRC};
use mercato_solana_client::events::decode_one;
use mercato_solana_client::governance::{self, Proposal, Side};
use mercato_solana_client::items::{self, ItemAttributes, ItemsConfig};
use mercato_solana_client::token::{self, EconomyConfig, ParamChange};
use mercato_solana_client::{Instruction, Pubkey};
use mercato_solana_node::client::{self, SendError};
use mercato_solana_node::deploy::{self, DeployError, Roles};
use mercato_solana_node::{LocalNode, NodeConfig, NodeError, localnet};
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

async fn send(rpc: &RpcClient, ixs: &[Instruction], payer: &Keypair, signers: &[&Keypair]) -> Vec<String> {
    let signature = client::send(rpc, ixs, payer, signers).await.unwrap_or_else(|e| panic!("{e}"));
    client::logs(rpc, &signature).await.expect("getTransaction")
}

async fn funded(rpc: &RpcClient) -> Keypair {
    let keypair = Keypair::new();
    client::airdrop(rpc, &keypair.pubkey(), 10 * SOL).await.expect("airdrop");
    keypair
}

async fn balance(rpc: &RpcClient, account: &Pubkey) -> u64 {
    rpc.get_token_account_balance(account).await.expect("getTokenAccountBalance").amount.parse().unwrap()
}

async fn read<T: AccountDeserialize>(rpc: &RpcClient, address: &Pubkey) -> T {
    let data = rpc.get_account_data(address).await.expect("getAccountInfo");
    T::try_deserialize(&mut data.as_slice()).expect("account deserializes")
}

async fn travel(rpc: &RpcClient, seconds: i64) {
    let now = client::unix_timestamp(rpc).await.unwrap();
    client::time_travel(rpc, now + seconds).await.expect("surfnet_timeTravel");
    assert!(client::unix_timestamp(rpc).await.unwrap() >= now + seconds, "the clock moved");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_economy_runs_on_the_local_node_over_json_rpc() {
    let Some(dir) = programs_dir("the local Solana node test") else { return };
    let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    assert!(
        rpc.get_version().await.expect("getVersion").solana_core.chars().next().is_some_and(|c| c.is_ascii_digit())
    );

    // Initialize with fresh role keys; the manifest section round-trips through a file.
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");
    for (name, id) in solana.programs.named() {
        assert!(rpc.get_account(&id).await.unwrap().executable, "{name} is an executable program");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("localnet.json");
    let manifest = Manifest { network: "localnet".into(), evm: None, solana: Some(solana.clone()) };
    manifest.save(&path).unwrap();
    assert_eq!(Manifest::load(&path).unwrap().solana.unwrap(), solana);
    let config: EconomyConfig = read(&rpc, &solana.accounts.economy_config).await;
    assert_eq!(config.authority, solana.accounts.governance, "governance holds the economy");
    let holder = &roles.genesis_holder;
    let holder_account = token::currency_account(&holder.pubkey());
    assert_eq!(balance(&rpc, &holder_account).await, GENESIS_SUPPLY);
    assert!(
        matches!(deploy::deploy(&rpc, node.ws_url(), &roles, true).await, Err(DeployError::AlreadyDeployed(_))),
        "a second initialization is refused before sending anything"
    );

    // The game server mints an item to a seller, who lists it in a 10-minute English auction.
    let seller = funded(&rpc).await;
    let id = read::<ItemsConfig>(&rpc, &solana.accounts.items_config).await.next_item_id;
    let attributes = ItemAttributes { class: 3, rarity: 4, power: 9_000 };
    let mint_ix =
        items::mint_item(roles.game_server.pubkey(), seller.pubkey(), id, attributes, "Sword".into(), "u".into());
    send(&rpc, &[mint_ix], &roles.game_server, &[]).await;
    let item = items::item_mint_address(id);
    let listing = auction::create_listing(seller.pubkey(), item, ListingKind::English, 100 * MRC, 0, 600);
    let logs = send(&rpc, &[listing], &seller, &[]).await;
    assert!(decode_one::<auction::events::ListingCreated>(&logs).is_some(), "ListingCreated in the logs:\n{logs:?}");

    // A bidder funded by the genesis holder bids; the bid is escrowed.
    let bidder = funded(&rpc).await;
    let bidder_account = token::currency_account(&bidder.pubkey());
    let fund = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &holder_account,
        &bidder_account,
        &holder.pubkey(),
        &[],
        1_000 * MRC,
    )
    .unwrap();
    let create = create_associated_token_account_idempotent(
        &holder.pubkey(),
        &bidder.pubkey(),
        &solana.accounts.currency_mint,
        &anchor_spl::token::ID,
    );
    send(&rpc, &[create, fund], holder, &[]).await;
    let logs = send(&rpc, &[auction::bid(bidder.pubkey(), item, 120 * MRC, None)], &bidder, &[]).await;
    assert_eq!(decode_one::<auction::events::BidPlaced>(&logs).unwrap().amount, 120 * MRC);
    assert_eq!(balance(&rpc, &bidder_account).await, 880 * MRC);

    // Settling before the end is refused by preflight with the program's own error; nothing is charged.
    let parties = SaleParties { seller: seller.pubkey(), creator: holder.pubkey() };
    let settler = funded(&rpc).await;
    let settle = [auction::settle(settler.pubkey(), item, bidder.pubkey(), parties)];
    let error = client::send(&rpc, &settle, &settler, &[]).await.expect_err("settling before the end must fail");
    let code = u32::from(AuctionError::AuctionNotEnded);
    assert!(matches!(error, SendError::Rpc(_)), "refused at preflight: {error}");
    assert!(error.to_string().contains(&format!("custom program error: {code:#x}")), "{error}");
    assert_eq!(rpc.get_balance(&settler.pubkey()).await.unwrap(), 10 * SOL, "a refused transaction costs nothing");

    // After the end anyone settles: the item moves and the sale pays the 2.5% fee into the treasury.
    travel(&rpc, 601).await;
    let treasury_before = balance(&rpc, &solana.accounts.treasury).await;
    let logs = send(&rpc, &settle, &settler, &[]).await;
    let sale: auction::events::Sale = decode_one(&logs).expect("Sale event");
    assert_eq!((sale.price, sale.fee, sale.buyer), (120 * MRC, 3 * MRC, bidder.pubkey()));
    assert_eq!(balance(&rpc, &solana.accounts.treasury).await - treasury_before, 3 * MRC);
    assert_eq!(balance(&rpc, &items::item_account(&bidder.pubkey(), &item)).await, 1, "the winner holds the item");

    // Governance: the genesis holder deposits 5M (quorum is 4% of 100M), proposes a 3% fee, votes, waits, executes.
    send(&rpc, &[governance::deposit(holder.pubkey(), 5_000_000 * MRC)], holder, &[]).await;
    let proposal = read::<governance::Governance>(&rpc, &solana.accounts.governance).await.next_proposal_id;
    send(&rpc, &[governance::propose(holder.pubkey(), proposal, ParamChange::MarketFeeBps(300))], holder, &[]).await;
    send(&rpc, &[governance::cast_vote(holder.pubkey(), proposal, Side::For)], holder, &[]).await;
    travel(&rpc, 600 + 120 + 1).await;
    let logs = send(&rpc, &[governance::execute(proposal)], &settler, &[]).await;
    assert!(decode_one::<governance::events::ProposalExecuted>(&logs).is_some(), "{logs:?}");
    let config: EconomyConfig = read(&rpc, &solana.accounts.economy_config).await;
    assert_eq!(config.market.market_fee_bps, 300, "the live parameter changed");

    node.stop().expect("the node stops");
}

#[test]
fn a_missing_program_build_is_one_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let Err(error) = LocalNode::start(&NodeConfig::new(empty.path())) else { panic!("started without programs") };
    assert!(matches!(error, NodeError::ReadProgram { .. }), "{error}");
    assert!(error.to_string().contains("mercato_token.so") && error.to_string().contains("./mercato sbf"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_economy_is_seeded_as_described() {
    let Some(dir) = programs_dir("the Solana demo economy test") else { return };
    let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, false).await.expect("economy initialized");
    let demo = mercato_solana_node::demo::seed(&rpc, &solana, &roles).await.unwrap_or_else(|e| panic!("{e}"));

    let key = |v: &serde_json::Value| v.as_str().expect("an address").parse::<Pubkey>().expect("base58");
    let (seller, buyer) = (key(&demo["traders"]["seller"]), key(&demo["traders"]["buyer"]));
    assert_eq!((seller, buyer), (localnet::demo_trader(0).pubkey(), localnet::demo_trader(1).pubkey()));
    for (name, kind) in
        [("english", ListingKind::English), ("dutch", ListingKind::Dutch), ("fixed", ListingKind::Fixed)]
    {
        let listing: Listing = read(&rpc, &auction::listing_address(&key(&demo[name]))).await;
        assert_eq!((listing.kind, listing.seller), (kind, seller), "the {name} listing is open, by the seller");
    }
    let english: Listing = read(&rpc, &auction::listing_address(&key(&demo["english"]))).await;
    assert_eq!((english.high_bidder, english.high_bid), (buyer, 120 * MRC), "the buyer's bid stands");
    let sold = key(&demo["sold"]);
    assert!(rpc.get_account(&auction::listing_address(&sold)).await.is_err(), "the sold item's listing is closed");
    assert_eq!(balance(&rpc, &items::item_account(&buyer, &sold)).await, 1, "the buyer holds the sold item");
    let id = demo["proposal"].as_u64().expect("a proposal id");
    let proposal: Proposal = read(&rpc, &governance::proposal_address(id)).await;
    assert_eq!(proposal.change, ParamChange::MarketFeeBps(300), "the open proposal changes the market fee");
    assert!(proposal.voting_ends_ts > client::unix_timestamp(&rpc).await.unwrap(), "voting is open");
}
