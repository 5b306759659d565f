//! `initialize`: creates the config PDA, the currency mint and the rewards vault.

use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

use crate::constants::*;
use crate::error::TokenError;
use crate::events::ConfigInitialized;
use crate::state::{EconomyConfig, MarketParams};

/// Everything the economy starts with.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeParams {
    /// Hard cap on supply, base units.
    pub cap: u64,
    /// Emission per second, base units.
    pub emission_rate: u64,
    /// Upper bound of the emission rate, fixed forever.
    pub max_emission_rate: u64,
    /// Per-player daily reward cap, base units.
    pub daily_reward_cap: u64,
    /// Upper bound of the daily reward cap, fixed forever.
    pub max_daily_reward_cap: u64,
    /// Market parameters.
    pub market: MarketParams,
    /// The game server (reward role).
    pub game_server: Pubkey,
}

/// Accounts of `initialize`.
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// Pays for the accounts and becomes the first authority.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The economy config.
    #[account(init, payer = authority, space = 8 + EconomyConfig::INIT_SPACE, seeds = [CONFIG_SEED], bump)]
    pub config: Account<'info, EconomyConfig>,
    /// The currency mint; the config PDA is its mint authority, and it has no freeze authority.
    #[account(init, payer = authority, seeds = [MINT_SEED], bump, mint::decimals = DECIMALS, mint::authority = config)]
    pub mint: Account<'info, Mint>,
    /// The rewards vault, owned by the config PDA.
    #[account(
        init,
        payer = authority,
        seeds = [REWARDS_VAULT_SEED],
        bump,
        token::mint = mint,
        token::authority = config
    )]
    pub rewards_vault: Account<'info, TokenAccount>,
    /// The treasury: receives market fees; owned by the config PDA, so it cannot be closed or re-assigned.
    #[account(init, payer = authority, seeds = [TREASURY_SEED], bump, token::mint = mint, token::authority = config)]
    pub treasury: Account<'info, TokenAccount>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Checks `params` against the bounds and writes the config.
pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    require!(params.cap > 0, TokenError::InvalidCap);
    require!(params.emission_rate <= params.max_emission_rate, TokenError::EmissionRateOutOfBounds);
    require!(params.daily_reward_cap <= params.max_daily_reward_cap, TokenError::DailyRewardCapOutOfBounds);
    crate::instructions::update_param::check_market(&params.market)?;

    let config = &mut ctx.accounts.config;
    config.version = 1;
    config.bump = ctx.bumps.config;
    config.mint_bump = ctx.bumps.mint;
    config.rewards_vault_bump = ctx.bumps.rewards_vault;
    config.treasury_bump = ctx.bumps.treasury;
    config.genesis_minted = false;
    config.authority = ctx.accounts.authority.key();
    config.game_server = params.game_server;
    config.mint = ctx.accounts.mint.key();
    config.treasury = ctx.accounts.treasury.key();
    config.rewards_vault = ctx.accounts.rewards_vault.key();
    config.cap = params.cap;
    config.emission_rate = params.emission_rate;
    config.max_emission_rate = params.max_emission_rate;
    config.last_emission_ts = Clock::get()?.unix_timestamp;
    config.daily_reward_cap = params.daily_reward_cap;
    config.max_daily_reward_cap = params.max_daily_reward_cap;
    config.market = params.market;
    config.reserved = [0; 64];

    mercato_program_log::emit_event!(ConfigInitialized {
        config: config.key(),
        mint: config.mint,
        authority: config.authority,
        cap: config.cap,
        emission_rate: config.emission_rate,
        market: config.market,
    });
    Ok(())
}
