//! `buy`: buys a Dutch or fixed-price listing at its current price.

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::{Mint, Token, TokenAccount};
use anchor_spl::token_interface::{Mint as MintI, Token2022, TokenAccount as TokenAccountI};
use mercato_items::constants::ITEMS_CONFIG_ADDRESS;
use mercato_items::state::ItemsConfig;
use mercato_token::constants::CONFIG_ADDRESS;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::Sale;
use crate::state::{House, Listing, ListingKind};

/// Accounts of `buy`.
#[derive(Accounts)]
pub struct Buy<'info> {
    /// The buyer; pays the price and any account that does not exist yet.
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// The economy config (fee, royalty cap, treasury).
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
    /// CHECK: the listing's seller (has_one); receives the rent of the closed accounts.
    #[account(mut)]
    pub seller: UncheckedAccount<'info>,
    /// CHECK: the seller's credit account `["credit", seller]` (proceeds), created if needed (`ensure_credit`).
    #[account(mut)]
    pub seller_credit: UncheckedAccount<'info>,
    /// Pays the price.
    #[account(mut, token::mint = currency_mint, token::authority = buyer)]
    pub buyer_currency: Box<Account<'info, TokenAccount>>,
    /// CHECK: receives the item: the buyer's associated Token-2022 account, created if needed
    /// (`ensure_item_account`).
    #[account(mut)]
    pub buyer_item: UncheckedAccount<'info>,
    /// The item.
    pub item_mint: Box<InterfaceAccount<'info, MintI>>,
    /// The item escrow.
    #[account(
        mut,
        constraint = mercato_pda::is(&item_escrow.key(), &[ITEM_ESCROW_SEED, listing.key().as_ref()], listing.item_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub item_escrow: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// The (empty) bid escrow, closed with the listing.
    #[account(
        mut,
        constraint = mercato_pda::is(&bid_escrow.key(), &[BID_ESCROW_SEED, listing.key().as_ref()], listing.bid_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub bid_escrow: Box<Account<'info, TokenAccount>>,
    /// Receives the fee: the program-owned treasury.
    #[account(mut, address = economy_config.treasury)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    /// The items config (royalty).
    #[account(address = ITEMS_CONFIG_ADDRESS)]
    pub items_config: Box<Account<'info, ItemsConfig>>,
    /// CHECK: the collection's royalty receiver.
    #[account(address = items_config.royalty_receiver @ AuctionError::WrongCreator)]
    pub creator: UncheckedAccount<'info>,
    /// CHECK: the creator's credit account `["credit", creator]` (royalty), created if needed (`ensure_credit`). The
    /// same account as the seller's when the creator sells: SPL token accounts are never written back by this
    /// program, so the alias is safe.
    #[account(mut)]
    pub creator_credit: UncheckedAccount<'info>,
    /// SPL Token (currency).
    pub token_program: Program<'info, Token>,
    /// Token-2022 (items).
    pub item_token_program: Program<'info, Token2022>,
    /// Associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Buys at the current price if it is at most `max_price`.
pub fn handler(ctx: Context<Buy>, max_price: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    let listing = &a.listing;
    let price = match listing.kind {
        ListingKind::Fixed => listing.start_price,
        ListingKind::Dutch => super::dutch_price(listing, now)?,
        ListingKind::English => return err!(AuctionError::WrongKind),
    };
    require_keys_neq!(a.buyer.key(), listing.seller, AuctionError::SellerCannotBuy);
    require!(price <= max_price, AuctionError::PriceAboveMax);

    let factory = super::CreditFactory {
        payer: &a.buyer.to_account_info(),
        house: &a.house.to_account_info(),
        currency_mint: &a.currency_mint.to_account_info(),
        token_program: &a.token_program,
        system_program: &a.system_program,
    };
    let (seller_credit, creator_credit) = (a.seller_credit.to_account_info(), a.creator_credit.to_account_info());
    super::ensure_credit(&seller_credit, &listing.seller, &factory)?;
    super::ensure_credit(&creator_credit, a.creator.key, &factory)?;
    let buyer_item = a.buyer_item.to_account_info();
    super::ensure_item_account(
        &buyer_item,
        factory.payer,
        &a.item_mint.to_account_info(),
        factory.payer,
        &a.item_token_program,
        &a.associated_token_program,
        &a.system_program,
    )?;

    let market = a.economy_config.market;
    let treasury = a.treasury.to_account_info();
    let payees =
        super::SalePayees { treasury: &treasury, creator_credit: &creator_credit, seller_credit: &seller_credit };
    let (fee, royalty) = super::pay_sale(
        &a.token_program,
        &a.buyer_currency.to_account_info(),
        &a.buyer.to_account_info(),
        &[],
        payees,
        price,
        &market,
        super::royalty_bps(&a.items_config, market.royalty_cap_bps),
    )?;

    let (item_mint, bump) = (listing.item_mint, [listing.bump]);
    let seeds = super::listing_seeds(&item_mint, &bump);
    let signer: &[&[&[u8]]] = &[&seeds];
    let listing_info = listing.to_account_info();
    super::release_item(
        &a.item_token_program,
        &a.item_escrow.to_account_info(),
        &a.item_mint.to_account_info(),
        &buyer_item,
        &listing_info,
        signer,
    )?;
    mercato_program_log::emit_event!(Sale {
        id: listing.id,
        kind: listing.kind,
        seller: listing.seller,
        buyer: a.buyer.key(),
        item_mint,
        price,
        fee,
        royalty,
        royalty_receiver: if royalty > 0 { a.creator.key() } else { Pubkey::default() },
    });
    super::close_escrows(
        &a.token_program,
        &a.item_token_program,
        &a.item_escrow.to_account_info(),
        &a.bid_escrow.to_account_info(),
        &seller_credit,
        &a.seller.to_account_info(),
        &listing_info,
        signer,
    )
}
