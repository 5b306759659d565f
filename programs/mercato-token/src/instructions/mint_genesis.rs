//! `mint_genesis`: the one-time initial supply, the only mint outside the emission schedule.

use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, MintTo, Token, TokenAccount};

use crate::constants::*;
use crate::error::TokenError;
use crate::events::GenesisMinted;
use crate::state::EconomyConfig;

/// Accounts of `mint_genesis`.
#[derive(Accounts)]
pub struct MintGenesis<'info> {
    /// The config authority.
    pub authority: Signer<'info>,
    /// The economy config.
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = authority, has_one = mint)]
    pub config: Account<'info, EconomyConfig>,
    /// The currency mint.
    #[account(mut)]
    pub mint: Account<'info, Mint>,
    /// Receives the genesis supply.
    #[account(mut, token::mint = mint)]
    pub to: Account<'info, TokenAccount>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

/// Mints `amount` once; later calls fail with `GenesisAlreadyMinted`.
pub fn handler(ctx: Context<MintGenesis>, amount: u64) -> Result<()> {
    require!(amount > 0, TokenError::ZeroAmount);
    let config = &mut ctx.accounts.config;
    require!(!config.genesis_minted, TokenError::GenesisAlreadyMinted);
    let supply = ctx.accounts.mint.supply.checked_add(amount).ok_or(TokenError::MathOverflow)?;
    require!(supply <= config.cap, TokenError::CapExceeded);
    config.genesis_minted = true;

    let seeds: &[&[u8]] = &[CONFIG_SEED, &[config.bump]];
    token::mint_to(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            MintTo {
                mint: ctx.accounts.mint.to_account_info(),
                to: ctx.accounts.to.to_account_info(),
                authority: config.to_account_info(),
            },
            &[seeds],
        ),
        amount,
    )?;
    mercato_program_log::emit_event!(GenesisMinted { to: ctx.accounts.to.key(), amount });
    Ok(())
}
