//! `execute`: applies a passed proposal's change by CPI into the currency program, signed by the governance PDA.

use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use mercato_token::constants::CONFIG_SEED;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::GovernanceError;
use crate::events::ProposalExecuted;
use crate::state::{Governance, Proposal, ProposalStatus};

/// Accounts of `execute`.
#[derive(Accounts)]
pub struct Execute<'info> {
    /// Governance (the signer of the change).
    #[account(seeds = [GOVERNANCE_SEED], bump = governance.bump)]
    pub governance: Box<Account<'info, Governance>>,
    /// The proposal.
    #[account(mut, seeds = [PROPOSAL_SEED, &proposal.id.to_le_bytes()], bump = proposal.bump)]
    pub proposal: Box<Account<'info, Proposal>>,
    /// The economy config (its authority must be the governance PDA).
    #[account(mut, seeds = [CONFIG_SEED], bump = economy_config.bump, seeds::program = mercato_token::ID)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint (emission changes release first).
    #[account(mut, address = economy_config.mint)]
    pub mint: Box<Account<'info, Mint>>,
    /// The rewards vault.
    #[account(mut, address = economy_config.rewards_vault)]
    pub rewards_vault: Box<Account<'info, TokenAccount>>,
    /// The currency program.
    #[account(address = mercato_token::ID)]
    pub mercato_token_program: Program<'info, mercato_token::program::MercatoToken>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

/// Executes a passed proposal after its hold-up. Anyone may call it.
pub fn handler(ctx: Context<Execute>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let p = &mut ctx.accounts.proposal;
    require!(p.status == ProposalStatus::Active, GovernanceError::NotActive);
    require!(now >= p.executable_ts, GovernanceError::HoldUpNotOver);
    require!(p.quorum_votes_cast() >= p.quorum_votes, GovernanceError::QuorumNotReached);
    require!(p.passed(), GovernanceError::NotApproved);
    p.status = ProposalStatus::Executed;
    let change = p.change;
    let id = p.id;

    let seeds: &[&[u8]] = &[GOVERNANCE_SEED, &[ctx.accounts.governance.bump]];
    mercato_token::cpi::update_param(
        CpiContext::new_with_signer(
            mercato_token::ID,
            mercato_token::cpi::accounts::UpdateParam {
                authority: ctx.accounts.governance.to_account_info(),
                config: ctx.accounts.economy_config.to_account_info(),
                mint: ctx.accounts.mint.to_account_info(),
                rewards_vault: ctx.accounts.rewards_vault.to_account_info(),
                token_program: ctx.accounts.token_program.to_account_info(),
            },
            &[seeds],
        ),
        change,
    )?;
    mercato_program_log::emit_event!(ProposalExecuted { id, change });
    Ok(())
}
