//! `propose` and `cancel`.

use anchor_lang::prelude::*;
use anchor_spl::token::Mint;
use mercato_token::state::ParamChange;

use crate::constants::*;
use crate::error::GovernanceError;
use crate::events::{ProposalCancelled, ProposalCreated};
use crate::state::{Governance, Proposal, ProposalStatus, VoterRecord};

/// Accounts of `propose`.
#[derive(Accounts)]
pub struct Propose<'info> {
    /// The author; pays for the proposal.
    #[account(mut)]
    pub author: Signer<'info>,
    /// Governance.
    #[account(mut, seeds = [GOVERNANCE_SEED], bump = governance.bump, has_one = mint)]
    pub governance: Box<Account<'info, Governance>>,
    /// The currency mint (supply snapshot).
    pub mint: Box<Account<'info, Mint>>,
    /// The author's voter record.
    #[account(seeds = [VOTER_SEED, author.key().as_ref()], bump = voter.bump)]
    pub voter: Box<Account<'info, VoterRecord>>,
    /// The new proposal.
    #[account(
        init,
        payer = author,
        space = 8 + Proposal::INIT_SPACE,
        seeds = [PROPOSAL_SEED, &governance.next_proposal_id.to_le_bytes()],
        bump
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Opens a proposal to apply `change`.
pub fn handler(ctx: Context<Propose>, change: ParamChange) -> Result<()> {
    let g = &mut ctx.accounts.governance;
    require!(ctx.accounts.voter.deposited >= g.proposal_threshold, GovernanceError::BelowProposalThreshold);
    let now = Clock::get()?.unix_timestamp;
    let supply = ctx.accounts.mint.supply;
    let quorum_votes = u64::try_from(u128::from(supply) * u128::from(g.quorum_bps) / BPS)
        .map_err(|_| GovernanceError::MathOverflow)?;
    let p = &mut ctx.accounts.proposal;
    p.bump = ctx.bumps.proposal;
    p.id = g.next_proposal_id;
    p.author = ctx.accounts.author.key();
    p.change = change;
    p.created_ts = now;
    p.voting_ends_ts = now + i64::from(g.voting_period);
    p.executable_ts = p.voting_ends_ts + i64::from(g.hold_up);
    p.supply_snapshot = supply;
    p.quorum_votes = quorum_votes.max(1);
    p.approval_bps = g.approval_bps;
    p.status = ProposalStatus::Active;
    g.next_proposal_id = g.next_proposal_id.checked_add(1).ok_or(GovernanceError::MathOverflow)?;
    mercato_program_log::emit_event!(ProposalCreated {
        id: p.id,
        author: p.author,
        change,
        voting_ends_ts: p.voting_ends_ts,
        executable_ts: p.executable_ts,
        quorum_votes: p.quorum_votes,
    });
    Ok(())
}

/// Accounts of `cancel`.
#[derive(Accounts)]
pub struct Cancel<'info> {
    /// The author.
    pub author: Signer<'info>,
    /// The proposal.
    #[account(mut, seeds = [PROPOSAL_SEED, &proposal.id.to_le_bytes()], bump = proposal.bump)]
    pub proposal: Box<Account<'info, Proposal>>,
}

/// Withdraws a proposal: its author only, and only before any vote.
pub fn cancel(ctx: Context<Cancel>) -> Result<()> {
    let p = &mut ctx.accounts.proposal;
    require!(p.status == ProposalStatus::Active, GovernanceError::NotActive);
    require!(p.author == ctx.accounts.author.key() && p.turnout() == 0, GovernanceError::CannotCancel);
    p.status = ProposalStatus::Cancelled;
    mercato_program_log::emit_event!(ProposalCancelled { id: p.id });
    Ok(())
}
