//! Accounts of the currency program.

use anchor_lang::prelude::*;

/// The live economic parameters, one per deployment. PDA seeds: `["config"]`.
///
/// The same parameters as the EVM `EconomyConfig`, plus the Solana-side currency state (mint, rewards vault,
/// emission clock) and the game-reward cap. Changed only by `authority` (the governance PDA once handed over)
/// through `update_param`, every change bounded and announced by `ParameterChanged`.
#[account]
#[derive(InitSpace, Debug)]
pub struct EconomyConfig {
    /// Layout version, for migrations.
    pub version: u8,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the mint PDA.
    pub mint_bump: u8,
    /// Bump of the rewards vault PDA.
    pub rewards_vault_bump: u8,
    /// Bump of the treasury PDA.
    pub treasury_bump: u8,
    /// Whether the one-time genesis mint happened.
    pub genesis_minted: bool,
    /// May change parameters and roles: the deployer at first, the governance PDA after hand-over.
    pub authority: Pubkey,
    /// May grant capped rewards from the rewards vault (the game server).
    pub game_server: Pubkey,
    /// The currency mint (PDA `["mint"]`).
    pub mint: Pubkey,
    /// Token account (PDA `["treasury"]`, owned by this config) that receives market fees.
    pub treasury: Pubkey,
    /// Token account (PDA `["rewards_vault"]`) that receives the emission and pays rewards.
    pub rewards_vault: Pubkey,
    /// Hard cap on the mint's supply, in base units.
    pub cap: u64,
    /// Emission in base units per second.
    pub emission_rate: u64,
    /// Upper bound of `emission_rate`, fixed at initialization.
    pub max_emission_rate: u64,
    /// Emission has been released up to this Unix timestamp.
    pub last_emission_ts: i64,
    /// Rewards one player may receive per UTC day, in base units.
    pub daily_reward_cap: u64,
    /// Upper bound of `daily_reward_cap`, fixed at initialization.
    pub max_daily_reward_cap: u64,
    /// Market parameters read by the auction program.
    pub market: MarketParams,
    /// Space for future fields without a migration.
    pub reserved: [u8; 64],
}

/// Market parameters, as on EVM.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketParams {
    /// Protocol fee on every sale, to the treasury.
    pub market_fee_bps: u16,
    /// Upper bound on any royalty.
    pub royalty_cap_bps: u16,
    /// An English bid must beat the high bid by at least this much.
    pub min_bid_increment_bps: u16,
    /// Seconds: a bid this close to the end moves the end to now + buffer.
    pub anti_snipe_buffer: u32,
    /// Shortest English or Dutch auction, in seconds.
    pub min_auction_duration: u32,
    /// Longest English or Dutch auction, in seconds.
    pub max_auction_duration: u32,
}

/// How much one player received today. PDA seeds: `["reward", player]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct RewardRecord {
    /// Bump of this PDA.
    pub bump: u8,
    /// The player.
    pub player: Pubkey,
    /// UTC day number (Unix time / 86,400) that `granted_today` counts.
    pub day: i64,
    /// Rewards granted on `day`.
    pub granted_today: u64,
    /// Rewards granted ever.
    pub granted_total: u64,
}

/// A typed change of one parameter: what `update_param` applies and what governance proposals carry.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamChange {
    /// Market fee in bps, at most 1,000.
    MarketFeeBps(u16),
    /// Royalty cap in bps, at most 2,500.
    RoyaltyCapBps(u16),
    /// Minimum bid increment in bps, 1..=5,000.
    MinBidIncrementBps(u16),
    /// Anti-snipe buffer in seconds, at most 3,600.
    AntiSnipeBuffer(u32),
    /// Auction duration bounds in seconds.
    AuctionDurationBounds {
        /// Shortest auction, [60, 86,400].
        min: u32,
        /// Longest auction, [max(3,600, min), 90 days].
        max: u32,
    },
    /// Emission rate in base units per second, at most `max_emission_rate`.
    EmissionRate(u64),
    /// Per-player daily reward cap, at most `max_daily_reward_cap`.
    DailyRewardCap(u64),
    /// The game server allowed to grant rewards.
    GameServer(Pubkey),
}

/// Why a player got a reward (recorded in the event for analytics).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewardReason {
    /// Daily sign-in.
    SignIn,
    /// A completed task or quest.
    Task,
    /// Anything else the game defines.
    Other,
}
