//! The relayer on Solana, end to end: the local Solana node with the programs' SBF builds, a real Postgres, the
//! relayer's HTTP API and engine. A custodial user with zero SOL bids and votes; a wallet user with zero SOL outbids
//! and votes by signing prepared transactions; the rent each needs is topped up exactly (both end with 0 lamports)
//! and the fee payer spends exactly what the requests report. Attempts to drain the fee payer, unsponsored programs
//! and instructions, forged signatures, malformed input and an exhausted budget are refused and spend nothing.

use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mercato_e2e::relayer::{RelayerClient, reason};
use mercato_e2e::solana::programs_dir;
use mercato_postgres::LocalPostgres;
use mercato_relayer::api::AppState;
use mercato_relayer::keys::LocalKeyStore;
use mercato_relayer::requests::Budgets;
use mercato_relayer::solana::SolanaInstruction;
use mercato_relayer::solana::engine::{SolanaConfig, SolanaEngine};
use mercato_relayer::solana::policy::FeePayerLimits;
use mercato_solana_client::auction::{self, Listing, ListingKind};
use mercato_solana_client::defaults::MRC;
use mercato_solana_client::governance::{self, Proposal, Side};
use mercato_solana_client::items::{self, ItemAttributes, ItemsConfig};
use mercato_solana_client::token::{self, ParamChange};
use mercato_solana_client::{Instruction, Pubkey};
use mercato_solana_node::client;
use mercato_solana_node::deploy::{self, Roles};
use mercato_solana_node::{LocalNode, NodeConfig};
use serde_json::{Value, json};
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::{Message, Transaction};
use std::sync::Arc;
use std::time::Duration;

const SOL: u64 = 1_000_000_000;
const MASTER_KEY: &str = "4444444444444444444444444444444444444444444444444444444444444444";

fn wire(instructions: &[Instruction]) -> Value {
    json!(instructions.iter().map(SolanaInstruction::from_instruction).collect::<Vec<_>>())
}

/// The instructions `/v1/solana/actions` builds for `signer`.
async fn build(relayer: &RelayerClient, signer: &Pubkey, action: Value) -> Vec<Value> {
    let body = json!({"signer": signer.to_string(), "action": action});
    let (status, built) = relayer.post("/v1/solana/actions", body, None, None).await;
    assert_eq!(status, 200, "{built}");
    built["instructions"].as_array().expect("instructions").clone()
}

/// Instructions in the relayer's JSON shape, parsed.
fn parsed(built: Vec<Value>) -> Vec<Instruction> {
    built
        .into_iter()
        .map(|v| {
            serde_json::from_value::<SolanaInstruction>(v).expect("an instruction").to_instruction().expect("valid")
        })
        .collect()
}

fn encode(transaction: &Transaction) -> String {
    BASE64.encode(bincode::serialize(transaction).unwrap())
}

async fn read<T: AccountDeserialize>(rpc: &RpcClient, address: &Pubkey) -> T {
    let data = rpc.get_account_data(address).await.expect("getAccountInfo");
    T::try_deserialize(&mut data.as_slice()).expect("account deserializes")
}

async fn funded(rpc: &RpcClient) -> Keypair {
    let keypair = Keypair::new();
    client::airdrop(rpc, &keypair.pubkey(), 10 * SOL).await.expect("airdrop");
    keypair
}

async fn send(rpc: &RpcClient, instructions: &[Instruction], payer: &Keypair) {
    client::send(rpc, instructions, payer, &[]).await.unwrap_or_else(|e| panic!("{e}"));
}

/// The genesis holder sends `amount` MRC to `owner`, creating their currency account (paying its rent itself).
async fn pay_currency(rpc: &RpcClient, holder: &Keypair, mint: &Pubkey, owner: &Pubkey, amount: u64) {
    let create = create_associated_token_account_idempotent(&holder.pubkey(), owner, mint, &anchor_spl::token::ID);
    let transfer = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &token::currency_account(&holder.pubkey()),
        &token::currency_account(owner),
        &holder.pubkey(),
        &[],
        amount,
    )
    .unwrap();
    send(rpc, &[create, transfer], holder).await;
}

/// A custodial user's instructions through the relayer; the final request view.
async fn custodial(relayer: &RelayerClient, token: &str, key: &str, instructions: &[Instruction]) -> Value {
    let body = json!({"instructions": wire(instructions)});
    let (status, accepted) = relayer.post("/v1/solana/instructions", body, Some(token), Some(key)).await;
    assert_eq!(status, 202, "{accepted}");
    let view = relayer.wait(accepted["id"].as_i64().unwrap(), Some(token)).await;
    assert_eq!(view["status"], "confirmed", "{view}");
    view
}

