//! `grant_reward`: the game server pays a player from the rewards vault, within a per-player daily cap.

use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount, Transfer};

use crate::constants::*;
use crate::error::TokenError;
use crate::events::RewardGranted;
use crate::state::{EconomyConfig, RewardReason, RewardRecord};

/// Accounts of `grant_reward`.
#[derive(Accounts)]
pub struct GrantReward<'info> {
    /// The game server; pays the record's rent the first time a player is rewarded.
    #[account(mut)]
    pub game_server: Signer<'info>,
    /// The economy config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump, has_one = game_server, has_one = rewards_vault)]
    pub config: Account<'info, EconomyConfig>,
    /// CHECK: the player's wallet; only its address is used (as the record's seed and the token account's owner).
    pub player: UncheckedAccount<'info>,
    /// The player's currency account.
    #[account(mut, token::mint = config.mint, token::authority = player)]
    pub player_token: Account<'info, TokenAccount>,
    /// The player's reward record.
    #[account(
        init_if_needed,
        payer = game_server,
        space = 8 + RewardRecord::INIT_SPACE,
        seeds = [REWARD_RECORD_SEED, player.key().as_ref()],
        bump
    )]
    pub reward_record: Account<'info, RewardRecord>,
    /// Pays the reward.
    #[account(mut)]
    pub rewards_vault: Account<'info, TokenAccount>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Grants `amount` to the player if their total for the current UTC day stays within the cap.
pub fn handler(ctx: Context<GrantReward>, amount: u64, reason: RewardReason) -> Result<()> {
    require!(amount > 0, TokenError::ZeroAmount);
    let config = &ctx.accounts.config;
    let day = Clock::get()?.unix_timestamp.div_euclid(SECONDS_PER_DAY);
    let record = &mut ctx.accounts.reward_record;
    if record.player == Pubkey::default() {
        record.bump = ctx.bumps.reward_record;
        record.player = ctx.accounts.player.key();
    }
    if record.day != day {
        record.day = day;
        record.granted_today = 0;
    }
    let today = record.granted_today.checked_add(amount).ok_or(TokenError::MathOverflow)?;
    require!(today <= config.daily_reward_cap, TokenError::RewardCapExceeded);
    require!(ctx.accounts.rewards_vault.amount >= amount, TokenError::RewardsVaultInsufficient);
    record.granted_today = today;
    record.granted_total = record.granted_total.checked_add(amount).ok_or(TokenError::MathOverflow)?;

    let seeds: &[&[u8]] = &[CONFIG_SEED, &[config.bump]];
    token::transfer(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            Transfer {
                from: ctx.accounts.rewards_vault.to_account_info(),
                to: ctx.accounts.player_token.to_account_info(),
                authority: config.to_account_info(),
            },
            &[seeds],
        ),
        amount,
    )?;
    mercato_program_log::emit_event!(RewardGranted {
        player: record.player,
        amount,
        reason,
        day,
        granted_today: today
    });
    Ok(())
}
