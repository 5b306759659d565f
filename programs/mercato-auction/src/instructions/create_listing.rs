//! `create_listing`: puts an item into escrow as an English, Dutch or fixed-price listing.

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use anchor_spl::token_interface::{self, Mint as MintI, Token2022, TokenAccount as TokenAccountI, TransferChecked};
use mercato_items::constants::ITEM_SEED;
use mercato_items::state::Item;
use mercato_token::constants::CONFIG_ADDRESS;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::ListingCreated;
use crate::state::{House, Listing, ListingKind};

/// Accounts of `create_listing`.
#[derive(Accounts)]
pub struct CreateListing<'info> {
    /// The seller; pays the listing and escrow rent (returned when the listing closes).
    #[account(mut)]
    pub seller: Signer<'info>,
    /// The house (listing ids).
    #[account(mut, address = HOUSE_ADDRESS)]
    pub house: Box<Account<'info, House>>,
    /// The economy config (durations).
    #[account(address = CONFIG_ADDRESS)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub currency_mint: Box<Account<'info, Mint>>,
    /// The item.
    #[account(mint::token_program = item_token_program)]
    pub item_mint: Box<InterfaceAccount<'info, MintI>>,
    /// The item's record in the items program: only Mercato items (supply 1, no mint or freeze authority, no
    /// delegate extension) can be listed, so nothing can add to, freeze or pull from the escrow.
    #[account(
        constraint = mercato_pda::is(&item_record.key(), &[ITEM_SEED, item_mint.key().as_ref()], item_record.bump, &mercato_items::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub item_record: Box<Account<'info, Item>>,
    /// The seller's account holding the item.
    #[account(mut, token::mint = item_mint, token::authority = seller, token::token_program = item_token_program)]
    pub seller_item: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// The listing.
    #[account(init, payer = seller, space = 8 + Listing::INIT_SPACE, seeds = [LISTING_SEED, item_mint.key().as_ref()], bump)]
    pub listing: Box<Account<'info, Listing>>,
    /// Holds the item while listed.
    #[account(
        init,
        payer = seller,
        seeds = [ITEM_ESCROW_SEED, listing.key().as_ref()],
        bump,
        token::mint = item_mint,
        token::authority = listing,
        token::token_program = item_token_program
    )]
    pub item_escrow: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// Holds the high bid of an English auction.
    #[account(
        init,
        payer = seller,
        seeds = [BID_ESCROW_SEED, listing.key().as_ref()],
        bump,
        token::mint = currency_mint,
        token::authority = listing,
        token::token_program = token_program
    )]
    pub bid_escrow: Box<Account<'info, TokenAccount>>,
    /// SPL Token (currency).
    pub token_program: Program<'info, Token>,
    /// Token-2022 (the items' token program).
    pub item_token_program: Program<'info, Token2022>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Opens the listing. `duration` (seconds) applies to English and Dutch listings and must lie within the economy's
/// bounds; a fixed-price listing ignores it.
pub fn handler(
    ctx: Context<CreateListing>,
    kind: ListingKind,
    start_price: u64,
    floor_price: u64,
    duration: u32,
) -> Result<()> {
    super::check_nft(&ctx.accounts.item_mint)?;
    let market = ctx.accounts.economy_config.market;
    let now = Clock::get()?.unix_timestamp;
    let end_ts = match kind {
        ListingKind::Fixed => {
            require!(start_price > 0, AuctionError::InvalidPrices);
            0
        }
        ListingKind::English | ListingKind::Dutch => {
            require!(
                (market.min_auction_duration..=market.max_auction_duration).contains(&duration),
                AuctionError::InvalidDuration
            );
            if kind == ListingKind::Dutch {
                require!(floor_price > 0 && start_price > floor_price, AuctionError::InvalidPrices);
            }
            now + i64::from(duration)
        }
    };

    let house = &mut ctx.accounts.house;
    let id = house.next_listing_id;
    house.next_listing_id = id.checked_add(1).ok_or(AuctionError::MathOverflow)?;
    let listing = &mut ctx.accounts.listing;
    listing.version = 1;
    listing.bump = ctx.bumps.listing;
    listing.item_escrow_bump = ctx.bumps.item_escrow;
    listing.bid_escrow_bump = ctx.bumps.bid_escrow;
    listing.id = id;
    listing.kind = kind;
    listing.seller = ctx.accounts.seller.key();
    listing.item_mint = ctx.accounts.item_mint.key();
    listing.start_price = start_price;
    listing.floor_price = if kind == ListingKind::Dutch { floor_price } else { 0 };
    listing.start_ts = now;
    listing.end_ts = end_ts;
    listing.high_bidder = Pubkey::default();
    listing.high_bid = 0;

    token_interface::transfer_checked(
        CpiContext::new(
            ctx.accounts.item_token_program.key(),
            TransferChecked {
                from: ctx.accounts.seller_item.to_account_info(),
                mint: ctx.accounts.item_mint.to_account_info(),
                to: ctx.accounts.item_escrow.to_account_info(),
                authority: ctx.accounts.seller.to_account_info(),
            },
        ),
        1,
        0,
    )?;
    mercato_program_log::emit_event!(ListingCreated {
        id,
        kind,
        seller: listing.seller,
        item_mint: listing.item_mint,
        start_price,
        floor_price: listing.floor_price,
        start_ts: now,
        end_ts,
    });
    Ok(())
}
