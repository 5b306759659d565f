//! Accounts of the governance program.

use anchor_lang::prelude::*;
use mercato_token::state::ParamChange;

/// Governance settings. PDA seeds: `["governance"]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Governance {
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the vault PDA.
    pub vault_bump: u8,
    /// The currency mint (deposits and quorum base).
    pub mint: Pubkey,
    /// Voting lasts this many seconds from the proposal.
    pub voting_period: u32,
    /// Seconds between the end of voting and the earliest execution (the timelock).
    pub hold_up: u32,
    /// Votes for + abstain needed, in bps of the currency supply at proposal time.
    pub quorum_bps: u16,
    /// Share of for-votes among for + against that must be exceeded, in bps.
    pub approval_bps: u16,
    /// Deposit needed to propose, in base units.
    pub proposal_threshold: u64,
    /// Id the next proposal gets (from 1).
    pub next_proposal_id: u64,
    /// Currency deposited by all voters.
    pub total_deposited: u64,
}

/// One voter's deposit. PDA seeds: `["voter", owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct VoterRecord {
    /// Bump of this PDA.
    pub bump: u8,
    /// The voter.
    pub owner: Pubkey,
    /// Currency deposited: the voting weight.
    pub deposited: u64,
    /// Withdrawals are blocked until the end of the last proposal this voter voted on.
    pub locked_until: i64,
}

/// Where a proposal stands.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposalStatus {
    /// Open (voting, or waiting for execution after it).
    Active,
    /// Withdrawn by its author before any vote.
    Cancelled,
    /// Executed: the change is applied.
    Executed,
}

/// A vote's side.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// In favour.
    For,
    /// Against.
    Against,
    /// Counts for quorum only.
    Abstain,
}

/// A proposal to change one economy parameter. PDA seeds: `["proposal", id (u64 LE)]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Proposal {
    /// Bump of this PDA.
    pub bump: u8,
    /// Sequential id.
    pub id: u64,
    /// Who proposed.
    pub author: Pubkey,
    /// The change.
    pub change: ParamChange,
    /// Creation time.
    pub created_ts: i64,
    /// Votes are accepted before this time.
    pub voting_ends_ts: i64,
    /// Earliest execution time (voting end + hold-up).
    pub executable_ts: i64,
    /// Currency supply at creation (quorum base).
    pub supply_snapshot: u64,
    /// Quorum in votes, fixed at creation.
    pub quorum_votes: u64,
    /// Approval threshold in bps, fixed at creation.
    pub approval_bps: u16,
    /// Weight for.
    pub votes_for: u64,
    /// Weight against.
    pub votes_against: u64,
    /// Weight abstaining.
    pub votes_abstain: u64,
    /// Status.
    pub status: ProposalStatus,
}

impl Proposal {
    /// All votes cast.
    pub fn turnout(&self) -> u64 {
        self.votes_for.saturating_add(self.votes_against).saturating_add(self.votes_abstain)
    }

    /// Votes that count toward quorum: for + abstain, as in OpenZeppelin's simple counting (votes against do not
    /// help a proposal reach quorum).
    pub fn quorum_votes_cast(&self) -> u64 {
        self.votes_for.saturating_add(self.votes_abstain)
    }

    /// Quorum reached and strictly more than `approval_bps` of the decided (for + against) votes in favour: a tie at
    /// 50% fails, as OpenZeppelin's `for > against`.
    pub fn passed(&self) -> bool {
        let decided = u128::from(self.votes_for) + u128::from(self.votes_against);
        self.quorum_votes_cast() >= self.quorum_votes
            && u128::from(self.votes_for) * super::constants::BPS > decided * u128::from(self.approval_bps)
    }
}

/// One voter's vote on one proposal. PDA seeds: `["vote", proposal, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct VoteRecord {
    /// Bump of this PDA.
    pub bump: u8,
    /// Side.
    pub side: Side,
    /// Weight.
    pub weight: u64,
}
