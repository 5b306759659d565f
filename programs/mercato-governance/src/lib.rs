//! Mercato DAO on Solana.
//!
//! Voters deposit currency into the governance vault for weight (withdrawals are blocked until every proposal they
//! voted on has finished voting). A proposal carries one typed economy change (`ParamChange`: market fee, emission
//! rate, royalty cap, …). It passes with a quorum (bps of the currency supply at proposal time) and an approval
//! threshold (bps of for + against), and runs after a hold-up (the timelock): `execute` calls the currency
//! program's `update_param` through CPI signed by the governance PDA, which is the economy config's authority once
//! the deployer handed it over. The author may cancel before any vote.
//!
//! Layout: `state`, `instructions/<name>`, `events`, `error`, `constants`.

#![allow(unexpected_cfgs)] // anchor's macros test cfgs this crate does not declare
#![allow(missing_docs)] // anchor's #[program] and #[derive(Accounts)] generate undocumented items

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;
use mercato_token::state::ParamChange;
use state::Side;

declare_id!("GUEeAif2mCTdt6LU6Dug1CMEYbmdqAXVMwsFuxAmStuU");

/// The governance program's instructions.
#[program]
pub mod mercato_governance {
    use super::*;

    /// Creates governance and its deposit vault.
    pub fn init_governance(ctx: Context<InitGovernance>, params: GovernanceParams) -> Result<()> {
        instructions::init_governance::handler(ctx, params)
    }

    /// Deposits currency for voting weight.
    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        instructions::deposit::handler(ctx, amount)
    }

    /// Withdraws deposited currency (not while a voted proposal is still being voted on).
    pub fn withdraw(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        instructions::deposit::withdraw(ctx, amount)
    }

    /// Proposes one economy change.
    pub fn propose(ctx: Context<Propose>, change: ParamChange) -> Result<()> {
        instructions::propose::handler(ctx, change)
    }

    /// Cancels a proposal (author only, before any vote).
    pub fn cancel(ctx: Context<Cancel>) -> Result<()> {
        instructions::propose::cancel(ctx)
    }

    /// Votes with the whole deposit.
    pub fn cast_vote(ctx: Context<CastVote>, side: Side) -> Result<()> {
        instructions::cast_vote::handler(ctx, side)
    }

    /// Executes a passed proposal after its hold-up (anyone).
    pub fn execute(ctx: Context<Execute>) -> Result<()> {
        instructions::execute::handler(ctx)
    }
}