/// A wallet's instructions: prepared by the relayer, signed by the wallet, co-signed and sent by the relayer.
async fn wallet(relayer: &RelayerClient, signer: &Keypair, key: &str, instructions: &[Instruction]) -> Value {
    let body = json!({"signer": signer.pubkey().to_string(), "instructions": wire(instructions)});
    let (status, prepared) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!(status, 200, "{prepared}");
    let bytes = BASE64.decode(prepared["transaction"].as_str().unwrap()).unwrap();
    let mut transaction: Transaction = bincode::deserialize(&bytes).unwrap();
    transaction.try_partial_sign(&[signer], transaction.message.recent_blockhash).unwrap();
    let body = json!({"transaction": encode(&transaction)});
    let (status, accepted) = relayer.post("/v1/solana/transactions", body, None, Some(key)).await;
    assert_eq!(status, 202, "{accepted}");
    let view = relayer.wait(accepted["id"].as_i64().unwrap(), None).await;
    assert_eq!(view["status"], "confirmed", "{view}");
    view
}

/// A transaction the relayer is asked to co-sign, built by an attacker: `payer` first, signed by `signer`.
fn forged(instructions: &[Instruction], payer: &Pubkey, signer: &Keypair, blockhash: solana_hash::Hash) -> Value {
    let message = Message::new_with_blockhash(instructions, Some(payer), &blockhash);
    let mut transaction = Transaction::new_unsigned(message);
    transaction.try_partial_sign(&[signer], blockhash).unwrap();
    json!({"transaction": encode(&transaction)})
}

/// A JSON-RPC proxy to `upstream` that black-holes transactions, as a leader that never receives them: the next
/// `drop_next` new signatures, and every resend of them, are answered as if sent but never forwarded.
struct LossyProxy {
    url: String,
    /// How many new signatures to black-hole, and those black-holed so far.
    state: Arc<std::sync::Mutex<(usize, std::collections::HashSet<String>)>>,
}

impl LossyProxy {
    async fn start(upstream: &str) -> Self {
        let state = Arc::new(std::sync::Mutex::new((0, std::collections::HashSet::new())));
        let (upstream, http, shared) = (upstream.to_owned(), reqwest::Client::new(), state.clone());
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
                let (upstream, http, shared) = (upstream.clone(), http.clone(), shared.clone());
                async move {
                    if body["method"] == "sendTransaction" {
                        assert_eq!(body["params"][1]["encoding"], "base64", "the relayer sends base64");
                        let bytes = BASE64.decode(body["params"][0].as_str().unwrap()).unwrap();
                        // A legacy transaction starts with its signature count (one byte here), then signatures.
                        let signature = solana_signature::Signature::try_from(&bytes[1..65]).unwrap().to_string();
                        let mut guard = shared.lock().unwrap();
                        let (next, dropped) = &mut *guard;
                        if !dropped.contains(&signature) && *next > 0 {
                            *next -= 1;
                            dropped.insert(signature.clone());
                        }
                        if dropped.contains(&signature) {
                            return axum::Json(json!({"jsonrpc": "2.0", "id": body["id"], "result": signature}));
                        }
                    }
                    let answer = http.post(&upstream).json(&body).send().await.unwrap();
                    axum::Json(answer.json::<Value>().await.unwrap())
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, state }
    }

    fn drop_next(&self, n: usize) {
        self.state.lock().unwrap().0 = n;
    }

    fn dropped(&self) -> Vec<String> {
        self.state.lock().unwrap().1.iter().cloned().collect()
    }
}

