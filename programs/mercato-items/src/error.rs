//! Named failures of the items program.

use anchor_lang::prelude::*;

/// Every way an instruction of the items program can fail.
#[error_code]
pub enum ItemsError {
    /// Rarity above 4.
    #[msg("rarity out of bounds (0..=4)")]
    InvalidRarity,
    /// Royalty above the economy's royalty cap.
    #[msg("royalty above the governance cap")]
    RoyaltyAboveCap,
    /// A royalty with a rate needs a receiver.
    #[msg("a royalty with a non-zero rate needs a receiver")]
    ZeroRoyaltyReceiver,
    /// Name longer than 32 bytes.
    #[msg("name too long (32 bytes at most)")]
    NameTooLong,
    /// URI longer than 200 bytes.
    #[msg("uri too long (200 bytes at most)")]
    UriTooLong,
    /// Only the economy config's authority may create the collection.
    #[msg("only the economy config's authority may create the collection")]
    NotEconomyAuthority,
    /// Checked arithmetic overflowed.
    #[msg("arithmetic overflow")]
    MathOverflow,
    /// The token account does not hold the item.
    #[msg("the token account does not hold this item")]
    NotHolder,
}
