//! `cancel`: the seller withdraws a listing (an English auction only before its first bid).

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::{Mint, Token, TokenAccount};
use anchor_spl::token_interface::{Mint as MintI, Token2022, TokenAccount as TokenAccountI};
use mercato_token::constants::CONFIG_SEED;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::ListingCancelled;
use crate::state::{House, Listing};

/// Accounts of `cancel`.
#[derive(Accounts)]
pub struct Cancel<'info> {
    /// The seller.
    #[account(mut)]
    pub seller: Signer<'info>,
    /// The economy config (names the currency).
    #[account(seeds = [CONFIG_SEED], bump = economy_config.bump, seeds::program = mercato_token::ID)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub currency_mint: Box<Account<'info, Mint>>,
    /// The house (owns credit accounts).
    #[account(seeds = [HOUSE_SEED], bump = house.bump)]
    pub house: Box<Account<'info, House>>,
    /// The listing, closed to the seller.
    #[account(
        mut,
        seeds = [LISTING_SEED, item_mint.key().as_ref()],
        bump = listing.bump,
        has_one = seller,
        has_one = item_mint,
        close = seller
    )]
    pub listing: Box<Account<'info, Listing>>,
    /// The item.
    pub item_mint: Box<InterfaceAccount<'info, MintI>>,
    /// Receives the item back.
    #[account(
        init_if_needed,
        payer = seller,
        associated_token::mint = item_mint,
        associated_token::authority = seller,
        associated_token::token_program = item_token_program
    )]
    pub seller_item: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// Receives anything sent into the bid escrow.
    #[account(
        init_if_needed,
        payer = seller,
        seeds = [CREDIT_SEED, seller.key().as_ref()],
        bump,
        token::mint = currency_mint,
        token::authority = house,
        token::token_program = token_program
    )]
    pub seller_credit: Box<Account<'info, TokenAccount>>,
    /// The item escrow.
    #[account(mut, seeds = [ITEM_ESCROW_SEED, listing.key().as_ref()], bump)]
    pub item_escrow: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// The bid escrow.
    #[account(mut, seeds = [BID_ESCROW_SEED, listing.key().as_ref()], bump)]
    pub bid_escrow: Box<Account<'info, TokenAccount>>,
    /// SPL Token (currency).
    pub token_program: Program<'info, Token>,
    /// Token-2022 (items).
    pub item_token_program: Program<'info, Token2022>,
    /// Associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Returns the item and closes the listing.
pub fn handler(ctx: Context<Cancel>) -> Result<()> {
    let a = &ctx.accounts;
    let listing = &a.listing;
    require!(!listing.has_bid(), AuctionError::HasBids);
    let (item_mint, bump) = (listing.item_mint, [listing.bump]);
    let seeds = super::listing_seeds(&item_mint, &bump);
    let signer: &[&[&[u8]]] = &[&seeds];
    let listing_info = listing.to_account_info();
    super::release_item(&a.item_token_program, &a.item_escrow, &a.item_mint, &a.seller_item, &listing_info, signer)?;
    super::close_escrows(
        &a.token_program,
        &a.item_token_program,
        &a.item_escrow,
        &a.bid_escrow,
        &a.seller_credit,
        &a.seller.to_account_info(),
        &listing_info,
        signer,
    )?;
    mercato_program_log::emit_event!(ListingCancelled { id: listing.id, seller: listing.seller });
    Ok(())
}
