//! `burn`: a holder destroys currency (the economy's sinks), with an event saying which sink.

use anchor_lang::prelude::*;
use anchor_spl::token::{self, Burn as SplBurn, Mint, Token, TokenAccount};

use crate::constants::*;
use crate::error::TokenError;
use crate::events::Burned;
use crate::state::EconomyConfig;

/// Accounts of `burn`.
#[derive(Accounts)]
pub struct Burn<'info> {
    /// The holder.
    pub owner: Signer<'info>,
    /// The economy config (names the mint).
    #[account(seeds = [CONFIG_SEED], bump = config.bump, has_one = mint)]
    pub config: Account<'info, EconomyConfig>,
    /// The currency mint.
    #[account(mut)]
    pub mint: Account<'info, Mint>,
    /// The holder's currency account.
    #[account(mut, token::mint = mint, token::authority = owner)]
    pub owner_token: Account<'info, TokenAccount>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

/// Burns `amount` from the holder's account; `sink` is a game-defined code for analytics.
pub fn handler(ctx: Context<Burn>, amount: u64, sink: u16) -> Result<()> {
    require!(amount > 0, TokenError::ZeroAmount);
    token::burn(
        CpiContext::new(
            ctx.accounts.token_program.key(),
            SplBurn {
                mint: ctx.accounts.mint.to_account_info(),
                from: ctx.accounts.owner_token.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        amount,
    )?;
    ctx.accounts.mint.reload()?;
    mercato_program_log::emit_event!(Burned {
        owner: ctx.accounts.owner.key(),
        amount,
        sink,
        supply: ctx.accounts.mint.supply
    });
    Ok(())
}
