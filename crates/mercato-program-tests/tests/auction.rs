//! The auction program in a real bank: English, Dutch and fixed-price sales with exact splits, escrow, refunds,
//! anti-snipe, cancellation, and one failure per constraint.

use anchor_lang::error::ErrorCode as Anchor;
use mercato_program_tests::fixtures::{MRC, Market};
use mercato_program_tests::{Backend, Harness};
use mercato_solana_client::auction::{self, AuctionError, Listing, ListingKind, events as ev};
use mercato_solana_client::events::decode_one;
use mercato_solana_client::{items, token};
use solana_keypair::Keypair;
use solana_signer::Signer;

fn code(e: AuctionError) -> u32 {
    e.into()
}

fn item_balance<B: Backend>(
    h: &mut Harness<B>,
    owner: &anchor_lang::prelude::Pubkey,
    mint: &anchor_lang::prelude::Pubkey,
) -> u64 {
    use anchor_spl::token_2022::spl_token_2022::{extension::StateWithExtensions, state::Account};
    match h.backend.account(&items::item_account(owner, mint)) {
        Some(a) if a.lamports > 0 => {
            StateWithExtensions::<Account>::unpack(&a.data).map(|s| s.base.amount).unwrap_or(0)
        }
        _ => 0,
    }
}

struct English {
    market: Market,
    seller: Keypair,
    mint: anchor_lang::prelude::Pubkey,
}

fn english<B: Backend>(h: &mut Harness<B>, reserve: u64, duration: u32) -> English {
    let market = Market::start(h, 10_000_000 * MRC);
    let seller = market.player(h, 0);
    let mint = market.item(h, &seller.pubkey());
    let ix = auction::create_listing(seller.pubkey(), mint, ListingKind::English, reserve, 0, duration);
    h.must(&[ix], &[&seller]);
    English { market, seller, mint }
}

fn english_auction_from_listing_to_settlement<B: Backend>(mut h: Harness<B>) {
    let start = h.now();
    let market = Market::start(&mut h, 10_000_000 * MRC);
    let seller = market.player(&mut h, 0);
    let mint = market.item(&mut h, &seller.pubkey());
    let ix = auction::create_listing(seller.pubkey(), mint, ListingKind::English, 100 * MRC, 0, 86_400);
    let landed = h.must(&[ix], &[&seller]);
    let created: ev::ListingCreated = decode_one(&landed.logs).unwrap();
    assert_eq!((created.id, created.kind, created.start_price), (1, ListingKind::English, 100 * MRC));
    let listing_address = auction::listing_address(&mint);
    let escrow = auction::item_escrow_address(&listing_address);
    assert_eq!(item_balance(&mut h, &seller.pubkey(), &mint), 0);
    assert!(h.exists(&escrow), "the item is in escrow");

    let alice = market.player(&mut h, 1_000 * MRC);
    let bob = market.player(&mut h, 1_000 * MRC);
    h.must(&[auction::bid(alice.pubkey(), mint, 100 * MRC, None)], &[&alice]);
    let bid_escrow = auction::bid_escrow_address(&listing_address);
    assert_eq!(h.token_balance(&bid_escrow), 100 * MRC);
    // Bob outbids: +5% minimum; alice is refunded in the same instruction.
    h.must_fail_with(
        &[auction::bid(bob.pubkey(), mint, 104 * MRC, Some(alice.pubkey()))],
        &[&bob],
        code(AuctionError::BidTooLow),
    );
    let landed = h.must(&[auction::bid(bob.pubkey(), mint, 105 * MRC, Some(alice.pubkey()))], &[&bob]);
    let placed: ev::BidPlaced = decode_one(&landed.logs).unwrap();
    assert_eq!((placed.previous_bidder, placed.previous_amount), (alice.pubkey(), 100 * MRC));
    assert_eq!(h.token_balance(&token::currency_account(&alice.pubkey())), 900 * MRC);
    assert_eq!(h.token_balance(&auction::credit_address(&alice.pubkey())), 100 * MRC, "refunded to her credits");
    assert_eq!(h.token_balance(&bid_escrow), 105 * MRC, "the escrow holds exactly the high bid");

    // Settle at the end: 2.5% fee, 5% royalty, the rest to the seller; the item to bob; everything closed.
    h.warp(86_400);
    let treasury_before = h.token_balance(&token::treasury_address());
    let parties = market.parties(seller.pubkey());
    let settler = h.funded_keypair(1);
    let landed = h.must(&[auction::settle(settler.pubkey(), mint, bob.pubkey(), parties)], &[&settler]);
    let sale: ev::Sale = decode_one(&landed.logs).unwrap();
    assert_eq!((sale.price, sale.fee, sale.royalty), (105 * MRC, 2_625_000_000, 5_250_000_000));
    assert_eq!(sale.fee + sale.royalty + h.token_balance(&auction::credit_address(&seller.pubkey())), sale.price);
    assert_eq!(h.token_balance(&token::treasury_address()) - treasury_before, sale.fee);
    assert_eq!(h.token_balance(&auction::credit_address(&market.collection.creator.pubkey())), sale.royalty);
    assert_eq!(item_balance(&mut h, &bob.pubkey(), &mint), 1);
    assert!(!h.exists(&listing_address) && !h.exists(&escrow) && !h.exists(&bid_escrow), "accounts closed");
    assert!(h.now() >= start);
    // Settling again finds no listing.
    assert!(h.send(&[auction::settle(settler.pubkey(), mint, bob.pubkey(), parties)], &[&settler]).is_err());
}

