//! `release_emission`: the permissionless crank that mints accrued emission into the rewards vault.

use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, MintTo, Token, TokenAccount};

use crate::constants::*;
use crate::error::TokenError;
use crate::events::EmissionReleased;
use crate::state::EconomyConfig;

/// Accounts of `release_emission` (and the emission part of `update_param`).
#[derive(Accounts)]
pub struct ReleaseEmission<'info> {
    /// The economy config.
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = mint, has_one = rewards_vault)]
    pub config: Account<'info, EconomyConfig>,
    /// The currency mint.
    #[account(mut)]
    pub mint: Account<'info, Mint>,
    /// Receives the emission.
    #[account(mut)]
    pub rewards_vault: Account<'info, TokenAccount>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

/// Anyone may call it; it mints what accrued since the last release, limited by the cap.
pub fn handler(ctx: Context<ReleaseEmission>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    release(
        &mut ctx.accounts.config,
        &mut ctx.accounts.mint,
        &ctx.accounts.rewards_vault,
        &ctx.accounts.token_program,
        now,
    )?;
    Ok(())
}

/// Emission accrued at `rate` from `last_ts` to `now`, limited to the room left under `cap`.
pub fn accrued(rate: u64, last_ts: i64, now: i64, supply: u64, cap: u64) -> Result<u64> {
    let elapsed = u64::try_from(now.saturating_sub(last_ts)).unwrap_or(0);
    let accrued = u128::from(elapsed) * u128::from(rate);
    let room = u128::from(cap.saturating_sub(supply));
    // min(accrued, room) fits in u64 because room does.
    u64::try_from(accrued.min(room)).map_err(|_| error!(TokenError::MathOverflow))
}

/// Mints the accrued emission into the vault and moves the emission clock to `now`.
pub(crate) fn release<'info>(
    config: &mut Account<'info, EconomyConfig>,
    mint: &mut Account<'info, Mint>,
    rewards_vault: &Account<'info, TokenAccount>,
    token_program: &Program<'info, Token>,
    now: i64,
) -> Result<u64> {
    let amount = accrued(config.emission_rate, config.last_emission_ts, now, mint.supply, config.cap)?;
    let from_ts = config.last_emission_ts;
    config.last_emission_ts = now.max(from_ts);
    if amount > 0 {
        let seeds: &[&[u8]] = &[CONFIG_SEED, &[config.bump]];
        token::mint_to(
            CpiContext::new_with_signer(
                token_program.key(),
                MintTo {
                    mint: mint.to_account_info(),
                    to: rewards_vault.to_account_info(),
                    authority: config.to_account_info(),
                },
                &[seeds],
            ),
            amount,
        )?;
        mint.reload()?;
    }
    mercato_program_log::emit_event!(EmissionReleased {
        amount,
        from_ts,
        to_ts: config.last_emission_ts,
        supply: mint.supply
    });
    Ok(amount)
}
