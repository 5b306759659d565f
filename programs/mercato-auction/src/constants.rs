//! Seeds of the auction program.

/// Seed of the house PDA (listing counter): `["house"]`.
pub const HOUSE_SEED: &[u8] = b"house";
/// Address of the house PDA, derived at compile time (checked with a plain comparison instead of a 1,500 CU PDA
/// syscall).
pub const HOUSE_ADDRESS: anchor_lang::prelude::Pubkey = anchor_lang::prelude::Pubkey::new_from_array(
    anchor_lang::derive_program_address(&[HOUSE_SEED], crate::ID.as_array()).0,
);
/// Seed of a listing PDA: `["listing", item_mint]` (one open listing per item).
pub const LISTING_SEED: &[u8] = b"listing";
/// Seed of a listing's item escrow (token account owned by the listing): `["item_escrow", listing]`.
pub const ITEM_ESCROW_SEED: &[u8] = b"item_escrow";
/// Seed of a listing's bid escrow (currency account owned by the listing): `["bid_escrow", listing]`.
pub const BID_ESCROW_SEED: &[u8] = b"bid_escrow";
/// Seed of a user's credit account (currency owned by the house PDA): `["credit", owner]`. Refunds, proceeds and
/// royalties are paid here, where nobody can refuse them; the owner withdraws with `withdraw_credits`.
pub const CREDIT_SEED: &[u8] = b"credit";
/// Basis-point denominator.
pub const BPS: u128 = 10_000;
