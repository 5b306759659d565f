//! `init_governance`: settings and the deposit vault.

use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use mercato_token::constants::CONFIG_SEED;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::GovernanceError;
use crate::events::GovernanceInitialized;
use crate::state::Governance;

/// Governance settings.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct GovernanceParams {
    /// Voting period, seconds (1 s .. 30 days).
    pub voting_period: u32,
    /// Hold-up between the end of voting and execution, seconds (1 s .. 30 days).
    pub hold_up: u32,
    /// Quorum in bps of supply (1 ..= 10,000).
    pub quorum_bps: u16,
    /// Approval in bps of for + against (1 ..= 10,000).
    pub approval_bps: u16,
    /// Deposit needed to propose.
    pub proposal_threshold: u64,
}

/// Accounts of `init_governance`.
#[derive(Accounts)]
pub struct InitGovernance<'info> {
    /// Pays for the accounts: the economy config's current authority, so nobody can front-run the deployer with
    /// settings of their own before the economy is handed to this governance.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// Governance settings.
    #[account(init, payer = payer, space = 8 + Governance::INIT_SPACE, seeds = [GOVERNANCE_SEED], bump)]
    pub governance: Box<Account<'info, Governance>>,
    /// The economy config (names the mint).
    #[account(
        seeds = [CONFIG_SEED],
        bump = economy_config.bump,
        seeds::program = mercato_token::ID,
        constraint = economy_config.authority == payer.key() @ GovernanceError::NotEconomyAuthority
    )]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub mint: Box<Account<'info, Mint>>,
    /// Holds the deposits.
    #[account(init, payer = payer, seeds = [VAULT_SEED], bump, token::mint = mint, token::authority = governance)]
    pub vault: Box<Account<'info, TokenAccount>>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Creates governance with `params`.
pub fn handler(ctx: Context<InitGovernance>, params: GovernanceParams) -> Result<()> {
    require!(
        (1..=MAX_PERIOD).contains(&params.voting_period) && (1..=MAX_PERIOD).contains(&params.hold_up),
        GovernanceError::InvalidPeriod
    );
    require!(
        (1..=10_000).contains(&params.quorum_bps) && (1..=10_000).contains(&params.approval_bps),
        GovernanceError::InvalidThreshold
    );
    let g = &mut ctx.accounts.governance;
    g.bump = ctx.bumps.governance;
    g.vault_bump = ctx.bumps.vault;
    g.mint = ctx.accounts.mint.key();
    g.voting_period = params.voting_period;
    g.hold_up = params.hold_up;
    g.quorum_bps = params.quorum_bps;
    g.approval_bps = params.approval_bps;
    g.proposal_threshold = params.proposal_threshold;
    g.next_proposal_id = 1;
    g.total_deposited = 0;
    mercato_program_log::emit_event!(GovernanceInitialized {
        governance: g.key(),
        voting_period: g.voting_period,
        hold_up: g.hold_up,
        quorum_bps: g.quorum_bps,
        approval_bps: g.approval_bps,
        proposal_threshold: g.proposal_threshold,
    });
    Ok(())
}
