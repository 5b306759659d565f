//! `set_royalty` and `set_role`: the authority's settings.

use anchor_lang::prelude::*;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::ItemsError;
use crate::events::{RoleChanged, RoyaltyChanged};
use crate::state::ItemsConfig;

/// Accounts of `set_royalty`.
#[derive(Accounts)]
pub struct SetRoyalty<'info> {
    /// The items authority.
    pub authority: Signer<'info>,
    /// The items config.
    #[account(mut, address = ITEMS_CONFIG_ADDRESS, has_one = authority, has_one = economy_config)]
    pub config: Account<'info, ItemsConfig>,
    /// The economy config (royalty cap).
    pub economy_config: Account<'info, EconomyConfig>,
}

/// Sets the collection royalty, at most the economy's royalty cap.
pub fn handler(ctx: Context<SetRoyalty>, receiver: Pubkey, bps: u16) -> Result<()> {
    require!(bps <= ctx.accounts.economy_config.market.royalty_cap_bps, ItemsError::RoyaltyAboveCap);
    require!(bps == 0 || receiver != Pubkey::default(), ItemsError::ZeroRoyaltyReceiver);
    let config = &mut ctx.accounts.config;
    config.royalty_receiver = receiver;
    config.royalty_bps = bps;
    mercato_program_log::emit_event!(RoyaltyChanged { receiver, bps });
    Ok(())
}

/// Which role `set_role` changes.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemsRole {
    /// The authority (royalty, roles).
    Authority,
    /// The minter.
    Minter,
}

/// Accounts of `set_role`.
#[derive(Accounts)]
pub struct SetRole<'info> {
    /// The items authority.
    pub authority: Signer<'info>,
    /// The items config.
    #[account(mut, address = ITEMS_CONFIG_ADDRESS, has_one = authority)]
    pub config: Account<'info, ItemsConfig>,
}

/// Gives `role` to `holder`.
pub fn set_role(ctx: Context<SetRole>, role: ItemsRole, holder: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let (name, slot) = match role {
        ItemsRole::Authority => ("authority", &mut config.authority),
        ItemsRole::Minter => ("minter", &mut config.minter),
    };
    mercato_program_log::emit_event!(RoleChanged { name: name.into(), old_value: *slot, new_value: holder });
    *slot = holder;
    Ok(())
}
