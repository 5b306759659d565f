//! `cast_vote`: a deposit-weighted vote, once per voter and proposal.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::error::GovernanceError;
use crate::events::VoteCast;
use crate::state::{Proposal, ProposalStatus, Side, VoteRecord, VoterRecord};

/// Accounts of `cast_vote`.
#[derive(Accounts)]
pub struct CastVote<'info> {
    /// The voter; pays for the vote record.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The voter's record (its deposit is the weight; it gets locked until voting ends).
    #[account(mut, seeds = [VOTER_SEED, owner.key().as_ref()], bump = voter.bump)]
    pub voter: Box<Account<'info, VoterRecord>>,
    /// The proposal.
    #[account(mut, seeds = [PROPOSAL_SEED, &proposal.id.to_le_bytes()], bump = proposal.bump)]
    pub proposal: Box<Account<'info, Proposal>>,
    /// The vote (its creation fails if the voter already voted).
    #[account(
        init,
        payer = owner,
        space = 8 + VoteRecord::INIT_SPACE,
        seeds = [VOTE_SEED, proposal.key().as_ref(), owner.key().as_ref()],
        bump
    )]
    pub vote: Box<Account<'info, VoteRecord>>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Votes `side` with the whole deposit.
pub fn handler(ctx: Context<CastVote>, side: Side) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let p = &mut ctx.accounts.proposal;
    require!(p.status == ProposalStatus::Active, GovernanceError::NotActive);
    require!(now < p.voting_ends_ts, GovernanceError::VotingEnded);
    let voter = &mut ctx.accounts.voter;
    let weight = voter.deposited;
    require!(weight > 0, GovernanceError::NoWeight);
    let tally = match side {
        Side::For => &mut p.votes_for,
        Side::Against => &mut p.votes_against,
        Side::Abstain => &mut p.votes_abstain,
    };
    *tally = tally.checked_add(weight).ok_or(GovernanceError::MathOverflow)?;
    voter.locked_until = voter.locked_until.max(p.voting_ends_ts);
    let vote = &mut ctx.accounts.vote;
    vote.bump = ctx.bumps.vote;
    vote.side = side;
    vote.weight = weight;
    mercato_program_log::emit_event!(VoteCast {
        proposal_id: p.id,
        voter: voter.owner,
        side,
        weight,
        votes_for: p.votes_for,
        votes_against: p.votes_against,
        votes_abstain: p.votes_abstain,
    });
    Ok(())
}