fn late_bids_extend_the_auction<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, MRC, 3_600);
    let listing: Listing = h.read(&auction::listing_address(&e.mint));
    let alice = e.market.player(&mut h, 100 * MRC);
    let bob = e.market.player(&mut h, 100 * MRC);
    h.warp(3_600 - 301);
    h.must(&[auction::bid(alice.pubkey(), e.mint, MRC, None)], &[&alice]);
    assert_eq!(h.read::<Listing>(&auction::listing_address(&e.mint)).end_ts, listing.end_ts, "outside the buffer");
    h.warp(291); // 10 s before the end
    let landed = h.must(&[auction::bid(bob.pubkey(), e.mint, 2 * MRC, Some(alice.pubkey()))], &[&bob]);
    let now = h.now();
    assert_eq!(decode_one::<ev::BidPlaced>(&landed.logs).unwrap().end_ts, now + 300);
    h.warp(100); // past the original end, still open
    h.must(&[auction::bid(alice.pubkey(), e.mint, 3 * MRC, Some(bob.pubkey()))], &[&alice]);
}

fn bidding_rules<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, 10 * MRC, 3_600);
    let alice = e.market.player(&mut h, 100 * MRC);
    let bob = e.market.player(&mut h, 100 * MRC);
    h.must_fail_with(&[auction::bid(alice.pubkey(), e.mint, 9 * MRC, None)], &[&alice], code(AuctionError::BidTooLow));
    let seller_account = e.market.collection.economy.player(&mut h, 0);
    drop(seller_account);
    h.must_fail_with(
        &[auction::bid(e.seller.pubkey(), e.mint, 10 * MRC, None)],
        &[&e.seller],
        code(AuctionError::SellerCannotBuy),
    );
    h.must(&[auction::bid(alice.pubkey(), e.mint, 10 * MRC, None)], &[&alice]);
    // Naming someone else as the previous bidder would send alice's refund elsewhere.
    h.must_fail_with(
        &[auction::bid(bob.pubkey(), e.mint, 20 * MRC, Some(bob.pubkey()))],
        &[&bob],
        code(AuctionError::WrongPreviousBidder),
    );
    h.warp(3_600);
    h.must_fail_with(
        &[auction::bid(bob.pubkey(), e.mint, 20 * MRC, Some(alice.pubkey()))],
        &[&bob],
        code(AuctionError::AuctionEnded),
    );
}

