//! The suite's default settings, the same as the EVM deployment's (`contracts/script/MercatoDeployment.sol`), so
//! both chains start with one economy.

use crate::governance::GovernanceParams;
use crate::token::{InitializeParams, MarketParams};
use anchor_lang::prelude::Pubkey;

/// One whole token (9 decimals).
pub const MRC: u64 = 1_000_000_000;

/// The genesis supply: 10% of the cap, to the genesis holder.
pub const GENESIS_SUPPLY: u64 = 100_000_000 * MRC;

/// The royalty of the default collection, in basis points.
pub const ROYALTY_BPS: u16 = 500;

/// The economy's settings: a 1B cap, 1 MRC/s emission (at most 100), a 50 MRC daily reward cap per player (at most
/// 10,000), a 2.5% market fee, royalties capped at 10%, 5% minimum raise, a 5-minute anti-snipe window and auctions
/// of 10 minutes to 30 days. `game_server` gets the reward role.
pub fn economy_params(game_server: Pubkey) -> InitializeParams {
    InitializeParams {
        cap: 1_000_000_000 * MRC,
        emission_rate: MRC,
        max_emission_rate: 100 * MRC,
        daily_reward_cap: 50 * MRC,
        max_daily_reward_cap: 10_000 * MRC,
        market: MarketParams {
            market_fee_bps: 250,
            royalty_cap_bps: 1_000,
            min_bid_increment_bps: 500,
            anti_snipe_buffer: 300,
            min_auction_duration: 600,
            max_auction_duration: 30 * 86_400,
        },
        game_server,
    }
}

/// Governance settings: a 5-day vote and a 2-day hold-up before execution, 4% quorum, simple majority, 100,000 MRC
/// deposited to propose. `fast` gives local-development timings instead (10-minute vote, 2-minute hold-up, 1 MRC
/// to propose), like `MERCATO_GOV_FAST=1` on the EVM side.
pub fn governance_params(fast: bool) -> GovernanceParams {
    if fast {
        GovernanceParams {
            voting_period: 600,
            hold_up: 120,
            quorum_bps: 400,
            approval_bps: 5_000,
            proposal_threshold: MRC,
        }
    } else {
        GovernanceParams {
            voting_period: 5 * 86_400,
            hold_up: 2 * 86_400,
            quorum_bps: 400,
            approval_bps: 5_000,
            proposal_threshold: 100_000 * MRC,
        }
    }
}
