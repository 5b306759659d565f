//! `bid`: a new high bid on an English auction; the previous high bid is refunded in the same instruction.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::{Mint, Token, TokenAccount};
use mercato_token::constants::CONFIG_SEED;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::BidPlaced;
use crate::state::{Listing, ListingKind};

/// Accounts of `bid`.
#[derive(Accounts)]
pub struct Bid<'info> {
    /// The bidder; pays for the previous bidder's currency account if it had been closed.
    #[account(mut)]
    pub bidder: Signer<'info>,
    /// The economy config (increment, anti-snipe buffer).
    #[account(seeds = [CONFIG_SEED], bump = economy_config.bump, seeds::program = mercato_token::ID)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub currency_mint: Box<Account<'info, Mint>>,
    /// The listing.
    #[account(mut, seeds = [LISTING_SEED, listing.item_mint.as_ref()], bump = listing.bump)]
    pub listing: Box<Account<'info, Listing>>,
    /// Pays the bid.
    #[account(mut, token::mint = currency_mint, token::authority = bidder)]
    pub bidder_currency: Box<Account<'info, TokenAccount>>,
    /// Holds the high bid.
    #[account(mut, seeds = [BID_ESCROW_SEED, listing.key().as_ref()], bump)]
    pub bid_escrow: Box<Account<'info, TokenAccount>>,
    /// CHECK: the current high bidder, or the bidder itself when there is no bid yet (checked in the handler).
    pub previous_bidder: UncheckedAccount<'info>,
    /// Receives the refund: the previous bidder's associated currency account, recreated if they closed it, so
    /// nobody can block being outbid. It is the bidder's own account on a first bid or a raise (`dup`): SPL token
    /// accounts are never written back by this program, so the alias is safe.
    #[account(
        init_if_needed,
        payer = bidder,
        associated_token::mint = currency_mint,
        associated_token::authority = previous_bidder,
        associated_token::token_program = token_program,
        dup
    )]
    pub previous_bidder_currency: Box<Account<'info, TokenAccount>>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// Associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
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

    // Take the new bid, then refund the old one from the escrow.
    super::pay(
        &ctx.accounts.token_program,
        &ctx.accounts.bidder_currency,
        &ctx.accounts.bid_escrow,
        &ctx.accounts.bidder.to_account_info(),
        &[],
        amount,
    )?;
    let seeds = super::listing_seeds(&item_mint, &bump);
    super::pay(
        &ctx.accounts.token_program,
        &ctx.accounts.bid_escrow,
        &ctx.accounts.previous_bidder_currency,
        &ctx.accounts.listing.to_account_info(),
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
