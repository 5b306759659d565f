//! Accounts of the auction program.

use anchor_lang::prelude::*;

/// The auction house. PDA seeds: `["house"]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct House {
    /// Bump of this PDA.
    pub bump: u8,
    /// Id the next listing gets (ids start at 1, as on EVM).
    pub next_listing_id: u64,
}

/// The kind of a listing.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingKind {
    /// Ascending bids with a reserve, a minimum increment and anti-snipe extensions.
    English,
    /// Price falls linearly from the start price to the floor over the duration, then rests at the floor.
    Dutch,
    /// A fixed price until bought or cancelled.
    Fixed,
}

/// One listing. PDA seeds: `["listing", item_mint]`. Closed (rent to the seller) when it ends.
#[account]
#[derive(InitSpace, Debug)]
pub struct Listing {
    /// Layout version.
    pub version: u8,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the item escrow PDA.
    pub item_escrow_bump: u8,
    /// Bump of the bid escrow PDA.
    pub bid_escrow_bump: u8,
    /// Sequential id.
    pub id: u64,
    /// Kind.
    pub kind: ListingKind,
    /// The seller.
    pub seller: Pubkey,
    /// The item (an NFT mint: 0 decimals, supply 1).
    pub item_mint: Pubkey,
    /// English: reserve; Dutch: start price; Fixed: price (currency base units).
    pub start_price: u64,
    /// Dutch: floor price.
    pub floor_price: u64,
    /// Unix time the listing opened.
    pub start_ts: i64,
    /// English: bids accepted before it; Dutch: the floor is reached at it; Fixed: 0.
    pub end_ts: i64,
    /// English: the high bidder (default pubkey when there is no bid).
    pub high_bidder: Pubkey,
    /// English: the high bid, held in the bid escrow.
    pub high_bid: u64,
}

impl Listing {
    /// Whether an English auction has a bid.
    pub fn has_bid(&self) -> bool {
        self.high_bidder != Pubkey::default()
    }
}
