//! Named failures of the governance program.

use anchor_lang::prelude::*;

/// Every way an instruction of the governance program can fail.
#[error_code]
pub enum GovernanceError {
    /// Voting period or hold-up outside (0, 30 days].
    #[msg("voting period and hold-up must be between 1 s and 30 days")]
    InvalidPeriod,
    /// Quorum or approval outside (0, 10,000] bps.
    #[msg("quorum and approval must be between 1 and 10000 bps")]
    InvalidThreshold,
    /// Zero amount.
    #[msg("amount must be positive")]
    ZeroAmount,
    /// Not enough deposited.
    #[msg("deposit below the amount requested")]
    InsufficientDeposit,
    /// The voter has a vote on a proposal that is still being voted on.
    #[msg("deposit locked until the proposals you voted on close")]
    DepositLocked,
    /// The proposer's deposit is below the proposal threshold.
    #[msg("deposit below the proposal threshold")]
    BelowProposalThreshold,
    /// The voting period is over.
    #[msg("voting has ended")]
    VotingEnded,
    /// The proposal is cancelled or executed.
    #[msg("the proposal is not active")]
    NotActive,
    /// A voter with no deposit.
    #[msg("no voting weight: deposit first")]
    NoWeight,
    /// The author can cancel only before any vote.
    #[msg("only the author can cancel, and only before any vote")]
    CannotCancel,
    /// Too early to execute.
    #[msg("the hold-up time has not passed")]
    HoldUpNotOver,
    /// Quorum not reached.
    #[msg("quorum not reached")]
    QuorumNotReached,
    /// More against than the approval threshold allows.
    #[msg("the proposal was not approved")]
    NotApproved,
    /// Only the economy config's authority may set governance up.
    #[msg("only the economy config's authority may initialize governance")]
    NotEconomyAuthority,
    /// Checked arithmetic overflowed.
    #[msg("arithmetic overflow")]
    MathOverflow,
}
