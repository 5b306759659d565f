//! Initializing the Mercato economy on a cluster over JSON-RPC: the currency with its genesis supply, the item
//! collection, the auction house and governance, which then holds the economy's authority (as the timelock does
//! on EVM). The result is the manifest's Solana section.

use crate::client::{self, SendError};
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use mercato_manifest::{SolanaAccounts, SolanaDeployment, SolanaPrograms};
use mercato_solana_client::defaults::{GENESIS_SUPPLY, ROYALTY_BPS, economy_params, governance_params};
use mercato_solana_client::items::CollectionParams;
use mercato_solana_client::{auction, governance, items, token};
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;

/// Who initializes the economy and which roles it starts with.
pub struct Roles {
    /// Pays and signs the initialization; hands the authority to governance at the end.
    pub deployer: Keypair,
    /// Reward grants and item mints.
    pub game_server: Keypair,
    /// Receives the genesis supply and the royalties.
    pub genesis_holder: Keypair,
}

/// Why the economy could not be initialized.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The economy config already exists on this cluster.
    #[error("the Mercato economy is already initialized on this cluster (config {0})")]
    AlreadyDeployed(mercato_solana_client::Pubkey),
    /// A program is not deployed.
    #[error("program {name} ({id}) is not deployed on this cluster")]
    MissingProgram {
        /// Crate name.
        name: &'static str,
        /// Program id.
        id: mercato_solana_client::Pubkey,
    },
    /// A step's transaction failed.
    #[error("step {step:?} failed: {source}")]
    Step {
        /// What was being done.
        step: &'static str,
        /// The failure.
        source: SendError,
    },
}

/// Initializes the economy with the suite's defaults ([`economy_params`], [`governance_params`] with `fast`
/// timings for local development). The deployer must hold enough SOL for rent (a few SOL).
pub async fn deploy(
    rpc: &RpcClient,
    ws_url: &str,
    roles: &Roles,
    fast_governance: bool,
) -> Result<SolanaDeployment, DeployError> {
    let step = |step: &'static str| move |source: SendError| DeployError::Step { step, source };
    for (id, name) in mercato_solana_client::PROGRAMS {
        let account = rpc.get_account(&id).await.ok();
        if !account.is_some_and(|a| a.executable) {
            return Err(DeployError::MissingProgram { name, id });
        }
    }
    if rpc.get_account(&token::config_address()).await.is_ok() {
        return Err(DeployError::AlreadyDeployed(token::config_address()));
    }
    let deploy_slot = rpc.get_slot().await.map_err(|e| step("read the slot")(e.into()))?;
    let deployer = &roles.deployer;
    let authority = deployer.pubkey();
    let send = |instructions: Vec<_>| async move { client::send(rpc, &instructions, deployer, &[]).await };

    send(vec![token::initialize(authority, economy_params(roles.game_server.pubkey()))])
        .await
        .map_err(step("initialize the currency"))?;
    let holder = roles.genesis_holder.pubkey();
    send(vec![
        create_associated_token_account_idempotent(&authority, &holder, &token::mint_address(), &anchor_spl::token::ID),
        token::mint_genesis(authority, token::currency_account(&holder), GENESIS_SUPPLY),
    ])
    .await
    .map_err(step("mint the genesis supply"))?;
    let collection = CollectionParams {
        name: "Mercato Items".into(),
        uri: "https://items.mercato.example/collection.json".into(),
        minter: roles.game_server.pubkey(),
        royalty_receiver: holder,
        royalty_bps: ROYALTY_BPS,
    };
    send(vec![items::init_collection(authority, collection)]).await.map_err(step("create the item collection"))?;
    send(vec![auction::init_house(authority)]).await.map_err(step("create the auction house"))?;
    send(vec![
        governance::init_governance(authority, governance_params(fast_governance)),
        token::set_authority(authority, governance::governance_address()),
    ])
    .await
    .map_err(step("create governance and hand it the economy"))?;

    Ok(SolanaDeployment {
        rpc_url: rpc.url(),
        ws_url: ws_url.to_owned(),
        deploy_slot,
        deployer: authority,
        game_server: roles.game_server.pubkey(),
        genesis_holder: holder,
        programs: SolanaPrograms {
            token: token::PROGRAM_ID,
            items: items::PROGRAM_ID,
            auction: auction::PROGRAM_ID,
            governance: governance::PROGRAM_ID,
        },
        accounts: SolanaAccounts {
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            treasury: token::treasury_address(),
            items_config: items::config_address(),
            collection: items::collection_address(),
            auction_house: auction::house_address(),
            governance: governance::governance_address(),
        },
    })
}
