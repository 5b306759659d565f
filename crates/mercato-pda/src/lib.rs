//! Cheap checks of program derived addresses (PDAs).
//!
//! `create_program_address` and every step of `find_program_address` cost 1,500 compute units each on Solana, most
//! of it for the check that the address is off the ed25519 curve. To recognise an account the program created
//! earlier, that check is not needed: the address is the SHA-256 hash of the seeds, the bump, the program id and a
//! marker, and hashing costs ~150 CU with the `sol_sha256` syscall. [`is`] compares an address with that hash for a
//! known (stored) bump; [`is_existing`] tries the bumps from 255 down for accounts whose bump is not stored.
//!
//! Why skipping the curve check is sound here: an account's data can only be allocated and assigned with its
//! address's signature. An off-curve address can only sign through `invoke_signed` of the program it is derived
//! from, and the Mercato programs only ever create accounts at canonical bumps; an on-curve hash is an ordinary key
//! whose secret key nobody knows. So an initialized account whose address hashes from the expected seeds with some
//! bump is the account the program created at those seeds. New accounts still need the canonical bump and use
//! `Pubkey::find_program_address`.

use anchor_lang::prelude::{AccountInfo, Pubkey, Result};
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::invoke;

/// Whether `address` is the PDA of `seeds` and `bump` under `program_id` (no curve check, see the crate docs).
#[inline]
pub fn is<const N: usize>(address: &Pubkey, seeds: &[&[u8]; N], bump: u8, program_id: &Pubkey) -> bool {
    Pubkey::derive_address(seeds, Some(bump), program_id) == *address
}

/// The bump under which `address` is the PDA of `seeds` under `program_id`, if any, trying 255 down to 0 (for an
/// initialized account whose bump is not stored anywhere; see the crate docs). Costs one hash per bump tried: about
/// two on average, as `find_program_address`, whose steps cost ten times more.
///
/// **Only sound for an account the caller has already checked to exist and to be owned by the expected program**
/// (that is what makes a non-canonical bump harmless: nobody but the deriving program could have created it, and it
/// only creates canonical ones). Never use it to accept an empty or system-owned address. A wrong address costs all
/// 256 hashes (~40-50k CU) before it is refused.
pub fn is_existing<const N: usize>(address: &Pubkey, seeds: &[&[u8]; N], program_id: &Pubkey) -> Option<u8> {
    (0..=u8::MAX).rev().find(|bump| is(address, seeds, *bump, program_id))
}

/// Creates `wallet`'s associated token account `account` for `mint` under `token_program`, paid by `payer`, with a
/// CPI into `associated_token_program` (the caller checks that it is the associated token program).
///
/// The same CPI as `anchor_spl::associated_token::create`, except that the instruction is built with the address
/// the caller passes instead of one derived again with `find_program_address` (1,500 CU per bump tried): the
/// associated token program derives the address itself and rejects any other account.
pub fn create_associated_token_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    wallet: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    associated_token_program: &AccountInfo<'info>,
) -> Result<()> {
    let ix = Instruction {
        program_id: *associated_token_program.key,
        accounts: vec![
            AccountMeta::new(*payer.key, true),
            AccountMeta::new(*account.key, false),
            AccountMeta::new_readonly(*wallet.key, false),
            AccountMeta::new_readonly(*mint.key, false),
            AccountMeta::new_readonly(*system_program.key, false),
            AccountMeta::new_readonly(*token_program.key, false),
        ],
        data: vec![0], // AssociatedTokenAccountInstruction::Create
    };
    let infos =
        [payer.clone(), account.clone(), wallet.clone(), mint.clone(), system_program.clone(), token_program.clone()];
    invoke(&ix, &infos).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_find_program_address() {
        let program = Pubkey::new_unique();
        for _ in 0..64 {
            let owner = Pubkey::new_unique();
            let seeds = [b"credit".as_ref(), owner.as_ref()];
            let (address, bump) = Pubkey::find_program_address(&seeds, &program);
            assert!(is(&address, &seeds, bump, &program));
            assert!(!is(&address, &seeds, bump.wrapping_sub(1), &program));
            assert_eq!(is_existing(&address, &seeds, &program), Some(bump));
            assert_eq!(is_existing(&owner, &seeds, &program), None);
        }
    }
}
