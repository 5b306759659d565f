//! Property tests over random action sequences, in a real bank:
//! - auctions: the bid escrow holds exactly the high bid; every item is in exactly one place; a settlement happens
//!   once; no currency is created or lost by the market;
//! - governance: tallies never exceed deposits while voting is open; the vault holds exactly the deposits.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::{extension::StateWithExtensions, state::Account as TokenState};
use mercato_program_tests::fixtures::{Dao, MRC, Market};
use mercato_program_tests::{Backend, Harness, native::NativeBackend};
use mercato_solana_client::auction::{self, Listing, ListingKind};
use mercato_solana_client::governance::{self, Governance, Proposal, Side};
use mercato_solana_client::items;
use mercato_solana_client::token::{self, ParamChange};
use proptest::prelude::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

#[derive(Debug, Clone)]
enum MarketAction {
    Bid { player: usize, item: usize, extra: u64 },
    Warp(i64),
    Settle { item: usize },
    Cancel { item: usize },
}

fn market_action() -> impl Strategy<Value = MarketAction> {
    prop_oneof![
        4 => (0..3usize, 0..2usize, 0..50u64).prop_map(|(player, item, extra)| MarketAction::Bid { player, item, extra }),
        2 => (1..2_000i64).prop_map(MarketAction::Warp),
        1 => (0..2usize).prop_map(|item| MarketAction::Settle { item }),
        1 => (0..2usize).prop_map(|item| MarketAction::Cancel { item }),
    ]
}

fn item_amount(h: &mut Harness<NativeBackend>, account: &Pubkey) -> u64 {
    match h.backend.account(account) {
        Some(a) if a.lamports > 0 => {
            StateWithExtensions::<TokenState>::unpack(&a.data).map(|s| s.base.amount).unwrap_or(0)
        }
        _ => 0,
    }
}

fn currency_total(h: &mut Harness<NativeBackend>, accounts: &[Pubkey]) -> u64 {
    accounts.iter().map(|a| h.token_balance(a)).sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 32, ..ProptestConfig::default() })]

    #[test]
    fn auctions_keep_escrow_items_and_currency_consistent(actions in prop::collection::vec(market_action(), 1..24)) {
        let mut h = Harness::new(NativeBackend::start());
        let market = Market::start(&mut h, 1_000_000 * MRC);
        let seller = market.player(&mut h, 0);
        let players: Vec<Keypair> = (0..3).map(|_| market.player(&mut h, 1_000 * MRC)).collect();
        let mints: Vec<Pubkey> = (0..2).map(|_| market.item(&mut h, &seller.pubkey())).collect();
        for mint in &mints {
            h.must(&[auction::create_listing(seller.pubkey(), *mint, ListingKind::English, 10 * MRC, 0, 3_600)], &[&seller]);
        }
        let parties = market.parties(seller.pubkey());
        let mut owners: Vec<Pubkey> = players.iter().map(|p| p.pubkey()).collect();
        owners.push(seller.pubkey());
        let mut currency_accounts: Vec<Pubkey> = owners.iter().map(token::currency_account).collect();
        currency_accounts.extend(owners.iter().map(auction::credit_address));
        currency_accounts.push(token::treasury_address());
        currency_accounts.push(auction::credit_address(&market.collection.creator.pubkey()));
        currency_accounts.extend(mints.iter().map(|m| auction::bid_escrow_address(&auction::listing_address(m))));
        let total = currency_total(&mut h, &currency_accounts);
        let mut settled = [false; 2];

        for action in actions {
            match action {
                MarketAction::Bid { player, item, extra } => {
                    let listing_address = auction::listing_address(&mints[item]);
                    if !h.exists(&listing_address) { continue; }
                    let listing: Listing = h.read(&listing_address);
                    let minimum = auction::minimum_bid(&listing, 500).unwrap();
                    let previous = listing.has_bid().then_some(listing.high_bidder);
                    let ix = auction::bid(players[player].pubkey(), mints[item], minimum + extra * MRC, previous);
                    let _ = h.send(&[ix], &[&players[player]]); // may fail: ended, or funds short
                }
                MarketAction::Warp(secs) => h.warp(secs),
                MarketAction::Settle { item } => {
                    let listing_address = auction::listing_address(&mints[item]);
                    let payer = h.payer();
                    if h.exists(&listing_address) {
                        let listing: Listing = h.read(&listing_address);
                        let winner = if listing.has_bid() { listing.high_bidder } else { seller.pubkey() };
                        if h.send(&[auction::settle(payer, mints[item], winner, parties)], &[]).is_ok() {
                            prop_assert!(!settled[item], "settled twice");
                            settled[item] = true;
                            prop_assert!(!h.exists(&listing_address));
                        }
                    } else {
                        // A closed listing cannot be settled again.
                        let again = auction::settle(payer, mints[item], seller.pubkey(), parties);
                        prop_assert!(h.send(&[again], &[]).is_err());
                    }
                }
                MarketAction::Cancel { item } => {
                    if h.exists(&auction::listing_address(&mints[item])) {
                        let _ = h.send(&[auction::cancel(seller.pubkey(), mints[item])], &[&seller]);
                    }
                }
            }
            // Invariants after every action.
            for mint in &mints {
                let listing_address = auction::listing_address(mint);
                let escrow = auction::item_escrow_address(&listing_address);
                let mut places = item_amount(&mut h, &escrow);
                for owner in &owners {
                    places += item_amount(&mut h, &items::item_account(owner, mint));
                }
                prop_assert_eq!(places, 1, "an item is in exactly one place");
                if h.exists(&listing_address) {
                    let listing: Listing = h.read(&listing_address);
                    prop_assert_eq!(h.token_balance(&auction::bid_escrow_address(&listing_address)), listing.high_bid);
                    prop_assert_eq!(item_amount(&mut h, &escrow), 1);
                }
            }
            prop_assert_eq!(currency_total(&mut h, &currency_accounts), total, "the market creates no currency");
        }
    }
}

