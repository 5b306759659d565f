//! Events of the items program.

use anchor_lang::prelude::*;

use crate::state::ItemAttributes;

/// The collection was created.
#[event]
pub struct CollectionInitialized {
    /// The collection (group) mint.
    pub collection: Pubkey,
    /// Initial authority.
    pub authority: Pubkey,
    /// Minter role.
    pub minter: Pubkey,
    /// Royalty in bps.
    pub royalty_bps: u16,
    /// Royalty receiver.
    pub royalty_receiver: Pubkey,
}

/// An item was minted.
#[event]
pub struct ItemMinted {
    /// Sequential id.
    pub id: u64,
    /// The item's mint.
    pub mint: Pubkey,
    /// The first owner.
    pub owner: Pubkey,
    /// Attributes.
    pub attributes: ItemAttributes,
}

/// An item was burned (its token account and record closed).
#[event]
pub struct ItemBurned {
    /// Sequential id.
    pub id: u64,
    /// The item's mint.
    pub mint: Pubkey,
    /// The last owner.
    pub owner: Pubkey,
}

/// The collection royalty changed.
#[event]
pub struct RoyaltyChanged {
    /// Receiver.
    pub receiver: Pubkey,
    /// Rate in bps.
    pub bps: u16,
}

/// A role changed ("authority" or "minter").
#[event]
pub struct RoleChanged {
    /// Role name.
    pub name: String,
    /// Previous holder.
    pub old_value: Pubkey,
    /// New holder.
    pub new_value: Pubkey,
}
