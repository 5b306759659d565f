//! Ready-made economies for the tests.

use crate::{Backend, Harness};
use anchor_lang::prelude::Pubkey;
use mercato_solana_client::auction::{self, SaleParties};
use mercato_solana_client::governance::{self, GovernanceParams};
use mercato_solana_client::items::{self, CollectionParams, ItemAttributes};
use mercato_solana_client::token::{self, InitializeParams};
use solana_keypair::Keypair;
use solana_signer::Signer;

pub use mercato_solana_client::defaults::MRC;

/// The default economy: the same market parameters as the EVM deployment.
pub fn default_params(game_server: Pubkey) -> InitializeParams {
    mercato_solana_client::defaults::economy_params(game_server)
}

/// An initialized currency with its actors.
pub struct Economy {
    /// The config authority (the deployer until governance takes over).
    pub authority: Keypair,
    /// The game server (reward role).
    pub game_server: Keypair,
    /// Holds the genesis supply (the game studio's wallet in these tests).
    pub genesis_owner: Keypair,
    /// The genesis owner's currency account.
    pub genesis_account: Pubkey,
    /// The currency mint.
    pub mint: Pubkey,
}

impl Economy {
    /// Initializes the currency with [`default_params`] and mints `genesis` to the genesis owner.
    pub fn start<B: Backend>(h: &mut Harness<B>, genesis: u64) -> Self {
        let authority = h.funded_keypair(10);
        let game_server = h.funded_keypair(10);
        let genesis_owner = h.funded_keypair(1);
        let mint = token::mint_address();
        let genesis_account = token::currency_account(&genesis_owner.pubkey());
        h.must(&[token::initialize(authority.pubkey(), default_params(game_server.pubkey()))], &[&authority]);
        h.create_ata(&genesis_owner.pubkey(), &mint);
        if genesis > 0 {
            h.must(&[token::mint_genesis(authority.pubkey(), genesis_account, genesis)], &[&authority]);
        }
        Self { authority, game_server, genesis_owner, genesis_account, mint }
    }

    /// A funded player with a currency account holding `amount` (paid from the genesis account).
    pub fn player<B: Backend>(&self, h: &mut Harness<B>, amount: u64) -> (Keypair, Pubkey) {
        let player = h.funded_keypair(5);
        let account = h.create_ata(&player.pubkey(), &self.mint);
        if amount > 0 {
            let ix = anchor_spl::token::spl_token::instruction::transfer(
                &anchor_spl::token::ID,
                &self.genesis_account,
                &account,
                &self.genesis_owner.pubkey(),
                &[],
                amount,
            )
            .expect("transfer instruction");
            h.must(&[ix], &[&self.genesis_owner]);
        }
        (player, account)
    }
}

/// An economy with an item collection.
pub struct Collection {
    /// The currency side.
    pub economy: Economy,
    /// The items authority: the economy's authority, who alone may create the collection.
    pub authority: Keypair,
    /// The minter role (the game server).
    pub minter: Keypair,
    /// Receives royalties.
    pub creator: Keypair,
}

impl Collection {
    /// The economy plus a collection with a 5% royalty to `creator`.
    pub fn start<B: Backend>(h: &mut Harness<B>, genesis: u64) -> Self {
        let economy = Economy::start(h, genesis);
        let authority = economy.authority.insecure_clone();
        let minter = h.funded_keypair(50);
        let creator = h.funded_keypair(1);
        let params = CollectionParams {
            name: "Mercato Items".into(),
            uri: "https://items.mercato.example/collection.json".into(),
            minter: minter.pubkey(),
            royalty_receiver: creator.pubkey(),
            royalty_bps: 500,
        };
        h.must(&[items::init_collection(authority.pubkey(), params)], &[&authority]);
        Self { economy, authority, minter, creator }
    }

    /// Mints the next item to `owner`; returns its id and mint.
    pub fn mint<B: Backend>(&self, h: &mut Harness<B>, owner: &Pubkey, attributes: ItemAttributes) -> (u64, Pubkey) {
        let id = h.read::<items::ItemsConfig>(&items::config_address()).next_item_id;
        let ix = items::mint_item(
            self.minter.pubkey(),
            *owner,
            id,
            attributes,
            format!("Item #{id}"),
            format!("https://items.mercato.example/{id}.json"),
        );
        h.must(&[ix], &[&self.minter]);
        (id, items::item_mint_address(id))
    }
}

/// A collection plus the auction house.
pub struct Market {
    /// Currency and items.
    pub collection: Collection,
}

impl Market {
    /// Starts the economy, the collection and the house; the genesis owner holds `genesis`.
    pub fn start<B: Backend>(h: &mut Harness<B>, genesis: u64) -> Self {
        let collection = Collection::start(h, genesis);
        let payer = h.payer();
        h.must(&[auction::init_house(payer)], &[]);
        Self { collection }
    }

    /// Who a sale by `seller` pays.
    pub fn parties(&self, seller: Pubkey) -> SaleParties {
        SaleParties { seller, creator: self.collection.creator.pubkey() }
    }

    /// A player with `amount` of currency.
    pub fn player<B: Backend>(&self, h: &mut Harness<B>, amount: u64) -> Keypair {
        self.collection.economy.player(h, amount).0
    }

    /// Mints an item to `owner` and returns its mint.
    pub fn item<B: Backend>(&self, h: &mut Harness<B>, owner: &Pubkey) -> Pubkey {
        self.collection.mint(h, owner, ItemAttributes { class: 7, rarity: 2, power: 1_000 }).1
    }
}

/// Governance settings for the tests: 10-minute votes, 2-minute hold-up, 4% quorum, simple majority,
/// 1,000 MRC to propose.
pub fn governance_params() -> GovernanceParams {
    GovernanceParams {
        voting_period: 600,
        hold_up: 120,
        quorum_bps: 400,
        approval_bps: 5_000,
        proposal_threshold: 1_000 * MRC,
    }
}

/// A market whose economy config is governed by the DAO.
pub struct Dao {
    /// Currency, items and auction house.
    pub market: Market,
}

impl Dao {
    /// Starts the market with `genesis` minted, creates governance (signed by the economy's authority) and hands
    /// the economy to it.
    pub fn start<B: Backend>(h: &mut Harness<B>, genesis: u64) -> Self {
        let market = Market::start(h, genesis);
        let authority = &market.collection.economy.authority;
        h.must(&[governance::init_governance(authority.pubkey(), governance_params())], &[authority]);
        h.must(&[token::set_authority(authority.pubkey(), governance::governance_address())], &[authority]);
        Self { market }
    }

    /// A player holding `amount` who deposits `deposit` of it.
    pub fn voter<B: Backend>(&self, h: &mut Harness<B>, amount: u64, deposit: u64) -> Keypair {
        let voter = self.market.player(h, amount);
        if deposit > 0 {
            h.must(&[governance::deposit(voter.pubkey(), deposit)], &[&voter]);
        }
        voter
    }

    /// The id the next proposal gets.
    pub fn next_id<B: Backend>(&self, h: &mut Harness<B>) -> u64 {
        h.read::<governance::Governance>(&governance::governance_address()).next_proposal_id
    }
}