fn refunds_go_to_credits_that_only_the_owner_withdraws_anywhere<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, MRC, 3_600);
    let alice = e.market.player(&mut h, 10 * MRC);
    let bob = e.market.player(&mut h, 10 * MRC);
    h.must(&[auction::bid(alice.pubkey(), e.mint, 9 * MRC, None)], &[&alice]);
    // Alice hands her currency account to another key: it cannot matter, refunds go to her credit account.
    let alice_account = token::currency_account(&alice.pubkey());
    let stranger = h.funded_keypair(1);
    let reassign = anchor_spl::token::spl_token::instruction::set_authority(
        &anchor_spl::token::ID,
        &alice_account,
        Some(&stranger.pubkey()),
        anchor_spl::token::spl_token::instruction::AuthorityType::AccountOwner,
        &alice.pubkey(),
        &[],
    )
    .unwrap();
    h.must(&[reassign], &[&alice]);
    h.must(&[auction::bid(bob.pubkey(), e.mint, 10 * MRC, Some(alice.pubkey()))], &[&bob]);
    let credit = auction::credit_address(&alice.pubkey());
    assert_eq!(h.token_balance(&credit), 9 * MRC);
    // Only alice moves her credits, to any currency account she names.
    let (_, somewhere) = e.market.collection.economy.player(&mut h, 0);
    // Bob can only name his own credit account (the seeds hold his key), and he has none.
    let thief_try = auction::withdraw_credits(bob.pubkey(), somewhere, MRC);
    h.must_fail_with(&[thief_try], &[&bob], Anchor::AccountNotInitialized.into());
    h.must_fail_with(
        &[auction::withdraw_credits(alice.pubkey(), somewhere, 10 * MRC)],
        &[&alice],
        code(AuctionError::InsufficientCredits),
    );
    h.must_fail_with(
        &[auction::withdraw_credits(alice.pubkey(), somewhere, 0)],
        &[&alice],
        code(AuctionError::ZeroAmount),
    );
    let landed = h.must(&[auction::withdraw_credits(alice.pubkey(), somewhere, 9 * MRC)], &[&alice]);
    let event: ev::CreditsWithdrawn = decode_one(&landed.logs).unwrap();
    assert_eq!((event.owner, event.amount, event.destination), (alice.pubkey(), 9 * MRC, somewhere));
    assert_eq!(h.token_balance(&somewhere), 9 * MRC);
    assert_eq!(h.token_balance(&credit), 0);
}

fn currency_sent_into_a_bid_escrow_cannot_block_the_sale<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, MRC, 3_600);
    let alice = e.market.player(&mut h, 10 * MRC);
    h.must(&[auction::bid(alice.pubkey(), e.mint, 5 * MRC, None)], &[&alice]);
    let griefer = e.market.player(&mut h, MRC);
    let escrow = auction::bid_escrow_address(&auction::listing_address(&e.mint));
    let dust = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &token::currency_account(&griefer.pubkey()),
        &escrow,
        &griefer.pubkey(),
        &[],
        1,
    )
    .unwrap();
    h.must(&[dust], &[&griefer]);
    h.warp(3_600);
    let payer = h.payer();
    h.must(&[auction::settle(payer, e.mint, alice.pubkey(), e.market.parties(e.seller.pubkey()))], &[]);
    assert!(!h.exists(&escrow));
    // 5 MRC - 2.5% fee - 5% royalty, plus the stray unit.
    assert_eq!(h.token_balance(&auction::credit_address(&e.seller.pubkey())), 4_625_000_001);
}

fn settlement_rules<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, MRC, 3_600);
    let parties = e.market.parties(e.seller.pubkey());
    let alice = e.market.player(&mut h, 10 * MRC);
    h.must(&[auction::bid(alice.pubkey(), e.mint, MRC, None)], &[&alice]);
    let payer = h.payer();
    h.must_fail_with(
        &[auction::settle(payer, e.mint, alice.pubkey(), parties)],
        &[],
        code(AuctionError::AuctionNotEnded),
    );
    h.warp(3_600);
    h.must_fail_with(
        &[auction::settle(payer, e.mint, e.seller.pubkey(), parties)],
        &[],
        code(AuctionError::WrongWinner),
    );
    let mut wrong_creator = parties;
    wrong_creator.creator = alice.pubkey();
    h.must_fail_with(
        &[auction::settle(payer, e.mint, alice.pubkey(), wrong_creator)],
        &[],
        code(AuctionError::WrongCreator),
    );
    let mut wrong_treasury = auction::settle(payer, e.mint, alice.pubkey(), parties);
    let at = wrong_treasury.accounts.iter().position(|m| m.pubkey == token::treasury_address()).unwrap();
    wrong_treasury.accounts[at].pubkey = token::currency_account(&alice.pubkey());
    h.must_fail_with(&[wrong_treasury], &[], Anchor::ConstraintAddress.into());
    h.must(&[auction::settle(payer, e.mint, alice.pubkey(), parties)], &[]);
}

