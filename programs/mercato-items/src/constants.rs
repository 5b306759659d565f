//! Seeds, names and bounds of the items program.

/// Seed of the items config PDA: `["items_config"]`. It is also the mint, metadata and group authority.
pub const ITEMS_CONFIG_SEED: &[u8] = b"items_config";
/// Address of the items config PDA, derived at compile time (checked with a plain comparison instead of a 1,500 CU
/// PDA syscall).
pub const ITEMS_CONFIG_ADDRESS: anchor_lang::prelude::Pubkey = anchor_lang::prelude::Pubkey::new_from_array(
    anchor_lang::derive_program_address(&[ITEMS_CONFIG_SEED], crate::ID.as_array()).0,
);
/// Seed of the collection mint PDA (a Token-2022 group): `["collection"]`.
pub const COLLECTION_SEED: &[u8] = b"collection";
/// Seed of an item's mint PDA: `["item_mint", id as u64 little-endian]`. Ids start at 1, as on EVM.
pub const ITEM_MINT_SEED: &[u8] = b"item_mint";
/// Seed of an item's record PDA (its game attributes): `["item", mint]`.
pub const ITEM_SEED: &[u8] = b"item";

/// Symbol of every item.
pub const ITEM_SYMBOL: &str = "MITEM";
/// Highest rarity tier (0 common .. 4 legendary), as on EVM.
pub const MAX_RARITY: u8 = 4;
/// Longest item name in bytes.
pub const MAX_NAME_LEN: usize = 32;
/// Longest URI in bytes.
pub const MAX_URI_LEN: usize = 200;
/// Basis-point denominator.
pub const BPS: u64 = 10_000;
