//! Events of the auction program (same meanings as the EVM AuctionHouse events).

use anchor_lang::prelude::*;

use crate::state::ListingKind;

/// The house was created.
#[event]
pub struct HouseInitialized {
    /// The house PDA.
    pub house: Pubkey,
}

/// A listing opened; the item is in escrow.
#[event]
pub struct ListingCreated {
    /// Listing id.
    pub id: u64,
    /// Kind.
    pub kind: ListingKind,
    /// Seller.
    pub seller: Pubkey,
    /// Item mint.
    pub item_mint: Pubkey,
    /// English: reserve; Dutch: start; Fixed: price.
    pub start_price: u64,
    /// Dutch floor.
    pub floor_price: u64,
    /// Opening time.
    pub start_ts: i64,
    /// End time (0 for fixed price).
    pub end_ts: i64,
}

/// A new high bid; the previous one (if any) was moved to the previous bidder's credits in the same instruction.
#[event]
pub struct BidPlaced {
    /// Listing id.
    pub id: u64,
    /// Bidder.
    pub bidder: Pubkey,
    /// Amount.
    pub amount: u64,
    /// Refunded bidder (default pubkey when first bid).
    pub previous_bidder: Pubkey,
    /// Refunded amount.
    pub previous_amount: u64,
    /// End after any anti-snipe extension.
    pub end_ts: i64,
}

/// A sale: price == seller proceeds + fee + royalty.
#[event]
pub struct Sale {
    /// Listing id.
    pub id: u64,
    /// Kind.
    pub kind: ListingKind,
    /// Seller.
    pub seller: Pubkey,
    /// Buyer (or English winner).
    pub buyer: Pubkey,
    /// Item mint.
    pub item_mint: Pubkey,
    /// Price.
    pub price: u64,
    /// Protocol fee to the treasury.
    pub fee: u64,
    /// Royalty to the creator.
    pub royalty: u64,
    /// Royalty receiver (default pubkey when none).
    pub royalty_receiver: Pubkey,
}

/// The seller withdrew a listing.
#[event]
pub struct ListingCancelled {
    /// Listing id.
    pub id: u64,
    /// Seller.
    pub seller: Pubkey,
}

/// An English auction ended without bids; the item went back.
#[event]
pub struct AuctionUnsold {
    /// Listing id.
    pub id: u64,
    /// Seller.
    pub seller: Pubkey,
}

/// `owner` withdrew `amount` of credits to `destination`.
#[event]
pub struct CreditsWithdrawn {
    /// Owner of the credits.
    pub owner: Pubkey,
    /// Amount.
    pub amount: u64,
    /// Receiving currency account.
    pub destination: Pubkey,
}
