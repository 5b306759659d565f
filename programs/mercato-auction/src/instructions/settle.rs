//! `settle`: ends an English auction after its end time. Anyone may call it.

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::Token;
use anchor_spl::token_interface::Token2022;
use mercato_items::constants::ITEMS_CONFIG_ADDRESS;
use mercato_items::state::ItemsConfig;
use mercato_token::constants::CONFIG_ADDRESS;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::{AuctionUnsold, Sale};
use crate::state::{Listing, ListingKind};

/// Accounts of `settle`.
#[derive(Accounts)]
pub struct Settle<'info> {
    /// Whoever settles; pays for any account that does not exist yet.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The economy config (fee, royalty cap, treasury).
    #[account(address = CONFIG_ADDRESS)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// CHECK: the currency mint (by address; only handed to SPL Token when a credit account is created).
    #[account(address = economy_config.mint)]
    pub currency_mint: UncheckedAccount<'info>,
    /// CHECK: the house PDA, authority of the credit accounts (by address; nothing of it is read).
    #[account(address = HOUSE_ADDRESS)]
    pub house: UncheckedAccount<'info>,
    /// The listing (`["listing", item_mint]`), closed to the seller.
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
    /// CHECK: the high bidder, or the seller when there was no bid (checked in the handler).
    pub winner: UncheckedAccount<'info>,
    /// CHECK: receives the item: the winner's associated Token-2022 account (its owner cannot be changed), created if
    /// needed (`ensure_item_account`).
    #[account(mut)]
    pub winner_item: UncheckedAccount<'info>,
    /// CHECK: the item (the listing's, `has_one`); Token-2022 checks it in the transfer.
    pub item_mint: UncheckedAccount<'info>,
    /// CHECK: the item escrow `["item_escrow", listing]`; Token-2022 checks its mint, owner and balance in the
    /// transfer.
    #[account(
        mut,
        constraint = mercato_pda::is(&item_escrow.key(), &[ITEM_ESCROW_SEED, listing.key().as_ref()], listing.item_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub item_escrow: UncheckedAccount<'info>,
    /// CHECK: the bid escrow `["bid_escrow", listing]`; SPL Token checks it in the transfers and the close.
    #[account(
        mut,
        constraint = mercato_pda::is(&bid_escrow.key(), &[BID_ESCROW_SEED, listing.key().as_ref()], listing.bid_escrow_bump, &crate::ID)
            @ Anchor::ConstraintSeeds
    )]
    pub bid_escrow: UncheckedAccount<'info>,
    /// CHECK: receives the fee: the program-owned treasury (by address).
    #[account(mut, address = economy_config.treasury)]
    pub treasury: UncheckedAccount<'info>,
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

/// Pays out the high bid and delivers the item, or returns the item when there was no bid.
pub fn handler(ctx: Context<Settle>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    let listing = &a.listing;
    require!(listing.kind == ListingKind::English, AuctionError::WrongKind);
    require!(now >= listing.end_ts, AuctionError::AuctionNotEnded);
    let sold = listing.has_bid();
    let expected_winner = if sold { listing.high_bidder } else { listing.seller };
    require_keys_eq!(a.winner.key(), expected_winner, AuctionError::WrongWinner);

    let factory = super::CreditFactory {
        payer: &a.payer.to_account_info(),
        house: &a.house.to_account_info(),
        currency_mint: &a.currency_mint.to_account_info(),
        token_program: &a.token_program,
        system_program: &a.system_program,
    };
    let (seller_credit, creator_credit) = (a.seller_credit.to_account_info(), a.creator_credit.to_account_info());
    super::ensure_credit(&seller_credit, &listing.seller, &factory)?;
    super::ensure_credit(&creator_credit, a.creator.key, &factory)?;
    let (winner_item, item_mint_info) = (a.winner_item.to_account_info(), a.item_mint.to_account_info());
    super::ensure_item_account(
        &winner_item,
        &a.winner.to_account_info(),
        &item_mint_info,
        factory.payer,
        &a.item_token_program,
        &a.associated_token_program,
        &a.system_program,
    )?;

    let (item_mint, bump) = (listing.item_mint, [listing.bump]);
    let seeds = super::listing_seeds(&item_mint, &bump);
    let signer: &[&[&[u8]]] = &[&seeds];
    let listing_info = listing.to_account_info();
    let (item_escrow, bid_escrow) = (a.item_escrow.to_account_info(), a.bid_escrow.to_account_info());
    super::release_item(&a.item_token_program, &item_escrow, &item_mint_info, &winner_item, &listing_info, signer)?;
    if sold {
        let market = a.economy_config.market;
        let payees = super::SalePayees {
            treasury: &a.treasury.to_account_info(),
            creator_credit: &creator_credit,
            seller_credit: &seller_credit,
        };
        let (fee, royalty) = super::pay_sale(
            &a.token_program,
            &bid_escrow,
            &listing_info,
            signer,
            payees,
            listing.high_bid,
            &market,
            super::royalty_bps(&a.items_config, market.royalty_cap_bps),
        )?;
        mercato_program_log::emit_event!(Sale {
            id: listing.id,
            kind: listing.kind,
            seller: listing.seller,
            buyer: listing.high_bidder,
            item_mint,
            price: listing.high_bid,
            fee,
            royalty,
            royalty_receiver: if royalty > 0 { a.creator.key() } else { Pubkey::default() },
        });
    } else {
        mercato_program_log::emit_event!(AuctionUnsold { id: listing.id, seller: listing.seller });
    }
    super::close_escrows(
        &a.token_program,
        &a.item_token_program,
        &item_escrow,
        &bid_escrow,
        &seller_credit,
        &a.seller.to_account_info(),
        &listing_info,
        signer,
    )
}
