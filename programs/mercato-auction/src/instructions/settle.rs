//! `settle`: ends an English auction after its end time. Anyone may call it.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::{Mint, Token, TokenAccount};
use anchor_spl::token_interface::{Mint as MintI, Token2022, TokenAccount as TokenAccountI};
use mercato_items::constants::ITEMS_CONFIG_SEED;
use mercato_items::state::ItemsConfig;
use mercato_token::constants::CONFIG_SEED;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::{AuctionUnsold, Sale};
use crate::state::{House, Listing, ListingKind};

/// Accounts of `settle`.
#[derive(Accounts)]
pub struct Settle<'info> {
    /// Whoever settles; pays for any account that does not exist yet.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The economy config (fee, royalty cap, treasury).
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
    /// CHECK: the listing's seller (has_one); receives the rent of the closed accounts.
    #[account(mut)]
    pub seller: UncheckedAccount<'info>,
    /// The seller's credit account (proceeds).
    #[account(
        init_if_needed,
        payer = payer,
        seeds = [CREDIT_SEED, seller.key().as_ref()],
        bump,
        token::mint = currency_mint,
        token::authority = house,
        token::token_program = token_program
    )]
    pub seller_credit: Box<Account<'info, TokenAccount>>,
    /// CHECK: the high bidder, or the seller when there was no bid (checked in the handler).
    pub winner: UncheckedAccount<'info>,
    /// Receives the item (a Token-2022 associated account: its owner cannot be changed).
    #[account(
        init_if_needed,
        payer = payer,
        associated_token::mint = item_mint,
        associated_token::authority = winner,
        associated_token::token_program = item_token_program
    )]
    pub winner_item: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// The item.
    pub item_mint: Box<InterfaceAccount<'info, MintI>>,
    /// The item escrow.
    #[account(mut, seeds = [ITEM_ESCROW_SEED, listing.key().as_ref()], bump)]
    pub item_escrow: Box<InterfaceAccount<'info, TokenAccountI>>,
    /// The bid escrow.
    #[account(mut, seeds = [BID_ESCROW_SEED, listing.key().as_ref()], bump)]
    pub bid_escrow: Box<Account<'info, TokenAccount>>,
    /// Receives the fee: the program-owned treasury.
    #[account(mut, address = economy_config.treasury)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    /// The items config (royalty).
    #[account(seeds = [ITEMS_CONFIG_SEED], bump = items_config.bump, seeds::program = mercato_items::ID)]
    pub items_config: Box<Account<'info, ItemsConfig>>,
    /// CHECK: the collection's royalty receiver.
    #[account(address = items_config.royalty_receiver @ AuctionError::WrongCreator)]
    pub creator: UncheckedAccount<'info>,
    /// The creator's credit account (royalty). The same account as the seller's when the creator sells (`dup`):
    /// SPL token accounts are never written back by this program, so the alias is safe.
    #[account(
        init_if_needed,
        payer = payer,
        seeds = [CREDIT_SEED, creator.key().as_ref()],
        bump,
        token::mint = currency_mint,
        token::authority = house,
        token::token_program = token_program,
        dup
    )]
    pub creator_credit: Box<Account<'info, TokenAccount>>,
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

    let (item_mint, bump) = (listing.item_mint, [listing.bump]);
    let seeds = super::listing_seeds(&item_mint, &bump);
    let signer: &[&[&[u8]]] = &[&seeds];
    let listing_info = listing.to_account_info();
    super::release_item(&a.item_token_program, &a.item_escrow, &a.item_mint, &a.winner_item, &listing_info, signer)?;
    if sold {
        let market = a.economy_config.market;
        let payees = super::SalePayees {
            treasury: &a.treasury,
            creator_credit: &a.creator_credit,
            seller_credit: &a.seller_credit,
        };
        let (fee, royalty) = super::pay_sale(
            &a.token_program,
            &a.bid_escrow.to_account_info(),
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
        &a.item_escrow,
        &a.bid_escrow,
        &a.seller_credit,
        &a.seller.to_account_info(),
        &listing_info,
        signer,
    )
}
