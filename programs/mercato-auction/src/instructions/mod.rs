//! One module per instruction, plus the pricing and token-moving rules they share.

#![allow(ambiguous_glob_reexports)] // each module has a `handler`; anchor needs the globs for its generated modules

pub mod bid;
pub mod buy;
pub mod cancel;
pub mod create_listing;
pub mod init_house;
pub mod settle;
pub mod withdraw_credits;

pub use bid::*;
pub use buy::*;
pub use cancel::*;
pub use create_listing::*;
pub use init_house::*;
pub use settle::*;
pub use withdraw_credits::*;

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_lang::system_program::{self as system, Allocate, Assign, CreateAccount};
use anchor_spl::associated_token::{self, AssociatedToken};
use anchor_spl::token::{self, CloseAccount, InitializeAccount3, Token, TokenAccount, Transfer, accessor};
use anchor_spl::token_interface::{self, Mint as MintI, Token2022, TransferChecked};
use mercato_items::state::ItemsConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::state::Listing;

/// The price of a Dutch listing at `now`: linear from start to floor over [start_ts, end_ts], then the floor.
pub fn dutch_price(listing: &Listing, now: i64) -> Result<u64> {
    if now >= listing.end_ts {
        return Ok(listing.floor_price);
    }
    let elapsed = u128::try_from(now.saturating_sub(listing.start_ts)).unwrap_or(0);
    let duration = u128::try_from(listing.end_ts - listing.start_ts).map_err(|_| AuctionError::MathOverflow)?;
    let span = u128::from(listing.start_price - listing.floor_price);
    // duration > 0 (end > start at creation) and elapsed < duration: drop < span, no overflow in u128.
    let drop = span * elapsed / duration;
    u64::try_from(u128::from(listing.start_price) - drop).map_err(|_| error!(AuctionError::MathOverflow))
}

/// The smallest acceptable bid: the reserve (at least 1) first, then the high bid plus the increment rounded up.
pub fn minimum_bid(listing: &Listing, increment_bps: u16) -> Result<u64> {
    if !listing.has_bid() {
        return Ok(listing.start_price.max(1));
    }
    let high = u128::from(listing.high_bid);
    let increment = (high * u128::from(increment_bps)).div_ceil(BPS);
    u64::try_from(high + increment).map_err(|_| error!(AuctionError::MathOverflow))
}

/// Splits `price` into (fee, royalty, seller proceeds); the three add up to `price` exactly.
pub fn split(price: u64, fee_bps: u16, royalty_bps: u16) -> (u64, u64, u64) {
    let fee = (u128::from(price) * u128::from(fee_bps) / BPS) as u64; // <= price
    let royalty = (u128::from(price) * u128::from(royalty_bps) / BPS) as u64; // <= price
    // fee <= 10% and royalty <= 25% of price (config bounds), so the subtraction cannot underflow.
    (fee, royalty, price - fee - royalty)
}

/// The royalty rate of a Mercato item: the collection's rate, capped by the live economy cap.
pub fn royalty_bps(items_config: &ItemsConfig, cap_bps: u16) -> u16 {
    items_config.royalty_bps.min(cap_bps)
}

/// Checks that `mint` is an NFT: 0 decimals, supply 1.
pub fn check_nft(mint: &InterfaceAccount<MintI>) -> Result<()> {
    require!(mint.decimals == 0 && mint.supply == 1, AuctionError::NotAnNft);
    Ok(())
}

/// The listing PDA's signer seeds.
pub fn listing_seeds<'a>(item_mint: &'a Pubkey, bump: &'a [u8; 1]) -> [&'a [u8]; 3] {
    [LISTING_SEED, item_mint.as_ref(), bump]
}

/// Moves currency `amount` from `from` (owned by `authority`) to `to`, signed by `seeds` when the authority is a PDA.
pub fn pay<'info>(
    token_program: &Program<'info, Token>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[&[u8]]],
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    token::transfer(
        CpiContext::new_with_signer(
            token_program.key(),
            Transfer { from: from.clone(), to: to.clone(), authority: authority.clone() },
            seeds,
        ),
        amount,
    )
}

