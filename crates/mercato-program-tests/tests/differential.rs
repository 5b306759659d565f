//! Differential check: the same scenario, with the same keys and the same clock, ends in byte-identical account data
//! whether the programs run natively (host build in solana-program-test) or as SBF builds (LiteSVM). A difference
//! means the SBF route (std for bpf, i128 builtins, codegen flags) computes something the host build does not.

use anchor_lang::prelude::Pubkey;
use mercato_program_tests::fixtures::{MRC, default_params, governance_params};
use mercato_program_tests::{Backend, Harness};
use mercato_solana_client::auction::{self, ListingKind, SaleParties};
use mercato_solana_client::governance::{self, Side};
use mercato_solana_client::items::{self, CollectionParams, ItemAttributes};
use mercato_solana_client::token::{self, ParamChange};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// A fixed keypair per role, so both runs derive the same PDAs and write the same keys.
fn key(n: u8) -> Keypair {
    Keypair::new_from_array([n; 32])
}

/// Runs the scenario and returns every account it touched, with its data.
fn scenario<B: Backend>(mut h: Harness<B>) -> Vec<(String, Pubkey, Vec<u8>)> {
    let (authority, game, creator, seller, alice, bob) = (key(1), key(2), key(3), key(4), key(5), key(6));
    for k in [&authority, &game, &creator, &seller, &alice, &bob] {
        h.backend.airdrop(&k.pubkey(), 100 * 1_000_000_000);
    }
    h.backend.set_unix_timestamp(1_800_000_000);

    // Currency: initialize, genesis to the authority, emission after an hour.
    h.must(&[token::initialize(authority.pubkey(), default_params(game.pubkey()))], &[&authority]);
    let mint = token::mint_address();
    let bank = h.create_ata(&authority.pubkey(), &mint);
    h.must(&[token::mint_genesis(authority.pubkey(), bank, 10_000_000 * MRC)], &[&authority]);
    h.warp(3_600);
    h.must(&[token::release_emission()], &[]);
    for who in [&alice, &bob] {
        let account = h.create_ata(&who.pubkey(), &mint);
        let pay = anchor_spl::token::spl_token::instruction::transfer(
            &anchor_spl::token::ID,
            &bank,
            &account,
            &authority.pubkey(),
            &[],
            600_000 * MRC,
        )
        .expect("transfer instruction");
        h.must(&[pay], &[&authority]);
    }

    // Items and an English auction with an outbid and a settlement (fee, royalty, credits).
    let params = CollectionParams {
        name: "Mercato Items".into(),
        uri: "https://items.mercato.example/collection.json".into(),
        minter: game.pubkey(),
        royalty_receiver: creator.pubkey(),
        royalty_bps: 500,
    };
    h.must(&[items::init_collection(authority.pubkey(), params)], &[&authority]);
    let attrs = ItemAttributes { class: 9, rarity: 3, power: 4_321 };
    h.must(&[items::mint_item(game.pubkey(), seller.pubkey(), 1, attrs, "Blade".into(), "u/1".into())], &[&game]);
    let item = items::item_mint_address(1);
    h.must(&[auction::init_house(authority.pubkey())], &[&authority]);
    h.must(&[auction::create_listing(seller.pubkey(), item, ListingKind::English, 10 * MRC, 0, 3_600)], &[&seller]);
    h.must(&[auction::bid(alice.pubkey(), item, 10 * MRC, None)], &[&alice]);
    h.warp(3_590);
    h.must(&[auction::bid(bob.pubkey(), item, 12_345_678_901, Some(alice.pubkey()))], &[&bob]);
    h.warp(400);
    let parties = SaleParties { seller: seller.pubkey(), creator: creator.pubkey() };
    h.must(&[auction::settle(authority.pubkey(), item, bob.pubkey(), parties)], &[&authority]);

    // Governance changes the fee.
    h.must(&[governance::init_governance(authority.pubkey(), governance_params())], &[&authority]);
    h.must(&[token::set_authority(authority.pubkey(), governance::governance_address())], &[&authority]);
    h.must(&[governance::deposit(alice.pubkey(), 500_000 * MRC)], &[&alice]);
    h.must(&[governance::propose(alice.pubkey(), 1, ParamChange::MarketFeeBps(333))], &[&alice]);
    h.must(&[governance::cast_vote(alice.pubkey(), 1, Side::For)], &[&alice]);
    h.warp(720);
    h.must(&[governance::execute(1)], &[]);

    let accounts = [
        ("economy config", token::config_address()),
        ("currency mint", mint),
        ("rewards vault", token::rewards_vault_address()),
        ("treasury", token::treasury_address()),
        ("items config", items::config_address()),
        ("collection mint", items::collection_address()),
        ("item mint", item),
        ("item record", items::item_address(&item)),
        ("bob's item account", items::item_account(&bob.pubkey(), &item)),
        ("house", auction::house_address()),
        ("alice's credits", auction::credit_address(&alice.pubkey())),
        ("seller's credits", auction::credit_address(&seller.pubkey())),
        ("creator's credits", auction::credit_address(&creator.pubkey())),
        ("governance", governance::governance_address()),
        ("proposal 1", governance::proposal_address(1)),
        ("alice's voter record", governance::voter_address(&alice.pubkey())),
        ("governance vault", governance::vault_address()),
    ];
    accounts.into_iter().map(|(name, address)| (name.to_string(), address, h.raw(&address).data)).collect()
}

#[test]
fn native_and_sbf_runs_end_in_identical_accounts() {
    let Some(sbf) = mercato_program_tests::sbf_harness() else { return };
    let native = scenario(mercato_program_tests::native_harness());
    let sbf = scenario(sbf);
    assert_eq!(native.len(), sbf.len());
    for ((name, address, native_data), (_, _, sbf_data)) in native.iter().zip(&sbf) {
        assert!(!native_data.is_empty(), "{name} has no data");
        assert_eq!(native_data, sbf_data, "{name} ({address}) differs between the native and the SBF run");
    }
}
