//! `bid`: a new high bid on an English auction; the previous high bid goes to the previous bidder's credits in the
//! same instruction.

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use mercato_token::constants::CONFIG_ADDRESS;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::BidPlaced;
use crate::state::{House, Listing, ListingKind};

/// Accounts of `bid`.
#[derive(Accounts)]
pub struct Bid<'info> {
    /// The bidder; pays for the previous bidder's currency account if it had been closed.
    #[account(mut)]
    pub bidder: Signer<'info>,
    /// The economy config (increment, anti-snipe buffer).
    #[account(address = CONFIG_ADDRESS)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub currency_mint: Box<Account<'info, Mint>>,
    /// The listing.
    #[account(
        mut,
        constraint = mercato_pda::is(&listing.key(), &[LISTING_SEED, listing.item_mint.as_ref()], listing.bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub listing: Box<Account<'info, Listing>>,
    /// Pays the bid.
    #[account(mut, token::mint = currency_mint, token::authority = bidder)]
    pub bidder_currency: Box<Account<'info, TokenAccount>>,
    /// Holds the high bid.
    #[account(
        mut,
        constraint = mercato_pda::is(&bid_escrow.key(), &[BID_ESCROW_SEED, listing.key().as_ref()], listing.bid_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub bid_escrow: Box<Account<'info, TokenAccount>>,
    /// CHECK: the current high bidder, or the bidder itself when there is no bid yet (checked in the handler).
    pub previous_bidder: UncheckedAccount<'info>,
    /// The house (owns credit accounts).
    #[account(address = HOUSE_ADDRESS)]
    pub house: Box<Account<'info, House>>,
    /// CHECK: receives the refund: the previous bidder's credit account `["credit", previous_bidder]`, owned by the
    /// house, so no bidder can refuse a refund and block being outbid. Created (paid by this bidder) on the previous
    /// bidder's first refund (`ensure_credit`).
    #[account(mut)]
    pub previous_bidder_credit: UncheckedAccount<'info>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Places a bid of `amount`.
pub fn handler(ctx: Context<Bid>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let market = ctx.accounts.economy_config.market;
    let listing = &mut ctx.accounts.listing;
    require!(listing.kind == ListingKind::English, AuctionError::WrongKind);
    require!(now < listing.end_ts, AuctionError::AuctionEnded);
    let bidder = ctx.accounts.bidder.key();
    require_keys_neq!(bidder, listing.seller, AuctionError::SellerCannotBuy);
    let expected_previous = if listing.has_bid() { listing.high_bidder } else { bidder };
    require_keys_eq!(ctx.accounts.previous_bidder.key(), expected_previous, AuctionError::WrongPreviousBidder);
    let minimum = super::minimum_bid(listing, market.min_bid_increment_bps)?;
    require!(amount >= minimum, AuctionError::BidTooLow);

    let (previous_bidder, previous_amount) = (listing.high_bidder, listing.high_bid);
    listing.high_bidder = bidder;
    listing.high_bid = amount;
    let buffer = i64::from(market.anti_snipe_buffer);
    if listing.end_ts - now < buffer {
        listing.end_ts = now + buffer;
    }
    let end_ts = listing.end_ts;
    let (item_mint, bump) = (listing.item_mint, [listing.bump]);

    // Take the new bid, then move the old one from the escrow to the previous bidder's credits.
    let a = &ctx.accounts;
    let factory = super::CreditFactory {
        payer: &a.bidder.to_account_info(),
        house: &a.house.to_account_info(),
        currency_mint: &a.currency_mint.to_account_info(),
        token_program: &a.token_program,
        system_program: &a.system_program,
    };
    let previous_bidder_credit = a.previous_bidder_credit.to_account_info();
    super::ensure_credit(&previous_bidder_credit, a.previous_bidder.key, &factory)?;
    super::pay(
        &a.token_program,
        &a.bidder_currency.to_account_info(),
        &a.bid_escrow.to_account_info(),
        &a.bidder.to_account_info(),
        &[],
        amount,
    )?;
    let seeds = super::listing_seeds(&item_mint, &bump);
    super::pay(
        &a.token_program,
        &a.bid_escrow.to_account_info(),
        &previous_bidder_credit,
        &a.listing.to_account_info(),
        &[&seeds],
        previous_amount,
    )?;
    mercato_program_log::emit_event!(BidPlaced {
        id: ctx.accounts.listing.id,
        bidder,
        amount,
        previous_bidder,
        previous_amount,
        end_ts,
    });
    Ok(())
}