fn unsold_auction_returns_the_item<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, MRC, 3_600);
    h.warp(3_600);
    let payer = h.payer();
    let landed = h.must(&[auction::settle(payer, e.mint, e.seller.pubkey(), e.market.parties(e.seller.pubkey()))], &[]);
    assert!(decode_one::<ev::AuctionUnsold>(&landed.logs).is_some());
    assert_eq!(item_balance(&mut h, &e.seller.pubkey(), &e.mint), 1);
}

fn dutch_price_decays_and_the_first_buyer_wins<B: Backend>(mut h: Harness<B>) {
    let market = Market::start(&mut h, 10_000_000 * MRC);
    let seller = market.player(&mut h, 0);
    let mint = market.item(&mut h, &seller.pubkey());
    let ix = auction::create_listing(seller.pubkey(), mint, ListingKind::Dutch, 1_000 * MRC, 100 * MRC, 1_000);
    h.must(&[ix], &[&seller]);
    let listing: Listing = h.read(&auction::listing_address(&mint));
    assert_eq!(auction::dutch_price(&listing, listing.start_ts + 250).unwrap(), 775 * MRC);
    assert_eq!(auction::dutch_price(&listing, listing.end_ts + 99).unwrap(), 100 * MRC);
    h.warp(500);
    let buyer = market.player(&mut h, 1_000 * MRC);
    let parties = market.parties(seller.pubkey());
    h.must_fail_with(
        &[auction::buy(buyer.pubkey(), mint, 549 * MRC, parties)],
        &[&buyer],
        code(AuctionError::PriceAboveMax),
    );
    let landed = h.must(&[auction::buy(buyer.pubkey(), mint, 550 * MRC, parties)], &[&buyer]);
    let sale: ev::Sale = decode_one(&landed.logs).unwrap();
    assert_eq!((sale.kind, sale.price), (ListingKind::Dutch, 550 * MRC));
    assert_eq!(h.token_balance(&token::currency_account(&buyer.pubkey())), 450 * MRC);
    assert_eq!(item_balance(&mut h, &buyer.pubkey(), &mint), 1);
    let second = market.player(&mut h, 1_000 * MRC);
    assert!(h.send(&[auction::buy(second.pubkey(), mint, 1_000 * MRC, parties)], &[&second]).is_err(), "sold once");
}

fn fixed_price_sale_and_its_rules<B: Backend>(mut h: Harness<B>) {
    let market = Market::start(&mut h, 10_000_000 * MRC);
    let seller = market.player(&mut h, 10 * MRC);
    let mint = market.item(&mut h, &seller.pubkey());
    let parties = market.parties(seller.pubkey());
    h.must(&[auction::create_listing(seller.pubkey(), mint, ListingKind::Fixed, 40 * MRC, 0, 0)], &[&seller]);
    h.must_fail_with(
        &[auction::buy(seller.pubkey(), mint, 40 * MRC, parties)],
        &[&seller],
        code(AuctionError::SellerCannotBuy),
    );
    let payer = h.payer();
    h.must_fail_with(&[auction::settle(payer, mint, seller.pubkey(), parties)], &[], code(AuctionError::WrongKind));
    let buyer = market.player(&mut h, 100 * MRC);
    h.must_fail_with(&[auction::bid(buyer.pubkey(), mint, 40 * MRC, None)], &[&buyer], code(AuctionError::WrongKind));
    let landed = h.must(&[auction::buy(buyer.pubkey(), mint, 40 * MRC, parties)], &[&buyer]);
    let sale: ev::Sale = decode_one(&landed.logs).unwrap();
    assert_eq!((sale.fee, sale.royalty), (MRC, 2 * MRC));
    assert_eq!(h.token_balance(&token::currency_account(&seller.pubkey())), 10 * MRC);
    assert_eq!(h.token_balance(&auction::credit_address(&seller.pubkey())), 37 * MRC);
}

