//! Seeds, bounds and fixed numbers of the currency program.

/// Seed of the economy config PDA: `["config"]`.
pub const CONFIG_SEED: &[u8] = b"config";
/// Address of the economy config PDA, derived at compile time (other programs check it with a plain comparison
/// instead of a 1,500 CU PDA syscall).
pub const CONFIG_ADDRESS: anchor_lang::prelude::Pubkey = anchor_lang::prelude::Pubkey::new_from_array(
    anchor_lang::derive_program_address(&[CONFIG_SEED], crate::ID.as_array()).0,
);
/// Seed of the currency mint PDA: `["mint"]`. Its mint authority is the config PDA.
pub const MINT_SEED: &[u8] = b"mint";
/// Seed of the rewards vault PDA (an SPL token account owned by the config PDA): `["rewards_vault"]`.
pub const REWARDS_VAULT_SEED: &[u8] = b"rewards_vault";
/// Seed of the treasury PDA (an SPL token account owned by the config PDA) that receives market fees:
/// `["treasury"]`. Program-owned, so nobody can close it, re-assign it or refuse a payment into it.
pub const TREASURY_SEED: &[u8] = b"treasury";
/// Seed of a player's reward record PDA: `["reward", player]`.
pub const REWARD_RECORD_SEED: &[u8] = b"reward";

/// Decimals of the currency mint (Solana's usual 9; the EVM token has 18).
pub const DECIMALS: u8 = 9;
/// Basis-point denominator.
pub const BPS: u64 = 10_000;
/// Seconds per reward day (days are UTC, counted from the Unix epoch).
pub const SECONDS_PER_DAY: i64 = 86_400;

/// Highest market fee governance can set (10%), as on EVM.
pub const MAX_MARKET_FEE_BPS: u16 = 1_000;
/// Highest royalty cap governance can set (25%), as on EVM.
pub const MAX_ROYALTY_CAP_BPS: u16 = 2_500;
/// Bid increment bounds (0.01% .. 50%), as on EVM.
pub const MIN_BID_INCREMENT_BPS: u16 = 1;
/// Upper bound of the bid increment.
pub const MAX_BID_INCREMENT_BPS: u16 = 5_000;
/// Highest anti-snipe buffer (one hour), as on EVM.
pub const MAX_ANTI_SNIPE_BUFFER: u32 = 3_600;
/// Bounds of the minimum auction duration: [1 minute, 1 day].
pub const MIN_AUCTION_DURATION_FLOOR: u32 = 60;
/// Upper bound of the minimum auction duration.
pub const MIN_AUCTION_DURATION_CEIL: u32 = 86_400;
/// Bounds of the maximum auction duration: [1 hour, 90 days].
pub const MAX_AUCTION_DURATION_FLOOR: u32 = 3_600;
/// Upper bound of the maximum auction duration.
pub const MAX_AUCTION_DURATION_CEIL: u32 = 90 * 86_400;
