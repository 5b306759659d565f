//! Seeds and bounds of the governance program.

/// Seed of the governance PDA: `["governance"]`. It is the authority of the economy config once handed over, and
/// signs every executed change.
pub const GOVERNANCE_SEED: &[u8] = b"governance";
/// Seed of the deposit vault (currency account owned by the governance PDA): `["vault"]`.
pub const VAULT_SEED: &[u8] = b"vault";
/// Seed of a voter's record: `["voter", owner]`.
pub const VOTER_SEED: &[u8] = b"voter";
/// Seed of a proposal: `["proposal", id as u64 little-endian]`.
pub const PROPOSAL_SEED: &[u8] = b"proposal";
/// Seed of a vote: `["vote", proposal, voter owner]` (its existence is what prevents voting twice).
pub const VOTE_SEED: &[u8] = b"vote";
/// Basis-point denominator.
pub const BPS: u128 = 10_000;
/// Longest voting period and hold-up (30 days each).
pub const MAX_PERIOD: u32 = 30 * 86_400;