#[derive(Debug, Clone)]
enum DaoAction {
    Deposit { voter: usize, amount: u64 },
    Withdraw { voter: usize, amount: u64 },
    Propose { voter: usize },
    Vote { voter: usize, proposal: u64, side: u8 },
    Warp(i64),
}

fn dao_action() -> impl Strategy<Value = DaoAction> {
    prop_oneof![
        3 => (0..3usize, 1..100_000u64).prop_map(|(voter, amount)| DaoAction::Deposit { voter, amount }),
        2 => (0..3usize, 1..100_000u64).prop_map(|(voter, amount)| DaoAction::Withdraw { voter, amount }),
        1 => (0..3usize).prop_map(|voter| DaoAction::Propose { voter }),
        4 => (0..3usize, 1..4u64, 0..3u8).prop_map(|(voter, proposal, side)| DaoAction::Vote { voter, proposal, side }),
        1 => (1..400i64).prop_map(DaoAction::Warp),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 32, ..ProptestConfig::default() })]

    #[test]
    fn governance_tallies_never_exceed_deposits(actions in prop::collection::vec(dao_action(), 1..30)) {
        let mut h = Harness::new(NativeBackend::start());
        let dao = Dao::start(&mut h, 10_000_000 * MRC);
        let voters: Vec<Keypair> = (0..3).map(|_| dao.voter(&mut h, 200_000 * MRC, 0)).collect();
        for action in actions {
            match action {
                DaoAction::Deposit { voter, amount } => {
                    let _ = h.send(&[governance::deposit(voters[voter].pubkey(), amount * MRC)], &[&voters[voter]]);
                }
                DaoAction::Withdraw { voter, amount } => {
                    let _ = h.send(&[governance::withdraw(voters[voter].pubkey(), amount * MRC)], &[&voters[voter]]);
                }
                DaoAction::Propose { voter } => {
                    let id = dao.next_id(&mut h);
                    let ix = governance::propose(voters[voter].pubkey(), id, ParamChange::MarketFeeBps(300));
                    let _ = h.send(&[ix], &[&voters[voter]]);
                }
                DaoAction::Vote { voter, proposal, side } => {
                    let side = [Side::For, Side::Against, Side::Abstain][side as usize];
                    let _ = h.send(&[governance::cast_vote(voters[voter].pubkey(), proposal, side)], &[&voters[voter]]);
                }
                DaoAction::Warp(secs) => h.warp(secs),
            }
            let g: Governance = h.read(&governance::governance_address());
            prop_assert_eq!(h.token_balance(&governance::vault_address()), g.total_deposited);
            let now = h.now();
            for id in 1..g.next_proposal_id {
                let p: Proposal = h.read(&governance::proposal_address(id));
                if now < p.voting_ends_ts {
                    // Voters cannot withdraw while voting is open, so their weight is still deposited.
                    prop_assert!(p.turnout() <= g.total_deposited, "tally {} > deposits {}", p.turnout(), g.total_deposited);
                }
            }
        }
    }
}