/// The accounts needed to create a credit account: the payer of its rent, the house (its authority), the currency
/// mint, SPL Token and the system program.
pub struct CreditFactory<'a, 'info> {
    /// Pays the rent of a new credit account.
    pub payer: &'a AccountInfo<'info>,
    /// The house PDA, authority of every credit account.
    pub house: &'a AccountInfo<'info>,
    /// The currency mint.
    pub currency_mint: &'a AccountInfo<'info>,
    /// SPL Token.
    pub token_program: &'a Program<'info, Token>,
    /// System program.
    pub system_program: &'a Program<'info, System>,
}

/// Makes sure `credit` is `owner`'s credit account (`["credit", owner]`, currency owned by the house), creating it
/// when it does not exist yet (what `init_if_needed` does, without its `find_program_address` when the account
/// exists: an existing account's address is recognised by hashing, see `mercato_pda`).
pub fn ensure_credit<'info>(
    credit: &AccountInfo<'info>,
    owner: &Pubkey,
    factory: &CreditFactory<'_, 'info>,
) -> Result<()> {
    let seeds = [CREDIT_SEED, owner.as_ref()];
    if credit.owner == &system::ID {
        let (address, bump) = Pubkey::find_program_address(&seeds, &crate::ID);
        require_keys_eq!(credit.key(), address, Anchor::ConstraintSeeds);
        let signer_seeds: &[&[u8]] = &[CREDIT_SEED, owner.as_ref(), &[bump]];
        create_pda_account(factory.payer, credit, TokenAccount::LEN, &token::ID, factory.system_program, signer_seeds)?;
        return token::initialize_account3(CpiContext::new(
            factory.token_program.key(),
            InitializeAccount3 {
                account: credit.clone(),
                mint: factory.currency_mint.clone(),
                authority: factory.house.clone(),
            },
        ));
    }
    require_keys_eq!(*credit.owner, token::ID, Anchor::AccountOwnedByWrongProgram);
    require!(mercato_pda::is_existing(credit.key, &seeds, &crate::ID).is_some(), Anchor::ConstraintSeeds);
    let data = credit.try_borrow_data()?;
    require!(data.len() == TokenAccount::LEN, Anchor::AccountDidNotDeserialize);
    require!(data[..32] == factory.currency_mint.key.to_bytes(), Anchor::ConstraintTokenMint);
    require!(data[32..64] == factory.house.key.to_bytes(), Anchor::ConstraintTokenOwner);
    Ok(())
}

/// Creates the PDA `account` (signed by `signer_seeds`) with `space` bytes owned by `owner`, rent paid by `payer`.
/// As Anchor's `init`, it also works when somebody sent lamports to the address beforehand (`create_account` would
/// fail then, so a stray transfer could block the instruction).
fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    system_program: &Program<'info, System>,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let program = system_program.key();
    let signer = &[signer_seeds];
    if account.lamports() == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: account.clone() };
        return system::create_account(
            CpiContext::new_with_signer(program, accounts, signer),
            rent,
            space as u64,
            owner,
        );
    }
    let missing = rent.saturating_sub(account.lamports());
    if missing > 0 {
        let accounts = system::Transfer { from: payer.clone(), to: account.clone() };
        system::transfer(CpiContext::new(program, accounts), missing)?;
    }
    system::allocate(
        CpiContext::new_with_signer(program, Allocate { account_to_allocate: account.clone() }, signer),
        space as u64,
    )?;
    system::assign(CpiContext::new_with_signer(program, Assign { account_to_assign: account.clone() }, signer), owner)
}

/// Makes sure `account` is `wallet`'s associated Token-2022 account for the item `mint`, creating it (paid by
/// `payer`) when it does not exist yet. Replaces `init_if_needed` + `associated_token::…`, which derives the address
/// with `find_program_address` in both cases: the associated token program checks the address of an account it
/// creates, and an existing account's address is recognised by hashing (see `mercato_pda`).
#[allow(clippy::too_many_arguments)] // one argument per account the creation needs
pub fn ensure_item_account<'info>(
    account: &AccountInfo<'info>,
    wallet: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    item_token_program: &Program<'info, Token2022>,
    associated_token_program: &Program<'info, AssociatedToken>,
    system_program: &Program<'info, System>,
) -> Result<()> {
    if account.owner == &system::ID {
        return mercato_pda::create_associated_token_account(
            payer,
            account,
            wallet,
            mint,
            &system_program.to_account_info(),
            &item_token_program.to_account_info(),
            &associated_token_program.to_account_info(),
        );
    }
    require_keys_eq!(*account.owner, item_token_program.key(), Anchor::ConstraintAssociatedTokenTokenProgram);
    let seeds = [wallet.key.as_ref(), item_token_program.key.as_ref(), mint.key.as_ref()];
    require!(
        mercato_pda::is_existing(account.key, &seeds, &associated_token::ID).is_some(),
        Anchor::AccountNotAssociatedTokenAccount
    );
    let data = account.try_borrow_data()?;
    require!(data.len() >= TokenAccount::LEN, Anchor::AccountDidNotDeserialize);
    require!(data[..32] == mint.key.to_bytes(), Anchor::ConstraintTokenMint);
    require!(data[32..64] == wallet.key.to_bytes(), Anchor::ConstraintTokenOwner);
    Ok(())
}

