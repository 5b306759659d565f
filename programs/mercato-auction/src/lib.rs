//! Mercato auction house on Solana.
//!
//! English auctions (reserve, minimum increment, anti-snipe extension), Dutch auctions (linear decay to a floor,
//! then resting at the floor) and fixed-price listings of NFT items, paid in the Mercato currency. While listed, the
//! item sits in an escrow token account owned by the listing PDA, and an English auction's high bid sits in a
//! currency escrow owned by the same PDA. Only Mercato items can be listed (supply 1, no mint or freeze authority),
//! so nothing can add to, freeze or pull from an escrow. A new bid refunds the previous one in the same instruction
//! into the previous bidder's credit account; sales pay the seller's proceeds and the creator's royalty into their
//! credit accounts and the fee into the program-owned treasury. Credit accounts are owned by the house PDA, so no
//! party can refuse a payment and block a bid or a sale; owners move credits out with `withdraw_credits`.
//! Settlement is open to anyone after the end. The fee and royalty are bounded by the economy config at the time of
//! the sale: seller + fee + royalty == price. Listings and escrows are closed when they end (anything sent into a
//! bid escrow goes to the seller's credits first), returning their rent to the seller.
//!
//! Layout: `state`, `instructions/<name>` (plus the shared pricing and transfer rules in `instructions`),
//! `events`, `error`, `constants`.

#![allow(unexpected_cfgs)] // anchor's macros test cfgs this crate does not declare
#![allow(missing_docs)] // anchor's #[program] and #[derive(Accounts)] generate undocumented items

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;
use state::ListingKind;

declare_id!("8Afq8nTmywu7toHG6qdJhh19esUpAdG9eKKdAqEXzvDc");

/// The auction program's instructions.
#[program]
pub mod mercato_auction {
    use super::*;

    /// Creates the house (listing counter).
    pub fn init_house(ctx: Context<InitHouse>) -> Result<()> {
        instructions::init_house::handler(ctx)
    }

    /// Lists an item: English (`start_price` = reserve), Dutch (start, floor) or fixed price.
    pub fn create_listing(
        ctx: Context<CreateListing>,
        kind: ListingKind,
        start_price: u64,
        floor_price: u64,
        duration: u32,
    ) -> Result<()> {
        instructions::create_listing::handler(ctx, kind, start_price, floor_price, duration)
    }

    /// Bids on an English auction; refunds the previous high bid.
    pub fn bid(ctx: Context<Bid>, amount: u64) -> Result<()> {
        instructions::bid::handler(ctx, amount)
    }

    /// Settles an English auction after its end (anyone).
    pub fn settle(ctx: Context<Settle>) -> Result<()> {
        instructions::settle::handler(ctx)
    }

    /// Buys a Dutch or fixed-price listing at its current price, at most `max_price`.
    pub fn buy(ctx: Context<Buy>, max_price: u64) -> Result<()> {
        instructions::buy::handler(ctx, max_price)
    }

    /// Withdraws a listing (seller; English only before any bid).
    pub fn cancel(ctx: Context<Cancel>) -> Result<()> {
        instructions::cancel::handler(ctx)
    }

    /// Moves the signer's credits (refunds, proceeds, royalties) to a currency account of their choosing.
    pub fn withdraw_credits(ctx: Context<WithdrawCredits>, amount: u64) -> Result<()> {
        instructions::withdraw_credits::handler(ctx, amount)
    }
}
