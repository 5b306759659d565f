//! Mercato currency on Solana.
//!
//! An economy config PDA holds the live parameters (shared with the auction program) and is the mint authority of
//! the currency's SPL mint. Supply is capped; after a one-time genesis mint, new supply comes only from the emission
//! schedule (a permissionless crank mints the accrued amount into the rewards vault). The game server pays players
//! from that vault within a per-player daily cap. Holders burn through `burn` (sinks). Parameters change only through
//! `update_param`, signed by the authority: the governance PDA once `set_authority` handed it over.
//!
//! Layout: `state` (accounts and the `ParamChange` type), `instructions/<name>` (accounts + handler), `events`,
//! `error`, `constants` (seeds and bounds).

#![allow(unexpected_cfgs)] // anchor's macros test cfgs (custom-heap, anchor-debug, …) this crate does not declare
#![allow(missing_docs)] // anchor's #[program] and #[derive(Accounts)] generate undocumented items

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;
use state::{ParamChange, RewardReason};

declare_id!("7MHTszZ75BsmesjSWq3NRFH1PZoKG5xS6Ayct17XF2xy");

/// The currency program's instructions.
#[program]
pub mod mercato_token {
    use super::*;

    /// Creates the config, the mint and the rewards vault. The signer becomes the authority.
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }

    /// Mints the one-time genesis supply (authority only, at most the cap).
    pub fn mint_genesis(ctx: Context<MintGenesis>, amount: u64) -> Result<()> {
        instructions::mint_genesis::handler(ctx, amount)
    }

    /// Mints the emission accrued since the last release into the rewards vault (anyone).
    pub fn release_emission(ctx: Context<ReleaseEmission>) -> Result<()> {
        instructions::release_emission::handler(ctx)
    }

    /// Pays a player a reward from the vault within the daily cap (game server only).
    pub fn grant_reward(ctx: Context<GrantReward>, amount: u64, reason: RewardReason) -> Result<()> {
        instructions::grant_reward::handler(ctx, amount, reason)
    }

    /// Burns the signer's currency, recording the sink.
    pub fn burn(ctx: Context<Burn>, amount: u64, sink: u16) -> Result<()> {
        instructions::burn::handler(ctx, amount, sink)
    }

    /// Changes one parameter within its bounds (authority only).
    pub fn update_param(ctx: Context<UpdateParam>, change: ParamChange) -> Result<()> {
        instructions::update_param::handler(ctx, change)
    }

    /// Hands the authority to another key (authority only).
    pub fn set_authority(ctx: Context<SetAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::update_param::set_authority(ctx, new_authority)
    }
}
