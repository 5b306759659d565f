//! Events of the governance program.

use anchor_lang::prelude::*;
use mercato_token::state::ParamChange;

use crate::state::Side;

/// Governance was set up.
#[event]
pub struct GovernanceInitialized {
    /// The governance PDA (the authority to hand the economy to).
    pub governance: Pubkey,
    /// Voting period, seconds.
    pub voting_period: u32,
    /// Hold-up, seconds.
    pub hold_up: u32,
    /// Quorum, bps of supply.
    pub quorum_bps: u16,
    /// Approval, bps of decided votes.
    pub approval_bps: u16,
    /// Deposit needed to propose.
    pub proposal_threshold: u64,
}

/// Currency deposited for voting weight.
#[event]
pub struct Deposited {
    /// Voter.
    pub owner: Pubkey,
    /// Amount.
    pub amount: u64,
    /// Deposit after.
    pub deposited: u64,
}

/// Currency withdrawn.
#[event]
pub struct Withdrawn {
    /// Voter.
    pub owner: Pubkey,
    /// Amount.
    pub amount: u64,
    /// Deposit after.
    pub deposited: u64,
}

/// A proposal was created.
#[event]
pub struct ProposalCreated {
    /// Id.
    pub id: u64,
    /// Author.
    pub author: Pubkey,
    /// The change.
    pub change: ParamChange,
    /// End of voting.
    pub voting_ends_ts: i64,
    /// Earliest execution.
    pub executable_ts: i64,
    /// Votes needed for quorum.
    pub quorum_votes: u64,
}

/// A vote was cast.
#[event]
pub struct VoteCast {
    /// Proposal id.
    pub proposal_id: u64,
    /// Voter.
    pub voter: Pubkey,
    /// Side.
    pub side: Side,
    /// Weight.
    pub weight: u64,
    /// Totals after this vote.
    pub votes_for: u64,
    /// Totals after this vote.
    pub votes_against: u64,
    /// Totals after this vote.
    pub votes_abstain: u64,
}

/// The author withdrew a proposal.
#[event]
pub struct ProposalCancelled {
    /// Proposal id.
    pub id: u64,
}

/// A proposal passed and its change was applied.
#[event]
pub struct ProposalExecuted {
    /// Proposal id.
    pub id: u64,
    /// The change.
    pub change: ParamChange,
}
