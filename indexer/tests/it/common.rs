//! Fixtures: a deployment with a Postgres mirror and the indexer following it, and the check that the mirror equals
//! the chain, computed from the chain alone (logs, balanceOf, getVotes, ownerOf, headers).

use alloy::network::EthereumWallet;
use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::Filter;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolEvent;
use mercato_e2e::evm::{Deployed, deploy};
use mercato_evm_bindings::{MercatoItems, MercatoToken};
use mercato_indexer::evm::source::EvmSource;
use mercato_indexer::ingest::{Indexer, IngestConfig};
use mercato_indexer::{api, db, store};
use mercato_manifest::EvmDeployment;
use mercato_postgres::LocalPostgres;
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// 10^18: one MRC.
pub(crate) const MRC: u128 = 1_000_000_000_000_000_000;

/// A deployment, its mirror, and (optionally) the indexer following it with the API served.
pub(crate) struct Harness {
    /// Anvil with the suite (dropped last).
    pub(crate) deployed: Deployed,
    /// The Postgres cluster.
    pub(crate) _pg: LocalPostgres,
    /// Its database URL.
    pub(crate) database_url: String,
    /// A pool on it.
    pub(crate) pool: PgPool,
    /// The chain key.
    pub(crate) chain: String,
    /// API base URL, when serving.
    pub(crate) api: String,
    /// Ingest's status, when following.
    pub(crate) status: Option<std::sync::Arc<mercato_indexer::ingest::Status>>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(stop) = &self.stop {
            let _ = stop.send(true);
        }
    }
}

impl Harness {
    /// Deploys on a fresh anvil started with `anvil_args` and creates the mirror database (migrated).
    pub(crate) async fn new(anvil_args: &[&str], database: &str) -> Self {
        let deployed = deploy(anvil_args);
        let pg = LocalPostgres::start().unwrap();
        let database_url = pg.create_database(database).unwrap();
        let pool = db::connect(&database_url, 8).await.unwrap();
        let chain = store::evm_chain_key(deployed.manifest.evm.as_ref().unwrap().chain_id);
        Self { deployed, _pg: pg, database_url, pool, chain, api: String::new(), status: None, stop: None }
    }

    /// The EVM section of the manifest.
    pub(crate) fn evm(&self) -> &EvmDeployment {
        self.deployed.manifest.evm.as_ref().unwrap()
    }

    /// An indexer of this deployment.
    pub(crate) fn indexer(&self, config: IngestConfig) -> Indexer {
        let evm = self.evm();
        let addresses = evm.contracts.named().iter().map(|(_, a)| *a).collect();
        let source = EvmSource::connect(&self.deployed.anvil.endpoint(), addresses).unwrap();
        Indexer::new(self.pool.clone(), source, evm.chain_id, evm.contracts, evm.deploy_block, config)
    }

    /// Starts the indexer following the chain and the API on a free port.
    pub(crate) async fn follow_and_serve(&mut self, config: IngestConfig) {
        let indexer = self.indexer(config);
        self.status = Some(indexer.status());
        let state = api::AppState {
            pool: self.pool.clone(),
            chain: self.chain.clone(),
            status: Some(indexer.status()),
            max_lag: 5,
            metrics: mercato_indexer::metrics_handle(),
            cache: Default::default(),
        };
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            if let Err(e) = indexer.follow(stopped).await {
                panic!("ingest stopped: {e}");
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        self.api = format!("http://{}", listener.local_addr().unwrap());
        let mut api_stopped = stop.subscribe();
        tokio::spawn(mercato_indexer::serve(listener, state, async move {
            let _ = api_stopped.changed().await;
        }));
        self.stop = Some(stop);
    }

    /// A provider signing as anvil's account `index`.
    pub(crate) fn wallet(&self, index: usize) -> DynProvider {
        let signer = PrivateKeySigner::from(self.deployed.anvil.keys()[index].clone());
        ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(self.deployed.anvil.endpoint().parse().unwrap())
            .erased()
    }

    /// Anvil's account `index`.
    pub(crate) fn address(&self, index: usize) -> Address {
        self.deployed.anvil.addresses()[index]
    }

    /// Waits until the checkpoint is the chain's head (same number and hash).
    pub(crate) async fn wait_synced(&self) {
        let provider = self.wallet(0);
        let started = Instant::now();
        loop {
            let head = provider.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest).await.unwrap().unwrap();
            let checkpoint = store::checkpoint(&self.pool, &self.chain).await.unwrap();
            if checkpoint.is_some_and(|c| c.number == head.header.number && c.hash == head.header.hash) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "indexer not at head {} ({}) after 60 s: checkpoint {checkpoint:?}",
                head.header.number,
                head.header.hash
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// GET `path` on the API: status and JSON body.
    pub(crate) async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let response = reqwest::get(format!("{}{path}", self.api)).await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(serde_json::Value::Null))
    }
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", alloy::hex::encode(bytes))
}