fn listing_rules<B: Backend>(mut h: Harness<B>) {
    let market = Market::start(&mut h, 10_000_000 * MRC);
    let seller = market.player(&mut h, 0);
    let mint = market.item(&mut h, &seller.pubkey());
    let list =
        |kind, start, floor, duration| auction::create_listing(seller.pubkey(), mint, kind, start, floor, duration);
    h.must_fail_with(&[list(ListingKind::English, MRC, 0, 599)], &[&seller], code(AuctionError::InvalidDuration));
    h.must_fail_with(&[list(ListingKind::Dutch, MRC, 0, 86_400 * 31)], &[&seller], code(AuctionError::InvalidDuration));
    h.must_fail_with(&[list(ListingKind::Dutch, MRC, MRC, 3_600)], &[&seller], code(AuctionError::InvalidPrices));
    h.must_fail_with(&[list(ListingKind::Dutch, MRC, 0, 3_600)], &[&seller], code(AuctionError::InvalidPrices));
    h.must_fail_with(&[list(ListingKind::Fixed, 0, 0, 0)], &[&seller], code(AuctionError::InvalidPrices));
    // Somebody else's item cannot be listed.
    let thief = market.player(&mut h, 0);
    let steal = auction::create_listing(thief.pubkey(), mint, ListingKind::Fixed, MRC, 0, 0);
    assert!(h.send(&[steal], &[&thief]).is_err());
    // Only Mercato items can be listed: the currency is not one, and neither is another Token-2022 NFT.
    let rich = market.player(&mut h, 5 * MRC);
    let fungible = auction::create_listing(rich.pubkey(), token::mint_address(), ListingKind::Fixed, MRC, 0, 0);
    assert!(h.send(&[fungible], &[&rich]).is_err());
    let foreign = foreign_nft(&mut h, &rich.pubkey());
    let outside = auction::create_listing(rich.pubkey(), foreign, ListingKind::Fixed, MRC, 0, 0);
    h.must_fail_with(&[outside], &[&rich], Anchor::AccountNotInitialized.into());
}

fn cancel_rules<B: Backend>(mut h: Harness<B>) {
    let e = english(&mut h, MRC, 3_600);
    let stranger = e.market.player(&mut h, 0);
    h.must_fail_with(&[auction::cancel(stranger.pubkey(), e.mint)], &[&stranger], Anchor::ConstraintHasOne.into());
    let landed = h.must(&[auction::cancel(e.seller.pubkey(), e.mint)], &[&e.seller]);
    assert!(decode_one::<ev::ListingCancelled>(&landed.logs).is_some());
    assert_eq!(item_balance(&mut h, &e.seller.pubkey(), &e.mint), 1);
    // Relist, take a bid: no more cancelling.
    h.must(&[auction::create_listing(e.seller.pubkey(), e.mint, ListingKind::English, MRC, 0, 3_600)], &[&e.seller]);
    assert_eq!(h.read::<Listing>(&auction::listing_address(&e.mint)).id, 2);
    let alice = e.market.player(&mut h, 10 * MRC);
    h.must(&[auction::bid(alice.pubkey(), e.mint, MRC, None)], &[&alice]);
    h.must_fail_with(&[auction::cancel(e.seller.pubkey(), e.mint)], &[&e.seller], code(AuctionError::HasBids));
}

