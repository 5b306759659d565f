//! The items program (`mercato_items`): PDAs and instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas, prelude::Pubkey, solana_program::instruction::Instruction};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use mercato_items::constants::{COLLECTION_SEED, ITEM_MINT_SEED, ITEM_SEED, ITEMS_CONFIG_SEED};

pub use mercato_items::ID as PROGRAM_ID;
pub use mercato_items::instructions::{CollectionParams, ItemsRole};
pub use mercato_items::state::{Item, ItemAttributes, ItemsConfig};
pub use mercato_items::{error::ItemsError, events};

/// Token-2022, the token program of every item.
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;
const SYSTEM_PROGRAM: Pubkey = anchor_lang::solana_program::system_program::ID;

/// The items config PDA: `["items_config"]`.
pub fn config_address() -> Pubkey {
    Pubkey::find_program_address(&[ITEMS_CONFIG_SEED], &PROGRAM_ID).0
}

/// The collection mint PDA: `["collection"]`.
pub fn collection_address() -> Pubkey {
    Pubkey::find_program_address(&[COLLECTION_SEED], &PROGRAM_ID).0
}

/// The mint of item `id`: `["item_mint", id (u64 LE)]`.
pub fn item_mint_address(id: u64) -> Pubkey {
    Pubkey::find_program_address(&[ITEM_MINT_SEED, &id.to_le_bytes()], &PROGRAM_ID).0
}

/// The record of the item minted at `mint`: `["item", mint]`.
pub fn item_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ITEM_SEED, mint.as_ref()], &PROGRAM_ID).0
}

/// The Token-2022 associated account of `owner` for item `mint`.
pub fn item_account(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, mint, &TOKEN_2022)
}

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: PROGRAM_ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// `init_collection`: `authority` pays and becomes the items authority.
pub fn init_collection(authority: Pubkey, params: CollectionParams) -> Instruction {
    ix(
        mercato_items::accounts::InitCollection {
            authority,
            config: config_address(),
            economy_config: crate::token::config_address(),
            collection: collection_address(),
            token_program: TOKEN_2022,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_items::instruction::InitCollection { params },
    )
}

/// `mint_item`: mints item `id` (the config's `next_item_id`) to `recipient`.
pub fn mint_item(
    minter: Pubkey,
    recipient: Pubkey,
    id: u64,
    attributes: ItemAttributes,
    name: String,
    uri: String,
) -> Instruction {
    let mint = item_mint_address(id);
    ix(
        mercato_items::accounts::MintItem {
            minter,
            config: config_address(),
            collection: collection_address(),
            recipient,
            item_mint: mint,
            recipient_token: item_account(&recipient, &mint),
            item: item_address(&mint),
            token_program: TOKEN_2022,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_items::instruction::MintItem { attributes, name, uri },
    )
}

/// `burn_item`: `owner` burns the item at `mint` held in their associated account.
pub fn burn_item(owner: Pubkey, mint: Pubkey) -> Instruction {
    ix(
        mercato_items::accounts::BurnItem {
            owner,
            config: config_address(),
            item_mint: mint,
            owner_token: item_account(&owner, &mint),
            item: item_address(&mint),
            token_program: TOKEN_2022,
        },
        mercato_items::instruction::BurnItem {},
    )
}

/// `set_royalty`.
pub fn set_royalty(authority: Pubkey, receiver: Pubkey, bps: u16) -> Instruction {
    ix(
        mercato_items::accounts::SetRoyalty {
            authority,
            config: config_address(),
            economy_config: crate::token::config_address(),
        },
        mercato_items::instruction::SetRoyalty { receiver, bps },
    )
}

/// `set_role`.
pub fn set_role(authority: Pubkey, role: ItemsRole, holder: Pubkey) -> Instruction {
    ix(
        mercato_items::accounts::SetRole { authority, config: config_address() },
        mercato_items::instruction::SetRole { role, holder },
    )
}
