//! Mercato game items on Solana.
//!
//! Every item is a Token-2022 mint with 0 decimals and a supply of 1 (its mint authority is removed once the unit is
//! minted), carrying token metadata in the mint itself (metadata pointer + token metadata: name, symbol, URI, and
//! the attributes `class`, `rarity`, `power` as additional fields) and membership in the collection's token group
//! (group member pointer + member). Wallets see ordinary NFTs. The attributes are also kept in an `Item` record PDA
//! for programs (the auction reads items by mint). Mint ids are sequential, as on EVM: the item mint is the PDA of
//! its id. A collection-wide royalty (capped by the economy's royalty cap) is kept in the config.
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
use state::ItemAttributes;

declare_id!("Cx2ZGBZJmt7GhcZdvomgrLywkY9yAfPTc49MBp4JHoug");

/// The items program's instructions.
#[program]
pub mod mercato_items {
    use super::*;

    /// Creates the items config and the collection group mint. The signer becomes the authority.
    pub fn init_collection(ctx: Context<InitCollection>, params: CollectionParams) -> Result<()> {
        instructions::init_collection::handler(ctx, params)
    }

    /// Mints the next item to the recipient (minter only).
    pub fn mint_item(ctx: Context<MintItem>, attributes: ItemAttributes, name: String, uri: String) -> Result<()> {
        instructions::mint_item::handler(ctx, attributes, name, uri)
    }

    /// Burns an item held by the signer.
    pub fn burn_item(ctx: Context<BurnItem>) -> Result<()> {
        instructions::burn_item::handler(ctx)
    }

    /// Sets the collection royalty (authority only, at most the royalty cap).
    pub fn set_royalty(ctx: Context<SetRoyalty>, receiver: Pubkey, bps: u16) -> Result<()> {
        instructions::set_royalty::handler(ctx, receiver, bps)
    }

    /// Gives a role to a new holder (authority only).
    pub fn set_role(ctx: Context<SetRole>, role: ItemsRole, holder: Pubkey) -> Result<()> {
        instructions::set_royalty::set_role(ctx, role, holder)
    }
}
