//! Client side of the Mercato Solana programs: PDA derivation, instruction builders and event decoding.
//!
//! The builders use the programs' own Anchor types (`accounts::*` for the account lists, `instruction::*` for the
//! data), so an account added to a program is a compile error here rather than a runtime surprise. The tests, the
//! relayer and the indexer all build and decode through this crate.
//!
//! Layout: `defaults` (the suite's default settings), `token` (the currency program), `items` (the item NFTs), `auction` (the market), `governance` (the
//! DAO), `events` (decoding Anchor events from transaction logs).

pub mod auction;
pub mod defaults;
pub mod events;
pub mod governance;
pub mod items;
pub mod token;

pub use anchor_lang::prelude::Pubkey;
/// The Anchor version the programs use, and the programs themselves (their `instruction` modules name every
/// instruction's discriminator).
pub use {anchor_lang, anchor_spl, mercato_auction, mercato_governance, mercato_items, mercato_token};

/// The associated token account program.
pub const ASSOCIATED_TOKEN_PROGRAM: Pubkey = anchor_spl::associated_token::ID;
pub use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};

/// The four Mercato programs: id and crate name (the SBF build is `target/deploy/<name>.so`).
pub const PROGRAMS: [(Pubkey, &str); 4] = [
    (mercato_token::ID, "mercato_token"),
    (mercato_items::ID, "mercato_items"),
    (mercato_auction::ID, "mercato_auction"),
    (mercato_governance::ID, "mercato_governance"),
];
