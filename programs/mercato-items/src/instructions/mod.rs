//! One module per instruction: its accounts struct and its handler.

#![allow(ambiguous_glob_reexports)] // each module has a `handler`; anchor needs the globs for its generated modules

pub mod burn_item;
pub mod init_collection;
pub mod mint_item;
pub mod set_royalty;

pub use burn_item::*;
pub use init_collection::*;
pub use mint_item::*;
pub use set_royalty::*;

use anchor_lang::prelude::*;
use anchor_lang::system_program::{Transfer, transfer};

/// Tops up `account` so it stays rent-exempt after Token-2022 grows it by `extra` bytes (token metadata and group
/// extensions are variable-length and reallocated by Token-2022 itself, which does not pay for the growth).
pub(crate) fn fund_growth<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    extra: usize,
) -> Result<()> {
    let needed = Rent::get()?.minimum_balance(account.data_len() + extra);
    let missing = needed.saturating_sub(account.lamports());
    if missing > 0 {
        transfer(
            CpiContext::new(system_program.key(), Transfer { from: payer.clone(), to: account.clone() }),
            missing,
        )?;
    }
    Ok(())
}