async fn start_relayer(
    pool: sqlx::PgPool,
    rpc_url: &str,
    fee_payer: Keypair,
    user_daily_lamports: i64,
    stop: tokio::sync::watch::Receiver<bool>,
    run_engine: bool,
) -> RelayerClient {
    let keys = Arc::new(LocalKeyStore::from_hex(MASTER_KEY, &[]).unwrap());
    let config = SolanaConfig {
        fee_payer,
        limits: FeePayerLimits { max_top_up: 10_000_000, max_priority_fee: 100_000 },
        priority_fee_floor: 1_000,
        budgets: Budgets { principal: user_daily_lamports, global: 100 * SOL as i64 },
        poll: Duration::from_millis(50),
        resend_every: Duration::from_secs(1),
        batch: 64,
    };
    let engine = SolanaEngine::start(pool.clone(), keys.clone(), rpc_url, config).await.unwrap();
    let state = AppState::new(pool, keys, 3_600, mercato_relayer::metrics_handle()).with_solana(engine.clone());
    if run_engine {
        tokio::spawn(engine.run(stop.clone()));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut stop = stop;
    tokio::spawn(mercato_relayer::serve(listener, state, async move {
        let _ = stop.changed().await;
    }));
    RelayerClient::new(url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn zero_sol_users_bid_and_vote_and_the_fee_payer_cannot_be_drained() {
    let Some(dir) = programs_dir("the relayer's Solana test") else { return };
    let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");
    let mint = solana.accounts.currency_mint;
    let holder = &roles.genesis_holder;
    let fee_payer = funded(&rpc).await;
    let fee_payer_key = fee_payer.pubkey();

    let pg = LocalPostgres::start().unwrap();
    let pool = mercato_relayer::db::connect(&pg.create_database("relayer").unwrap(), 8).await.unwrap();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let fee_payer_copy = Keypair::try_from(fee_payer.to_bytes().as_slice()).unwrap();
    let relayer = start_relayer(pool.clone(), node.rpc_url(), fee_payer, 50_000_000, stop.clone(), true).await;

    // ---- a seller lists an item; the genesis holder proposes a 3% market fee (it holds the deposit that counts)
    let seller = funded(&rpc).await;
    let item_id = read::<ItemsConfig>(&rpc, &solana.accounts.items_config).await.next_item_id;
    let attributes = ItemAttributes { class: 1, rarity: 2, power: 300 };
    let mint_ix =
        items::mint_item(roles.game_server.pubkey(), seller.pubkey(), item_id, attributes, "Axe".into(), "u".into());
    send(&rpc, &[mint_ix], &roles.game_server).await;
    let item = items::item_mint_address(item_id);
    send(&rpc, &[auction::create_listing(seller.pubkey(), item, ListingKind::English, 100 * MRC, 0, 3_600)], &seller)
        .await;
    send(&rpc, &[governance::deposit(holder.pubkey(), 5_000_000 * MRC)], holder).await;
    let proposal_id = read::<governance::Governance>(&rpc, &solana.accounts.governance).await.next_proposal_id;
    let propose = governance::propose(holder.pubkey(), proposal_id, ParamChange::MarketFeeBps(300));
    send(&rpc, &[propose], holder).await;
    let proposal_address = governance::proposal_address(proposal_id);

    // ---- a custodial user (zero SOL) bids, deposits and votes through the relayer
    let (gina_token, gina_profile) = relayer.sign_up("gina@example.com").await;
    let gina: Pubkey = gina_profile["solana_address"].as_str().unwrap().parse().unwrap();
    pay_currency(&rpc, holder, &mint, &gina, 1_000 * MRC).await;
    let spent_before = rpc.get_balance(&fee_payer_key).await.unwrap();
    assert_eq!(rpc.get_balance(&gina).await.unwrap(), 0, "gina has no SOL");
    let bid = [auction::bid(gina, item, 120 * MRC, None)];
    let gina_bid = custodial(&relayer, &gina_token, "gina-bid", &bid).await;
    assert!(gina_bid["tx_hash"].as_str().is_some_and(|s| s.len() > 80), "a base58 signature: {gina_bid}");
    let listing: Listing = read(&rpc, &auction::listing_address(&item)).await;
    assert_eq!((listing.high_bidder, listing.high_bid), (gina, 120 * MRC), "gina's bid is on chain");
    let deposit = [governance::deposit(gina, 100 * MRC)];
    let gina_deposit = custodial(&relayer, &gina_token, "gina-deposit", &deposit).await;
    let vote = [governance::cast_vote(gina, proposal_id, Side::For)];
    let gina_vote = custodial(&relayer, &gina_token, "gina-vote", &vote).await;
    let proposal: Proposal = read(&rpc, &proposal_address).await;
    assert_eq!(proposal.votes_for, 100 * MRC, "gina's deposit voted for");
    assert_eq!(rpc.get_balance(&gina).await.unwrap(), 0, "the rent top-ups were exact: gina still holds no SOL");

    // Idempotency: the same key and body answer with the same request; another body under that key is refused.
    let body = json!({"instructions": wire(&bid)});
    let (status, replay) = relayer.post("/v1/solana/instructions", body, Some(&gina_token), Some("gina-bid")).await;
    assert_eq!((status, &replay["id"]), (200, &gina_bid["id"]), "{replay}");
    let body = json!({"instructions": wire(&vote)});
    let (status, reused) = relayer.post("/v1/solana/instructions", body, Some(&gina_token), Some("gina-bid")).await;
    assert_eq!((status, reason(&reused)), (422, "idempotency_key_reused".into()));

    // ---- a wallet user (zero SOL) outbids gina (which creates gina's credit account: rent) and votes against
    let wally = Keypair::new();
    pay_currency(&rpc, holder, &mint, &wally.pubkey(), 1_000 * MRC).await;
    let outbid = [auction::bid(wally.pubkey(), item, 150 * MRC, Some(gina))];
    // The relayer builds the same instructions from the action alone: it read gina as the high bidder.
    let built = build(
        &relayer,
        &wally.pubkey(),
        json!({"type": "bid", "item_mint": item.to_string(), "amount": (150 * MRC).to_string()}),
    )
    .await;
    assert_eq!(json!(built), wire(&outbid), "the relayer's bid instructions");
    let wally_bid = wallet(&relayer, &wally, "wally-bid", &outbid).await;
    let listing: Listing = read(&rpc, &auction::listing_address(&item)).await;
    assert_eq!((listing.high_bidder, listing.high_bid), (wally.pubkey(), 150 * MRC), "wally's bid is on chain");
    let deposit_and_vote = [
        governance::deposit(wally.pubkey(), 50 * MRC),
        governance::cast_vote(wally.pubkey(), proposal_id, Side::Against),
    ];
    let built_deposit = build(&relayer, &wally.pubkey(), json!({"type": "deposit", "amount": 50 * MRC})).await;
    let built_vote =
        build(&relayer, &wally.pubkey(), json!({"type": "vote", "proposal_id": proposal_id, "side": "against"})).await;
    assert_eq!(json!([built_deposit, built_vote].concat()), wire(&deposit_and_vote), "the relayer's deposit and vote");
    let wally_vote = wallet(&relayer, &wally, "wally-vote", &deposit_and_vote).await;
    let proposal: Proposal = read(&rpc, &proposal_address).await;
    assert_eq!((proposal.votes_for, proposal.votes_against), (100 * MRC, 50 * MRC), "both votes counted");
    assert_eq!(rpc.get_balance(&wally.pubkey()).await.unwrap(), 0, "wally still holds no SOL");

    // The fee payer spent exactly what the requests report (fees and top-ups), and each cost something.
    let views = [&gina_bid, &gina_deposit, &gina_vote, &wally_bid, &wally_vote];
    let reported: u64 = views.iter().map(|v| v["lamports"].as_u64().unwrap_or_else(|| panic!("lamports: {v}"))).sum();
    let spent = spent_before - rpc.get_balance(&fee_payer_key).await.unwrap();
    assert_eq!(spent, reported, "the fee payer's balance moved by exactly the reported lamports");
    // Rent: gina's bid created her credit account, her deposit her voter record, her vote its vote record, wally's
    // deposit and vote both records; wally's outbid created nothing (gina's credit account exists), so it cost a
    // fee only.
    let lamports = |v: &Value| v["lamports"].as_u64().unwrap();
    for view in [&gina_bid, &gina_deposit, &gina_vote, &wally_vote] {
        assert!(lamports(view) > 1_000_000, "a rent top-up and a fee: {view}");
    }
    assert!((10_000..20_000).contains(&lamports(&wally_bid)), "two signatures and a priority fee: {wally_bid}");

    // ---- built actions end to end: wally buys a fixed-price item; its seller, paid only in credits and holding no
    // currency account yet, withdraws them with the built instructions, which create that account first
    let fixed_id = read::<ItemsConfig>(&rpc, &solana.accounts.items_config).await.next_item_id;
    let attributes = ItemAttributes { class: 2, rarity: 1, power: 50 };
    let mint_fixed =
        items::mint_item(roles.game_server.pubkey(), seller.pubkey(), fixed_id, attributes, "Cap".into(), "u".into());
    send(&rpc, &[mint_fixed], &roles.game_server).await;
    let fixed = items::item_mint_address(fixed_id);
    send(&rpc, &[auction::create_listing(seller.pubkey(), fixed, ListingKind::Fixed, 40 * MRC, 0, 0)], &seller).await;
    let buy = json!({"type": "buy", "item_mint": fixed.to_string(), "max_price": (40 * MRC).to_string()});
    let buy = parsed(build(&relayer, &wally.pubkey(), buy).await);
    wallet(&relayer, &wally, "wally-buy", &buy).await;
    let tokens = |account: Pubkey| {
        let rpc = &rpc;
        async move { rpc.get_token_account_balance(&account).await.map(|b| b.amount.parse::<u64>().unwrap()) }
    };
    assert_eq!(tokens(items::item_account(&wally.pubkey(), &fixed)).await.unwrap(), 1, "wally owns the item");
    let seller_currency = token::currency_account(&seller.pubkey());
    assert!(tokens(seller_currency).await.is_err(), "the seller has no currency account yet");
    let credits = tokens(auction::credit_address(&seller.pubkey())).await.unwrap();
    assert!(credits > 30 * MRC && credits < 40 * MRC, "the price less fee and royalty is credited: {credits}");
    // The relayer's account read answers the chain's credits and lamports (what the app shows before a withdrawal).
    let state = |owner: Pubkey| {
        let relayer = &relayer;
        async move {
            let (status, body) = relayer.get(&format!("/v1/solana/accounts/{owner}"), None).await;
            assert_eq!(status, 200, "{body}");
            (body["credits"].as_str().unwrap().parse::<u64>().unwrap(), body["lamports"].as_u64().unwrap())
        }
    };
    let seller_lamports = rpc.get_balance(&seller.pubkey()).await.unwrap();
    assert_eq!(state(seller.pubkey()).await, (credits, seller_lamports), "the seller's credits and SOL");
    assert_eq!(state(Keypair::new().pubkey()).await, (0, 0), "an unknown address has neither");
    let withdraw = json!({"type": "withdraw_credits", "amount": credits.to_string()});
    let withdraw = parsed(build(&relayer, &seller.pubkey(), withdraw).await);
    assert_eq!(withdraw.len(), 2, "the currency account is created first: {withdraw:?}");
    wallet(&relayer, &seller, "seller-withdraw", &withdraw).await;
    assert_eq!(tokens(seller_currency).await.unwrap(), credits, "the credits reached the new currency account");
    assert_eq!(tokens(auction::credit_address(&seller.pubkey())).await.unwrap(), 0, "no credits left");
    assert_eq!(state(seller.pubkey()).await.0, 0, "the account read shows the credits gone");

    // ---- a wallet that pays its own fee: the relayer prepares (simulated, the wallet as fee payer, no top-up), the
    // wallet signs alone and sends it to the cluster; the relayer stores nothing and its fee payer spends nothing.
    // The holder proposes a 2.5% market fee from the built `propose` action (the next proposal id read from chain).
    let (requests_before,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests").fetch_one(&pool).await.unwrap();
    let fee_payer_before = rpc.get_balance(&fee_payer_key).await.unwrap();
    let next_id = read::<governance::Governance>(&rpc, &solana.accounts.governance).await.next_proposal_id;
    let propose = json!({"type": "propose", "change": {"parameter": "market_fee_bps", "value": 250}});
    let propose = parsed(build(&relayer, &holder.pubkey(), propose).await);
    assert_eq!(propose, vec![governance::propose(holder.pubkey(), next_id, ParamChange::MarketFeeBps(250))]);
    let body = json!({"signer": holder.pubkey().to_string(), "instructions": wire(&propose), "pay_fee": "signer"});
    let (status, prepared) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!(status, 200, "{prepared}");
    assert_eq!(
        (prepared["fee_payer"].as_str(), prepared["top_up"].as_u64()),
        (Some(&*holder.pubkey().to_string()), Some(0))
    );
    let mut transaction: Transaction =
        bincode::deserialize(&BASE64.decode(prepared["transaction"].as_str().unwrap()).unwrap()).unwrap();
    assert_eq!(transaction.message.account_keys[0], holder.pubkey(), "the wallet pays the fee");
    assert!(!transaction.message.account_keys.contains(&fee_payer_key), "the relayer is not in the transaction");
    assert_eq!(transaction.message.header.num_required_signatures, 1, "the wallet's signature alone");
    let holder_before = rpc.get_balance(&holder.pubkey()).await.unwrap();
    transaction.try_sign(&[holder], transaction.message.recent_blockhash).unwrap();
    rpc.send_and_confirm_transaction(&transaction).await.expect("the self-paid proposal lands");
    let proposal: Proposal = read(&rpc, &governance::proposal_address(next_id)).await;
    assert_eq!((proposal.author, proposal.change), (holder.pubkey(), ParamChange::MarketFeeBps(250)), "on chain");
    let rent = rpc.get_balance(&governance::proposal_address(next_id)).await.unwrap();
    let holder_after = rpc.get_balance(&holder.pubkey()).await.unwrap();
    let fee = prepared["fee"].as_u64().unwrap();
    assert!(fee >= 5_000, "one signature's fee at least: {prepared}");
    assert_eq!(holder_before - holder_after, fee + rent, "the wallet paid the quoted fee and the proposal's rent");
    assert_eq!(rpc.get_balance(&fee_payer_key).await.unwrap(), fee_payer_before, "the relayer paid nothing");
    let (requests_after,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests").fetch_one(&pool).await.unwrap();
    assert_eq!(requests_after, requests_before, "nothing was queued");
    // A wallet without SOL is told so instead of getting a transaction that cannot land.
    let body = json!({"signer": wally.pubkey().to_string(), "instructions": wire(&[governance::deposit(wally.pubkey(), MRC)]), "pay_fee": "signer"});
    let (status, answer) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!((status, reason(&answer)), (422, "insufficient_sol".into()), "{answer}");
    // So is a wallet that exists but cannot pay the rent of the account its instruction creates (a voter record).
    let poor = Keypair::new();
    client::airdrop(&rpc, &poor.pubkey(), 900_000).await.expect("airdrop");
    pay_currency(&rpc, holder, &mint, &poor.pubkey(), 10 * MRC).await;
    let body = json!({"signer": poor.pubkey().to_string(), "instructions": wire(&[governance::deposit(poor.pubkey(), MRC)]), "pay_fee": "signer"});
    let (status, answer) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!((status, reason(&answer)), (422, "insufficient_sol".into()), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("holds 900000 lamports"), "{answer}");
    // Only the Mercato suite's user instructions are prepared, whoever pays: a plain token transfer is refused.
    let plain = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &token::currency_account(&holder.pubkey()),
        &token::currency_account(&wally.pubkey()),
        &holder.pubkey(),
        &[],
        MRC,
    )
    .unwrap();
    let body = json!({"signer": holder.pubkey().to_string(), "instructions": wire(&[plain]), "pay_fee": "signer"});
    let (status, answer) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!((status, reason(&answer)), (403, "program_not_allowed".into()), "{answer}");
    // `execute` is built for anyone; the proposal is not executable yet (voting is open), so preparing it is refused.
    let execute = parsed(build(&relayer, &wally.pubkey(), json!({"type": "execute", "proposal_id": next_id})).await);
    let mut expected = governance::execute(next_id);
    expected.accounts.push(mercato_solana_client::AccountMeta::new_readonly(wally.pubkey(), true));
    assert_eq!(execute, vec![expected], "execute, with the signer attached to be charged");
    let body = json!({"signer": wally.pubkey().to_string(), "instructions": wire(&execute)});
    let (status, answer) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!((status, reason(&answer)), (422, "simulation_failed".into()), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("HoldUpNotOver"), "the program's reason: {answer}");

    // ---- refusals: none is stored, none costs the fee payer anything
    let (requests_before,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests").fetch_one(&pool).await.unwrap();
    let balance_before = rpc.get_balance(&fee_payer_key).await.unwrap();
    let attacker = Keypair::new();
    pay_currency(&rpc, holder, &mint, &attacker.pubkey(), 10 * MRC).await;
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let transfer = |to: &Pubkey, lamports| solana_system_interface::instruction::transfer(&fee_payer_key, to, lamports);
    let refusals: Vec<(&str, Value, u16, &str)> = vec![
        (
            "a transfer from the fee payer to someone else",
            forged(
                &[governance::deposit(attacker.pubkey(), MRC), transfer(&Pubkey::new_unique(), SOL)],
                &fee_payer_key,
                &attacker,
                blockhash,
            ),
            403,
            "system_instruction_not_allowed",
        ),
        (
            "a top-up larger than the rent the transaction needs",
            forged(
                &[transfer(&wally.pubkey(), 5_000_000), governance::deposit(wally.pubkey(), MRC)],
                &fee_payer_key,
                &wally,
                blockhash,
            ),
            403,
            "top_up_not_needed",
        ),
        (
            "the fee payer as the bidder",
            forged(
                &[governance::deposit(attacker.pubkey(), MRC), auction::bid(fee_payer_key, item, 200 * MRC, None)],
                &fee_payer_key,
                &attacker,
                blockhash,
            ),
            403,
            "fee_payer_in_instruction",
        ),
        (
            "another fee payer",
            forged(&[governance::deposit(attacker.pubkey(), MRC)], &attacker.pubkey(), &attacker, blockhash),
            403,
            "fee_payer_not_relayer",
        ),
        (
            "an unsponsored program (a plain token transfer)",
            forged(
                &[anchor_spl::token::spl_token::instruction::transfer(
                    &anchor_spl::token::ID,
                    &token::currency_account(&attacker.pubkey()),
                    &token::currency_account(&wally.pubkey()),
                    &attacker.pubkey(),
                    &[],
                    MRC,
                )
                .unwrap()],
                &fee_payer_key,
                &attacker,
                blockhash,
            ),
            403,
            "program_not_allowed",
        ),
        (
            "an admin instruction",
            forged(
                &[token::update_param(attacker.pubkey(), ParamChange::MarketFeeBps(0))],
                &fee_payer_key,
                &attacker,
                blockhash,
            ),
            403,
            "instruction_not_allowed",
        ),
        ("not base64", json!({"transaction": "%%%"}), 400, "malformed_transaction"),
        ("not a transaction", json!({"transaction": BASE64.encode([1u8, 2, 3])}), 400, "malformed_transaction"),
        ("no body", json!({}), 400, "malformed_body"),
    ];
    for (i, (what, body, status, expected)) in refusals.into_iter().enumerate() {
        let (got, answer) = relayer.post("/v1/solana/transactions", body, None, Some(&format!("attack-{i}"))).await;
        assert_eq!((got, reason(&answer)), (status, expected.to_owned()), "{what}: {answer}");
    }
    // A forged signature: wally's prepared transaction signed by someone else.
    let body = json!({"signer": wally.pubkey().to_string(), "instructions": wire(&[governance::deposit(wally.pubkey(), MRC)])});
    let (status, prepared) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!(status, 200, "{prepared}");
    let mut transaction: Transaction =
        bincode::deserialize(&BASE64.decode(prepared["transaction"].as_str().unwrap()).unwrap()).unwrap();
    let message = transaction.message_data();
    transaction.signatures[1] = attacker.sign_message(&message);
    let body = json!({"transaction": encode(&transaction)});
    let (status, answer) = relayer.post("/v1/solana/transactions", body, None, Some("forged")).await;
    assert_eq!((status, reason(&answer)), (400, "invalid_signature".into()), "{answer}");
    // Custodial refusals: a bid too low fails in simulation; an instruction another key must sign; bad input.
    let too_low = json!({"instructions": wire(&[auction::bid(gina, item, 151 * MRC, Some(wally.pubkey()))])});
    let (status, answer) = relayer.post("/v1/solana/instructions", too_low, Some(&gina_token), Some("low")).await;
    assert_eq!((status, reason(&answer)), (422, "simulation_failed".into()), "{answer}");
    let other = json!({"instructions": wire(&[governance::deposit(attacker.pubkey(), MRC)])});
    let (status, answer) = relayer.post("/v1/solana/instructions", other, Some(&gina_token), Some("other")).await;
    assert_eq!((status, reason(&answer)), (400, "unknown_signer".into()), "{answer}");
    let bad = json!({"instructions": [{"program_id": "nope", "accounts": [], "data": ""}]});
    let (status, answer) = relayer.post("/v1/solana/instructions", bad, Some(&gina_token), Some("bad")).await;
    assert_eq!((status, reason(&answer)), (400, "invalid_instruction".into()), "{answer}");
    let (status, answer) =
        relayer.post("/v1/solana/instructions", json!({"instructions": []}), Some(&gina_token), Some("none")).await;
    assert_eq!((status, reason(&answer)), (400, "no_instructions".into()), "{answer}");
    let (status, answer) =
        relayer.post("/v1/solana/instructions", json!({"instructions": wire(&bid)}), None, Some("x")).await;
    assert_eq!((status, reason(&answer)), (401, "missing_session".into()), "{answer}");
    // Action building refuses bad input with a reason.
    let signer = attacker.pubkey().to_string();
    let unlisted = items::item_mint_address(item_id + 99).to_string();
    // Lamports sent to an unlisted item's listing address make a system account there: still no listing.
    let squatted = items::item_mint_address(item_id + 98);
    let squat =
        solana_system_interface::instruction::transfer(&holder.pubkey(), &auction::listing_address(&squatted), SOL);
    send(&rpc, &[squat], holder).await;
    let squatted = squatted.to_string();
    let actions: Vec<(Value, u16, &str)> = vec![
        (json!({"signer": signer, "action": {"type": "bid", "item_mint": squatted, "amount": 1}}), 422, "no_listing"),
        (json!({"signer": "nope", "action": {"type": "deposit", "amount": 1}}), 400, "invalid_signer"),
        (json!({"signer": signer, "action": {"type": "bid", "item_mint": "x", "amount": 1}}), 400, "invalid_action"),
        (json!({"signer": signer, "action": {"type": "bid", "item_mint": unlisted, "amount": 1}}), 422, "no_listing"),
        (
            json!({"signer": signer, "action": {"type": "buy", "item_mint": item.to_string(), "max_price": 1}}),
            422,
            "not_for_sale",
        ),
        (json!({"signer": signer, "action": {"type": "deposit", "amount": "0"}}), 400, "invalid_action"),
        (json!({"signer": signer, "action": {"type": "deposit", "amount": "-1"}}), 400, "malformed_body"),
        (json!({"signer": signer, "action": {"type": "steal"}}), 400, "malformed_body"),
        (
            json!({"signer": signer, "action": {"type": "propose", "change": {"parameter": "tax", "value": 1}}}),
            400,
            "malformed_body",
        ),
        (
            json!({"signer": signer, "action": {"type": "propose", "change": {"parameter": "market_fee_bps", "value": 70000}}}),
            400,
            "malformed_body",
        ),
        (
            json!({"signer": signer, "action": {"type": "propose", "change": {"parameter": "game_server", "value": "x"}}}),
            400,
            "invalid_action",
        ),
        (
            json!({"signer": signer, "action": {"type": "propose", "change": {"parameter": "market_fee_bps", "value": 5000}}}),
            400,
            "parameter_out_of_bounds",
        ),
        (
            json!({"signer": signer, "action": {"type": "propose", "change": {"parameter": "auction_duration_bounds", "value": {"min": 30, "max": 7200}}}}),
            400,
            "parameter_out_of_bounds",
        ),
    ];
    for (body, status, expected) in actions {
        let (got, answer) = relayer.post("/v1/solana/actions", body.clone(), None, None).await;
        assert_eq!((got, reason(&answer)), (status, expected.to_owned()), "{body}: {answer}");
    }
    // An exhausted budget: a relayer allowing 1 lamport a day refuses gina's next request.
    let (_stop2_tx, stop2) = tokio::sync::watch::channel(false);
    let stingy = start_relayer(pool.clone(), node.rpc_url(), fee_payer_copy, 1, stop2, false).await;
    let deposit_more = json!({"instructions": wire(&[governance::deposit(gina, MRC)])});
    let (status, answer) = stingy.post("/v1/solana/instructions", deposit_more, Some(&gina_token), Some("broke")).await;
    assert_eq!((status, reason(&answer)), (429, "user_budget_exceeded".into()), "{answer}");

    let (requests_after,): (i64,) = sqlx::query_as("SELECT count(*) FROM requests").fetch_one(&pool).await.unwrap();
    assert_eq!(requests_after, requests_before, "no refused request was stored");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(rpc.get_balance(&fee_payer_key).await.unwrap(), balance_before, "the refusals cost nothing");

    let _ = stop_tx.send(true);
    node.stop().expect("the node stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dropped_transaction_is_resigned_after_its_blockhash_expires_and_lands_once() {
    let Some(dir) = programs_dir("the relayer's Solana expiry test") else { return };
    let node = LocalNode::start(&NodeConfig { slot_time_ms: 50, ..NodeConfig::new(dir) }).expect("node starts");
    let rpc = client::rpc_client(node.rpc_url());
    let roles =
        Roles { deployer: funded(&rpc).await, game_server: funded(&rpc).await, genesis_holder: funded(&rpc).await };
    let solana = deploy::deploy(&rpc, node.ws_url(), &roles, true).await.expect("economy initialized");
    let fee_payer = funded(&rpc).await;
    let fee_payer_key = fee_payer.pubkey();
    let proxy = LossyProxy::start(node.rpc_url()).await;
    let pg = LocalPostgres::start().unwrap();
    let pool = mercato_relayer::db::connect(&pg.create_database("relayer").unwrap(), 8).await.unwrap();
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let relayer = start_relayer(pool.clone(), &proxy.url, fee_payer, 50_000_000, stop, true).await;

    // A custodial deposit whose first transaction never reaches the cluster: resent until its blockhash expires,
    // then re-signed with a new blockhash; it lands once.
    let (token, profile) = relayer.sign_up("gina@example.com").await;
    let gina: Pubkey = profile["solana_address"].as_str().unwrap().parse().unwrap();
    pay_currency(&rpc, &roles.genesis_holder, &solana.accounts.currency_mint, &gina, 10 * MRC).await;
    proxy.drop_next(1);
    let view = custodial(&relayer, &token, "deposit", &[governance::deposit(gina, 3 * MRC)]).await;
    let lost = proxy.dropped();
    assert_eq!(lost.len(), 1, "one transaction was black-holed");
    assert_ne!(view["tx_hash"].as_str().unwrap(), lost[0], "the request landed under a new signature");
    let details: Vec<&str> = view["events"].as_array().unwrap().iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(details.iter().any(|d| d.starts_with("blockhash expired unseen; re-signed")), "{details:?}");
    let lost_signature: solana_signature::Signature = lost[0].parse().unwrap();
    let status = rpc.get_signature_statuses_with_history(&[lost_signature]).await.unwrap().value;
    assert!(status[0].is_none(), "the first transaction never landed");
    let voter: governance::VoterRecord = read(&rpc, &governance::voter_address(&gina)).await;
    assert_eq!(voter.deposited, 3 * MRC, "deposited exactly once");
    assert_eq!(rpc.get_balance(&gina).await.unwrap(), 0, "gina still holds no SOL");

    // A wallet's transaction that never reaches the cluster cannot be re-signed by the relayer: once its blockhash
    // expires the request fails with that reason, and it cost nothing.
    let wally = Keypair::new();
    pay_currency(&rpc, &roles.genesis_holder, &solana.accounts.currency_mint, &wally.pubkey(), 10 * MRC).await;
    let before = rpc.get_balance(&fee_payer_key).await.unwrap();
    proxy.drop_next(1);
    let body = json!({"signer": wally.pubkey().to_string(), "instructions": wire(&[governance::deposit(wally.pubkey(), MRC)])});
    let (status, prepared) = relayer.post("/v1/solana/prepare", body, None, None).await;
    assert_eq!(status, 200, "{prepared}");
    let mut transaction: Transaction =
        bincode::deserialize(&BASE64.decode(prepared["transaction"].as_str().unwrap()).unwrap()).unwrap();
    transaction.try_partial_sign(&[&wally], transaction.message.recent_blockhash).unwrap();
    let (status, accepted) =
        relayer.post("/v1/solana/transactions", json!({"transaction": encode(&transaction)}), None, Some("w")).await;
    assert_eq!(status, 202, "{accepted}");
    let view = relayer.wait(accepted["id"].as_i64().unwrap(), None).await;
    assert_eq!(view["status"], "failed", "{view}");
    assert!(view["error"].as_str().unwrap().starts_with("blockhash_expired"), "{view}");
    assert_eq!(view["lamports"], 0, "{view}");
    assert_eq!(rpc.get_balance(&fee_payer_key).await.unwrap(), before, "the lost transaction cost nothing");
    assert!(rpc.get_account(&governance::voter_address(&wally.pubkey())).await.is_err(), "no deposit happened");

    let _ = stop_tx.send(true);
    node.stop().expect("the node stops");
}
