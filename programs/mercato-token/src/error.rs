//! Named failures of the currency program.

use anchor_lang::prelude::*;

/// Every way an instruction of the currency program can fail.
#[error_code]
pub enum TokenError {
    /// Market fee above 1,000 bps.
    #[msg("market fee out of bounds (0..=1000 bps)")]
    MarketFeeOutOfBounds,
    /// Royalty cap above 2,500 bps.
    #[msg("royalty cap out of bounds (0..=2500 bps)")]
    RoyaltyCapOutOfBounds,
    /// Bid increment outside 1..=5,000 bps.
    #[msg("minimum bid increment out of bounds (1..=5000 bps)")]
    BidIncrementOutOfBounds,
    /// Anti-snipe buffer above one hour.
    #[msg("anti-snipe buffer out of bounds (0..=3600 s)")]
    AntiSnipeBufferOutOfBounds,
    /// Auction duration bounds outside their ranges, or min above max.
    #[msg("auction duration bounds out of range")]
    AuctionDurationOutOfBounds,
    /// Emission rate above the maximum fixed at initialization.
    #[msg("emission rate above the maximum")]
    EmissionRateOutOfBounds,
    /// Daily reward cap above the maximum fixed at initialization.
    #[msg("daily reward cap above the maximum")]
    DailyRewardCapOutOfBounds,
    /// Cap of zero.
    #[msg("the supply cap must be positive")]
    InvalidCap,
    /// The genesis supply was already minted.
    #[msg("genesis supply already minted")]
    GenesisAlreadyMinted,
    /// A mint would take the supply above the cap.
    #[msg("mint would exceed the supply cap")]
    CapExceeded,
    /// The player's rewards for today would exceed the daily cap.
    #[msg("daily reward cap exceeded for this player")]
    RewardCapExceeded,
    /// The rewards vault holds less than the reward.
    #[msg("rewards vault balance too low: release emission first")]
    RewardsVaultInsufficient,
    /// An amount of zero.
    #[msg("amount must be positive")]
    ZeroAmount,
    /// Checked arithmetic overflowed.
    #[msg("arithmetic overflow")]
    MathOverflow,
    /// A token account that does not belong to the currency mint.
    #[msg("token account is not for the Mercato currency mint")]
    WrongMint,
}
