//! A demo economy for the local stack: two traders with currency, items with attributes, an open English auction
//! with a bid, an open Dutch auction, an open fixed-price listing, one completed sale and an open proposal — so the
//! app has something to show on its first start. Local clusters only: the traders are [`localnet::demo_trader`] keys, known to anyone.

use crate::client::{self, SendError};
use crate::deploy::Roles;
use crate::localnet;
use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use mercato_manifest::SolanaDeployment;
use mercato_solana_client::auction::{self, ListingKind, SaleParties};
use mercato_solana_client::defaults::MRC;
use mercato_solana_client::governance::{self, Governance};
use mercato_solana_client::items::{self, ItemAttributes, ItemsConfig};
use mercato_solana_client::token::{self, ParamChange};
use mercato_solana_client::{AccountMeta, Instruction, Pubkey};
use serde_json::{Value, json};
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A step's transaction failed.
    #[error("demo step {step:?} failed: {source}")]
    Step {
        /// What was being done.
        step: String,
        /// The failure.
        source: SendError,
    },
    /// An account could not be read.
    #[error("reading {0}: {1}")]
    Read(Pubkey, String),
}

async fn read<T: AccountDeserialize>(rpc: &RpcClient, address: &Pubkey) -> Result<T, DemoError> {
    let data = rpc.get_account_data(address).await.map_err(|e| DemoError::Read(*address, e.to_string()))?;
    T::try_deserialize(&mut data.as_slice()).map_err(|e| DemoError::Read(*address, e.to_string()))
}

async fn send(rpc: &RpcClient, step: &str, instructions: &[Instruction], payer: &Keypair) -> Result<(), DemoError> {
    client::send(rpc, instructions, payer, &[])
        .await
        .map(|_| ())
        .map_err(|source| DemoError::Step { step: step.to_owned(), source })
}

/// A System program transfer of `lamports` from `from` to `to`.
fn sol_transfer(from: &Pubkey, to: &Pubkey, lamports: u64) -> Instruction {
    let mut data = 2u32.to_le_bytes().to_vec(); // SystemInstruction::Transfer
    data.extend_from_slice(&lamports.to_le_bytes());
    let accounts = vec![AccountMeta::new(*from, true), AccountMeta::new(*to, false)];
    Instruction { program_id: anchor_lang::system_program::ID, accounts, data }
}

/// Seeds the demo economy on a freshly deployed cluster and describes it (item mints and listing kinds, the
/// proposal, the traders' addresses) as JSON.
pub async fn seed(rpc: &RpcClient, deployment: &SolanaDeployment, roles: &Roles) -> Result<Value, DemoError> {
    let (game_server, holder) = (&roles.game_server, &roles.genesis_holder);
    let (seller, buyer) = (localnet::demo_trader(0), localnet::demo_trader(1));
    let currency = deployment.accounts.currency_mint;
    // The seller's first SOL comes from the node's faucet, the buyer's from the genesis holder: a buyer and seller
    // first funded by the same address are a wash-trade pattern (`common_funder`) the indexer leaves out of prices.
    client::airdrop(rpc, &seller.pubkey(), 10 * 1_000_000_000)
        .await
        .map_err(|source| DemoError::Step { step: "airdrop".into(), source })?;
    send(rpc, "fund the buyer", &[sol_transfer(&holder.pubkey(), &buyer.pubkey(), 1_000_000_000)], holder).await?;
    for trader in [&seller, &buyer] {
        let create = create_associated_token_account_idempotent(
            &holder.pubkey(),
            &trader.pubkey(),
            &currency,
            &anchor_spl::token::ID,
        );
        let transfer = anchor_spl::token::spl_token::instruction::transfer(
            &anchor_spl::token::ID,
            &token::currency_account(&holder.pubkey()),
            &token::currency_account(&trader.pubkey()),
            &holder.pubkey(),
            &[],
            5_000 * MRC,
        )
        .map_err(|e| DemoError::Read(currency, e.to_string()))?;
        send(rpc, "pay the traders", &[create, transfer], holder).await?;
    }

    let names =
        [("Iron Sword", 1, 1, 120), ("Oak Shield", 2, 2, 240), ("Ruby Ring", 3, 3, 400), ("Leather Cap", 2, 1, 60)];
    let mut mints = Vec::new();
    for (name, class, rarity, power) in names {
        let id = read::<ItemsConfig>(rpc, &deployment.accounts.items_config).await?.next_item_id;
        let attributes = ItemAttributes { class, rarity, power };
        let uri = format!("https://mercato.example/items/{id}.json");
        let mint = items::mint_item(game_server.pubkey(), seller.pubkey(), id, attributes, name.into(), uri);
        send(rpc, "mint an item", &[mint], game_server).await?;
        mints.push(items::item_mint_address(id));
    }
    let listings = [
        (mints[0], ListingKind::English, 100 * MRC, 0, 24 * 3_600),
        (mints[1], ListingKind::Dutch, 300 * MRC, 80 * MRC, 3_600),
        (mints[2], ListingKind::Fixed, 250 * MRC, 0, 0),
        (mints[3], ListingKind::Fixed, 40 * MRC, 0, 0),
    ];
    for (mint, kind, start, floor, duration) in listings {
        let list = auction::create_listing(seller.pubkey(), mint, kind, start, floor, duration);
        send(rpc, "list an item", &[list], &seller).await?;
    }
    send(rpc, "bid", &[auction::bid(buyer.pubkey(), mints[0], 120 * MRC, None)], &buyer).await?;
    let royalty = read::<ItemsConfig>(rpc, &deployment.accounts.items_config).await?.royalty_receiver;
    let parties = SaleParties { seller: seller.pubkey(), creator: royalty };
    send(rpc, "buy", &[auction::buy(buyer.pubkey(), mints[3], 40 * MRC, parties)], &buyer).await?;

    send(rpc, "deposit", &[governance::deposit(holder.pubkey(), 1_000_000 * MRC)], holder).await?;
    let proposal = read::<Governance>(rpc, &deployment.accounts.governance).await?.next_proposal_id;
    let propose = governance::propose(holder.pubkey(), proposal, ParamChange::MarketFeeBps(300));
    send(rpc, "propose", &[propose], holder).await?;

    let mint = |i: usize| mints[i].to_string();
    Ok(json!({
        "traders": {"seller": seller.pubkey().to_string(), "buyer": buyer.pubkey().to_string()},
        "english": mint(0), "dutch": mint(1), "fixed": mint(2), "sold": mint(3),
        "proposal": proposal,
    }))
}
