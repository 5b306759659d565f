//! `update_param` and `set_authority`: the only ways parameters and roles change.

use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::constants::*;
use crate::error::TokenError;
use crate::events::{AddressChanged, ParameterChanged};
use crate::state::{EconomyConfig, MarketParams, ParamChange};

/// Accounts of `update_param`. The mint and vault are there so that an emission change first releases what
/// accrued at the old rate.
#[derive(Accounts)]
pub struct UpdateParam<'info> {
    /// The config authority (the governance PDA, signing through CPI, once handed over).
    pub authority: Signer<'info>,
    /// The economy config.
    #[account(
        mut,
        seeds = [CONFIG_SEED],
        bump = config.bump,
        has_one = authority,
        has_one = mint,
        has_one = rewards_vault
    )]
    pub config: Account<'info, EconomyConfig>,
    /// The currency mint.
    #[account(mut)]
    pub mint: Account<'info, Mint>,
    /// The rewards vault.
    #[account(mut)]
    pub rewards_vault: Account<'info, TokenAccount>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

/// Applies one bounded change.
pub fn handler(ctx: Context<UpdateParam>, change: ParamChange) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = ctx.accounts;
    if let ParamChange::EmissionRate(_) = change {
        crate::instructions::release_emission::release(
            &mut accounts.config,
            &mut accounts.mint,
            &accounts.rewards_vault,
            &accounts.token_program,
            now,
        )?;
    }
    apply(&mut accounts.config, change)
}

/// Checks `change` against its bounds and applies it to `config`, emitting the event.
pub fn apply(config: &mut EconomyConfig, change: ParamChange) -> Result<()> {
    let mut market = config.market;
    let (name, old, new): (&str, u64, u64) = match change {
        ParamChange::MarketFeeBps(v) => {
            market.market_fee_bps = v;
            ("marketFeeBps", config.market.market_fee_bps.into(), v.into())
        }
        ParamChange::RoyaltyCapBps(v) => {
            market.royalty_cap_bps = v;
            ("royaltyCapBps", config.market.royalty_cap_bps.into(), v.into())
        }
        ParamChange::MinBidIncrementBps(v) => {
            market.min_bid_increment_bps = v;
            ("minBidIncrementBps", config.market.min_bid_increment_bps.into(), v.into())
        }
        ParamChange::AntiSnipeBuffer(v) => {
            market.anti_snipe_buffer = v;
            ("antiSnipeBuffer", config.market.anti_snipe_buffer.into(), v.into())
        }
        ParamChange::AuctionDurationBounds { min, max } => {
            market.min_auction_duration = min;
            market.max_auction_duration = max;
            check_market(&market)?;
            mercato_program_log::emit_event!(ParameterChanged {
                name: "minAuctionDuration".into(),
                old_value: config.market.min_auction_duration.into(),
                new_value: min.into(),
            });
            config.market = market;
            ("maxAuctionDuration", config.market.max_auction_duration.into(), max.into())
        }
        ParamChange::EmissionRate(v) => {
            require!(v <= config.max_emission_rate, TokenError::EmissionRateOutOfBounds);
            let old = config.emission_rate;
            config.emission_rate = v;
            ("emissionRate", old, v)
        }
        ParamChange::DailyRewardCap(v) => {
            require!(v <= config.max_daily_reward_cap, TokenError::DailyRewardCapOutOfBounds);
            let old = config.daily_reward_cap;
            config.daily_reward_cap = v;
            ("dailyRewardCap", old, v)
        }
        ParamChange::GameServer(address) => {
            mercato_program_log::emit_event!(AddressChanged {
                name: "gameServer".into(),
                old_value: config.game_server,
                new_value: address
            });
            config.game_server = address;
            return Ok(());
        }
    };
    check_market(&market)?;
    config.market = market;
    mercato_program_log::emit_event!(ParameterChanged { name: name.into(), old_value: old, new_value: new });
    Ok(())
}

/// The market bounds shared with the EVM `EconomyConfig`.
pub fn check_market(m: &MarketParams) -> Result<()> {
    require!(m.market_fee_bps <= MAX_MARKET_FEE_BPS, TokenError::MarketFeeOutOfBounds);
    require!(m.royalty_cap_bps <= MAX_ROYALTY_CAP_BPS, TokenError::RoyaltyCapOutOfBounds);
    require!(
        (MIN_BID_INCREMENT_BPS..=MAX_BID_INCREMENT_BPS).contains(&m.min_bid_increment_bps),
        TokenError::BidIncrementOutOfBounds
    );
    require!(m.anti_snipe_buffer <= MAX_ANTI_SNIPE_BUFFER, TokenError::AntiSnipeBufferOutOfBounds);
    require!(
        (MIN_AUCTION_DURATION_FLOOR..=MIN_AUCTION_DURATION_CEIL).contains(&m.min_auction_duration),
        TokenError::AuctionDurationOutOfBounds
    );
    require!(
        (MAX_AUCTION_DURATION_FLOOR.max(m.min_auction_duration)..=MAX_AUCTION_DURATION_CEIL)
            .contains(&m.max_auction_duration),
        TokenError::AuctionDurationOutOfBounds
    );
    Ok(())
}

/// Accounts of `set_authority`.
#[derive(Accounts)]
pub struct SetAuthority<'info> {
    /// The current authority.
    pub authority: Signer<'info>,
    /// The economy config.
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = authority)]
    pub config: Account<'info, EconomyConfig>,
}

/// Hands the config to `new_authority` (the governance PDA, after set-up).
pub fn set_authority(ctx: Context<SetAuthority>, new_authority: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    mercato_program_log::emit_event!(AddressChanged {
        name: "authority".into(),
        old_value: config.authority,
        new_value: new_authority
    });
    config.authority = new_authority;
    Ok(())
}