/// Where a sale's money goes: the program-owned treasury and the seller's and creator's credit accounts, so no
/// party can refuse a payment and block the sale.
pub struct SalePayees<'a, 'info> {
    /// Receives the fee.
    pub treasury: &'a AccountInfo<'info>,
    /// Receives the royalty.
    pub creator_credit: &'a AccountInfo<'info>,
    /// Receives the rest.
    pub seller_credit: &'a AccountInfo<'info>,
}

/// Splits `price` with the live fee and royalty rates and pays the three parties from `from` (owned by
/// `authority`, a PDA when `seeds` is not empty). Returns (fee, royalty).
#[allow(clippy::too_many_arguments)] // one argument per account the split touches
pub fn pay_sale<'info>(
    token_program: &Program<'info, Token>,
    from: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[&[u8]]],
    payees: SalePayees<'_, 'info>,
    price: u64,
    market: &mercato_token::state::MarketParams,
    royalty_bps: u16,
) -> Result<(u64, u64)> {
    let (fee, royalty, proceeds) = split(price, market.market_fee_bps, royalty_bps);
    pay(token_program, from, payees.treasury, authority, seeds, fee)?;
    pay(token_program, from, payees.creator_credit, authority, seeds, royalty)?;
    pay(token_program, from, payees.seller_credit, authority, seeds, proceeds)?;
    Ok((fee, royalty))
}

/// Moves the escrowed item to `to`, signed by the listing.
pub fn release_item<'info>(
    item_token_program: &Program<'info, Token2022>,
    item_escrow: &AccountInfo<'info>,
    item_mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    listing: &AccountInfo<'info>,
    seeds: &[&[&[u8]]],
) -> Result<()> {
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            item_token_program.key(),
            TransferChecked {
                from: item_escrow.clone(),
                mint: item_mint.clone(),
                to: to.clone(),
                authority: listing.clone(),
            },
            seeds,
        ),
        1,
        0,
    )
}

/// Closes the listing's escrows and returns their rent to `seller`. Anybody can send currency into the bid escrow;
/// whatever is left there once the sale is paid goes to the seller's credits first, so a stray deposit cannot make
/// the close (and with it the settlement) fail. Items cannot be added to the item escrow: a Mercato item has a
/// supply of 1 and no mint authority.
#[allow(clippy::too_many_arguments)] // one argument per account the close touches
pub fn close_escrows<'info>(
    token_program: &Program<'info, Token>,
    item_token_program: &Program<'info, Token2022>,
    item_escrow: &AccountInfo<'info>,
    bid_escrow: &AccountInfo<'info>,
    seller_credit: &AccountInfo<'info>,
    seller: &AccountInfo<'info>,
    listing: &AccountInfo<'info>,
    seeds: &[&[&[u8]]],
) -> Result<()> {
    let escrow = bid_escrow.clone();
    let stray = accessor::amount(&escrow)?;
    pay(token_program, &escrow, seller_credit, listing, seeds, stray)?;
    token_interface::close_account(CpiContext::new_with_signer(
        item_token_program.key(),
        token_interface::CloseAccount {
            account: item_escrow.clone(),
            destination: seller.clone(),
            authority: listing.clone(),
        },
        seeds,
    ))?;
    token::close_account(CpiContext::new_with_signer(
        token_program.key(),
        CloseAccount { account: escrow, destination: seller.clone(), authority: listing.clone() },
        seeds,
    ))
}
