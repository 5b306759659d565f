//! `cancel`: the seller withdraws a listing (an English auction only before its first bid).

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::{Mint, Token, TokenAccount};
use anchor_spl::token_interface::{Mint as MintI, Token2022, TokenAccount as TokenAccountI};
use mercato_token::constants::CONFIG_ADDRESS;
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
    #[account(address = CONFIG_ADDRESS)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub currency_mint: Box<Account<'info, Mint>>,
    /// The house (owns credit accounts).
    #[account(address = HOUSE_ADDRESS)]
    pub house: Box<Account<'info, House>>,
    /// The listing, closed to the seller.
    #[account(
        mut,
        constraint = mercato_pda::is(&listing.key(), &[LISTING_SEED, item_mint.key().as_ref()], listing.bump, &crate::ID)
            @ Anchor::ConstraintSeeds,
        has_one = seller,
        has_one = item_mint,
        close = seller
    )]
    pub listing: Box<Account<'info, Listing>>,
    /// The item.
    pub item_mint: Box<InterfaceAccount<'info, MintI>>,
    /// CHECK: receives the item back: the seller's associated Token-2022 account, created if needed
    /// (`ensure_item_account`).
    #[account(mut)]
    pub seller_item: UncheckedAccount<'info>,
    /// CHECK: receives anything sent into the bid escrow: the seller's credit account `["credit", seller]`, created if
    /// needed (`ensure_credit`).
    #[account(mut)]
    pub seller_credit: UncheckedAccount<'info>,
    /// The item escrow.
    #[account(
        mut,
        constraint = mercato_pda::is(&item_escrow.key(), &[ITEM_ESCROW_SEED, listing.key().as_ref()], listing.item_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub item_escrow: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// The bid escrow.
    #[account(
        mut,
        constraint = mercato_pda::is(&bid_escrow.key(), &[BID_ESCROW_SEED, listing.key().as_ref()], listing.bid_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
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
    let factory = super::CreditFactory {
        payer: &a.seller.to_account_info(),
        house: &a.house.to_account_info(),
        currency_mint: &a.currency_mint.to_account_info(),
        token_program: &a.token_program,
        system_program: &a.system_program,
    };
    let (seller_item, seller_credit) = (a.seller_item.to_account_info(), a.seller_credit.to_account_info());
    super::ensure_item_account(
        &seller_item,
        factory.payer,
        &a.item_mint.to_account_info(),
        factory.payer,
        &a.item_token_program,
        &a.associated_token_program,
        &a.system_program,
    )?;
    super::ensure_credit(&seller_credit, &listing.seller, &factory)?;
    let (item_mint, bump) = (listing.item_mint, [listing.bump]);
    let seeds = super::listing_seeds(&item_mint, &bump);
    let signer: &[&[&[u8]]] = &[&seeds];
    let listing_info = listing.to_account_info();
    super::release_item(
        &a.item_token_program,
        &a.item_escrow.to_account_info(),
        &a.item_mint.to_account_info(),
        &seller_item,
        &listing_info,
        signer,
    )?;
    super::close_escrows(
        &a.token_program,
        &a.item_token_program,
        &a.item_escrow.to_account_info(),
        &a.bid_escrow.to_account_info(),
        &seller_credit,
        &a.seller.to_account_info(),
        &listing_info,
        signer,
    )?;
    mercato_program_log::emit_event!(ListingCancelled { id: listing.id, seller: listing.seller });
    Ok(())
}
