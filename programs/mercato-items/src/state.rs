//! Accounts of the items program.

use anchor_lang::prelude::*;

/// The collection's settings. PDA seeds: `["items_config"]`. This PDA is the mint authority of every item (until
/// the single unit is minted, then the mint authority is removed), the update authority of their metadata, and the
/// update authority of the collection group.
#[account]
#[derive(InitSpace, Debug)]
pub struct ItemsConfig {
    /// Layout version.
    pub version: u8,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the collection mint PDA.
    pub collection_bump: u8,
    /// May change the royalty and the minter (the governance PDA once handed over).
    pub authority: Pubkey,
    /// May mint items (the game server or a rewards program).
    pub minter: Pubkey,
    /// The collection mint (Token-2022 group).
    pub collection: Pubkey,
    /// The currency program's config, whose royalty cap bounds the royalty.
    pub economy_config: Pubkey,
    /// Receives royalties (the creator).
    pub royalty_receiver: Pubkey,
    /// Collection-wide royalty in bps (the auction also applies the live cap at sale time).
    pub royalty_bps: u16,
    /// Id the next item gets.
    pub next_item_id: u64,
    /// Items ever minted.
    pub minted: u64,
    /// Items burned.
    pub burned: u64,
    /// Space for future fields.
    pub reserved: [u8; 64],
}

/// Game attributes of an item, as on EVM.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemAttributes {
    /// Game-defined class (prices are aggregated per class).
    pub class: u16,
    /// 0..=4.
    pub rarity: u8,
    /// Game-defined strength.
    pub power: u32,
}

/// One item. PDA seeds: `["item", mint]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Item {
    /// Bump of this PDA.
    pub bump: u8,
    /// Sequential id (1, 2, …).
    pub id: u64,
    /// The item's Token-2022 mint.
    pub mint: Pubkey,
    /// Attributes.
    pub attributes: ItemAttributes,
    /// Unix time of the mint.
    pub minted_at: i64,
}
