//! `deposit` and `withdraw`: voting weight is currency held in the governance vault.

use anchor_lang::prelude::*;
use anchor_spl::token::{self, Token, TokenAccount, Transfer};

use crate::constants::*;
use crate::error::GovernanceError;
use crate::events::{Deposited, Withdrawn};
use crate::state::{Governance, VoterRecord};

/// Accounts of `deposit` and `withdraw`.
#[derive(Accounts)]
pub struct Deposit<'info> {
    /// The voter; pays for their record the first time.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// Governance (deposit total).
    #[account(mut, seeds = [GOVERNANCE_SEED], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    /// The voter's record.
    #[account(
        init_if_needed,
        payer = owner,
        space = 8 + VoterRecord::INIT_SPACE,
        seeds = [VOTER_SEED, owner.key().as_ref()],
        bump
    )]
    pub voter: Box<Account<'info, VoterRecord>>,
    /// The voter's currency account.
    #[account(mut, token::mint = governance.mint, token::authority = owner)]
    pub owner_currency: Box<Account<'info, TokenAccount>>,
    /// The vault.
    #[account(mut, seeds = [VAULT_SEED], bump = governance.vault_bump)]
    pub vault: Box<Account<'info, TokenAccount>>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Moves `amount` into the vault as voting weight.
pub fn handler(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    require!(amount > 0, GovernanceError::ZeroAmount);
    let a = ctx.accounts;
    if a.voter.owner == Pubkey::default() {
        a.voter.bump = ctx.bumps.voter;
        a.voter.owner = a.owner.key();
    }
    a.voter.deposited = a.voter.deposited.checked_add(amount).ok_or(GovernanceError::MathOverflow)?;
    a.governance.total_deposited =
        a.governance.total_deposited.checked_add(amount).ok_or(GovernanceError::MathOverflow)?;
    token::transfer(
        CpiContext::new(
            a.token_program.key(),
            Transfer {
                from: a.owner_currency.to_account_info(),
                to: a.vault.to_account_info(),
                authority: a.owner.to_account_info(),
            },
        ),
        amount,
    )?;
    mercato_program_log::emit_event!(Deposited { owner: a.owner.key(), amount, deposited: a.voter.deposited });
    Ok(())
}

/// Returns `amount` of the deposit, once every proposal the voter voted on has finished voting.
pub fn withdraw(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    require!(amount > 0, GovernanceError::ZeroAmount);
    let a = ctx.accounts;
    require!(Clock::get()?.unix_timestamp >= a.voter.locked_until, GovernanceError::DepositLocked);
    require!(a.voter.deposited >= amount, GovernanceError::InsufficientDeposit);
    a.voter.deposited -= amount;
    a.governance.total_deposited = a.governance.total_deposited.saturating_sub(amount);
    let seeds: &[&[u8]] = &[GOVERNANCE_SEED, &[a.governance.bump]];
    token::transfer(
        CpiContext::new_with_signer(
            a.token_program.key(),
            Transfer {
                from: a.vault.to_account_info(),
                to: a.owner_currency.to_account_info(),
                authority: a.governance.to_account_info(),
            },
            &[seeds],
        ),
        amount,
    )?;
    mercato_program_log::emit_event!(Withdrawn { owner: a.owner.key(), amount, deposited: a.voter.deposited });
    Ok(())
}