/// Asserts that the mirror equals the canonical chain: the same logs at the same positions (no gap, no duplicate),
/// stored blocks canonical, and every balance, voting power and item owner equal to the contracts' answers.
/// Returns the number of events compared.
pub(crate) async fn assert_mirror_matches_chain(h: &Harness) -> usize {
    let provider = h.wallet(0);
    let evm = h.evm();
    let c = evm.contracts;
    let head = provider.get_block_number().await.unwrap();
    let checkpoint = store::checkpoint(&h.pool, &h.chain).await.unwrap().expect("a checkpoint");
    assert_eq!(checkpoint.number, head, "the mirror is at the head");

    // Logs: exactly the chain's, at the same positions, from the same blocks and transactions.
    let addresses: Vec<Address> = c.named().iter().map(|(_, a)| *a).collect();
    let logs =
        provider.get_logs(&Filter::new().address(addresses).from_block(evm.deploy_block).to_block(head)).await.unwrap();
    let chain_rows: Vec<(i64, i64, String, String)> = logs
        .iter()
        .map(|l| {
            (
                l.block_number.unwrap() as i64,
                l.log_index.unwrap() as i64,
                hex(l.block_hash.unwrap().as_slice()),
                hex(l.transaction_hash.unwrap().as_slice()),
            )
        })
        .collect();
    let db_rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT block_number, log_index, hex0x(block_hash), hex0x(tx_hash) FROM raw_events WHERE chain = $1
         ORDER BY block_number, log_index",
    )
    .bind(&h.chain)
    .fetch_all(&h.pool)
    .await
    .unwrap();
    assert_eq!(db_rows.len(), chain_rows.len(), "event count: mirror vs chain");
    assert_eq!(db_rows, chain_rows, "raw events differ from the chain's logs");

    // Stored blocks are canonical.
    let blocks: Vec<(i64, Vec<u8>)> = sqlx::query_as("SELECT number, hash FROM blocks WHERE chain = $1")
        .bind(&h.chain)
        .fetch_all(&h.pool)
        .await
        .unwrap();
    for (number, hash) in blocks {
        let canonical = provider.get_block_by_number((number as u64).into()).await.unwrap().expect("block exists");
        assert_eq!(canonical.header.hash, B256::from_slice(&hash), "stored block {number} is not canonical");
    }

    // Balances and voting power of every account the chain's logs mention, and of every account the mirror has.
    let token = MercatoToken::new(c.token, &provider);
    let mut accounts: BTreeSet<Address> = BTreeSet::new();
    for log in &logs {
        if log.address() == c.token && log.topics().first() == Some(&MercatoToken::Transfer::SIGNATURE_HASH) {
            let t = MercatoToken::Transfer::decode_log(&log.inner).unwrap();
            accounts.extend([t.from, t.to]);
        }
    }
    let stored: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT address FROM accounts WHERE chain = $1")
        .bind(&h.chain)
        .fetch_all(&h.pool)
        .await
        .unwrap();
    accounts.extend(stored.iter().map(|(a,)| Address::from_slice(a)));
    accounts.remove(&Address::ZERO);
    for account in &accounts {
        let (balance, votes): (String, String) = sqlx::query_as(
            "SELECT COALESCE(max(balance), 0)::text, COALESCE(max(votes), 0)::text FROM accounts
             WHERE chain = $1 AND address = $2",
        )
        .bind(&h.chain)
        .bind(account.as_slice())
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(balance, token.balanceOf(*account).call().await.unwrap().to_string(), "balance of {account}");
        assert_eq!(votes, token.getVotes(*account).call().await.unwrap().to_string(), "votes of {account}");
    }

    // Item owners.
    let items = MercatoItems::new(c.items, &provider);
    let next: U256 = items.nextTokenId().call().await.unwrap();
    let count: (i64,) =
        sqlx::query_as("SELECT count(*) FROM items WHERE chain = $1").bind(&h.chain).fetch_one(&h.pool).await.unwrap();
    assert_eq!(U256::from(count.0 + 1), next, "item count");
    for id in 1..next.to::<u64>() {
        let owner = items.ownerOf(U256::from(id)).call().await.unwrap();
        let (stored,): (Vec<u8>,) =
            sqlx::query_as("SELECT owner FROM items WHERE chain = $1 AND token_id = $2::numeric")
                .bind(&h.chain)
                .bind(id.to_string())
                .fetch_one(&h.pool)
                .await
                .unwrap();
        assert_eq!(Address::from_slice(&stored), owner, "owner of item {id}");
    }
    chain_rows.len()
}