fn a_lower_royalty_cap_applies_at_sale_time<B: Backend>(mut h: Harness<B>) {
    let market = Market::start(&mut h, 10_000_000 * MRC);
    let seller = market.player(&mut h, 0);
    let mint = market.item(&mut h, &seller.pubkey());
    h.must(&[auction::create_listing(seller.pubkey(), mint, ListingKind::Fixed, 100 * MRC, 0, 0)], &[&seller]);
    let authority = &market.collection.economy.authority;
    h.must(&[token::update_param(authority.pubkey(), token::ParamChange::RoyaltyCapBps(200))], &[authority]);
    let buyer = market.player(&mut h, 100 * MRC);
    let landed = h.must(&[auction::buy(buyer.pubkey(), mint, 100 * MRC, market.parties(seller.pubkey()))], &[&buyer]);
    let sale: ev::Sale = decode_one(&landed.logs).unwrap();
    assert_eq!(sale.royalty, 2 * MRC, "5% collection royalty capped to 2% by governance");
}

fn the_creator_sells_and_a_bidder_raises_their_own_bid<B: Backend>(mut h: Harness<B>) {
    let market = Market::start(&mut h, 10_000_000 * MRC);
    // The creator (royalty receiver) sells: seller and creator currency accounts are the same account.
    let creator = market.collection.creator.insecure_clone();
    let creator_credit = auction::credit_address(&creator.pubkey());
    let mint = market.item(&mut h, &creator.pubkey());
    h.must(&[auction::create_listing(creator.pubkey(), mint, ListingKind::English, 10 * MRC, 0, 3_600)], &[&creator]);
    let alice = market.player(&mut h, 100 * MRC);
    h.must(&[auction::bid(alice.pubkey(), mint, 10 * MRC, None)], &[&alice]);
    h.must(&[auction::bid(alice.pubkey(), mint, 20 * MRC, Some(alice.pubkey()))], &[&alice]);
    assert_eq!(h.token_balance(&token::currency_account(&alice.pubkey())), 70 * MRC);
    assert_eq!(h.token_balance(&auction::credit_address(&alice.pubkey())), 10 * MRC, "the old bid is in her credits");
    assert_eq!(h.token_balance(&auction::bid_escrow_address(&auction::listing_address(&mint))), 20 * MRC);
    h.warp(3_600);
    let payer = h.payer();
    h.must(&[auction::settle(payer, mint, alice.pubkey(), market.parties(creator.pubkey()))], &[]);
    // 20 - 0.5 fee = 19.5 to the creator's credits as seller, including the 1.0 royalty.
    assert_eq!(h.token_balance(&creator_credit), 19_500_000_000);
}

/// A Token-2022 NFT (0 decimals, supply 1) that is not a Mercato item.
fn foreign_nft<B: Backend>(h: &mut Harness<B>, owner: &anchor_lang::prelude::Pubkey) -> anchor_lang::prelude::Pubkey {
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    use anchor_spl::token_2022::spl_token_2022::instruction::{initialize_mint2, mint_to};
    let mint = Keypair::new();
    let payer = h.payer();
    let create = anchor_lang::solana_program::system_instruction::create_account(
        &payer,
        &mint.pubkey(),
        1_461_600,
        82,
        &items::TOKEN_2022,
    );
    let init = initialize_mint2(&items::TOKEN_2022, &mint.pubkey(), &payer, None, 0).unwrap();
    let ata = create_associated_token_account(&payer, owner, &mint.pubkey(), &items::TOKEN_2022);
    let to = items::item_account(owner, &mint.pubkey());
    let one = mint_to(&items::TOKEN_2022, &mint.pubkey(), &to, &payer, &[], 1).unwrap();
    h.must(&[create, init, ata, one], &[&mint]);
    mint.pubkey()
}

mercato_program_tests::on_both_backends!(
    english_auction_from_listing_to_settlement,
    late_bids_extend_the_auction,
    bidding_rules,
    refunds_go_to_credits_that_only_the_owner_withdraws_anywhere,
    currency_sent_into_a_bid_escrow_cannot_block_the_sale,
    settlement_rules,
    unsold_auction_returns_the_item,
    dutch_price_decays_and_the_first_buyer_wins,
    fixed_price_sale_and_its_rules,
    listing_rules,
    cancel_rules,
    a_lower_royalty_cap_applies_at_sale_time,
    the_creator_sells_and_a_bidder_raises_their_own_bid,
);
