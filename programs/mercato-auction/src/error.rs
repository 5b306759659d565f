//! Named failures of the auction program.

use anchor_lang::prelude::*;

/// Every way an instruction of the auction program can fail.
#[error_code]
pub enum AuctionError {
    /// The instruction does not apply to this kind of listing.
    #[msg("wrong listing kind for this instruction")]
    WrongKind,
    /// The English auction has ended.
    #[msg("the auction has ended")]
    AuctionEnded,
    /// The English auction has not ended yet.
    #[msg("the auction has not ended yet")]
    AuctionNotEnded,
    /// The bid is below the reserve or the minimum increment.
    #[msg("bid too low")]
    BidTooLow,
    /// The seller cannot bid on or buy their own listing.
    #[msg("the seller cannot bid on or buy their own listing")]
    SellerCannotBuy,
    /// The price is above what the buyer accepted.
    #[msg("price above the buyer's maximum")]
    PriceAboveMax,
    /// Duration outside the economy's bounds.
    #[msg("auction duration outside the configured bounds")]
    InvalidDuration,
    /// Prices that make no sense for the kind (zero price, floor not below start, …).
    #[msg("invalid prices for this listing kind")]
    InvalidPrices,
    /// An English auction with a bid cannot be cancelled.
    #[msg("the auction has a bid and cannot be cancelled")]
    HasBids,
    /// The item is not an NFT (0 decimals, supply 1).
    #[msg("the item must be an NFT: 0 decimals and supply 1")]
    NotAnNft,
    /// Withdrawal above the credit balance.
    #[msg("credit balance too low")]
    InsufficientCredits,
    /// Zero amount.
    #[msg("amount must be positive")]
    ZeroAmount,
    /// The previous-bidder account is not the high bidder.
    #[msg("previous bidder account does not match the high bidder")]
    WrongPreviousBidder,
    /// The winner account is not the high bidder (or the seller when unsold).
    #[msg("winner account does not match the auction's outcome")]
    WrongWinner,
    /// The creator account is not the collection's royalty receiver.
    #[msg("creator account does not match the royalty receiver")]
    WrongCreator,
    /// Checked arithmetic overflowed.
    #[msg("arithmetic overflow")]
    MathOverflow,
}
