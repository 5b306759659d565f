//! `withdraw_credits`: moves credits (refunds, proceeds, royalties) to any currency account the owner names.

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use mercato_token::constants::CONFIG_ADDRESS;
use mercato_token::state::EconomyConfig;

use crate::constants::*;
use crate::error::AuctionError;
use crate::events::CreditsWithdrawn;
use crate::state::House;

/// Accounts of `withdraw_credits`.
#[derive(Accounts)]
pub struct WithdrawCredits<'info> {
    /// The owner of the credits.
    pub owner: Signer<'info>,
    /// The house (signs for credit accounts).
    #[account(address = HOUSE_ADDRESS)]
    pub house: Box<Account<'info, House>>,
    /// The economy config (names the currency).
    #[account(address = CONFIG_ADDRESS)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The currency mint.
    #[account(address = economy_config.mint)]
    pub currency_mint: Box<Account<'info, Mint>>,
    /// The owner's credit account `["credit", owner]` (an existing account: its address is recognised by hashing).
    #[account(
        mut,
        constraint = mercato_pda::is_existing(&credit.key(), &[CREDIT_SEED, owner.key().as_ref()], &crate::ID).is_some()
            @ Anchor::ConstraintSeeds
    )]
    pub credit: Box<Account<'info, TokenAccount>>,
    /// Any currency account of the owner's choosing.
    #[account(mut, token::mint = currency_mint)]
    pub destination: Box<Account<'info, TokenAccount>>,
    /// SPL Token.
    pub token_program: Program<'info, Token>,
}

/// Withdraws `amount` of the owner's credits.
pub fn handler(ctx: Context<WithdrawCredits>, amount: u64) -> Result<()> {
    require!(amount > 0, AuctionError::ZeroAmount);
    let a = &ctx.accounts;
    require!(a.credit.amount >= amount, AuctionError::InsufficientCredits);
    let seeds: &[&[u8]] = &[HOUSE_SEED, &[a.house.bump]];
    super::pay(
        &a.token_program,
        &a.credit.to_account_info(),
        &a.destination.to_account_info(),
        &a.house.to_account_info(),
        &[seeds],
        amount,
    )?;
    mercato_program_log::emit_event!(CreditsWithdrawn {
        owner: a.owner.key(),
        amount,
        destination: a.destination.key()
    });
    Ok(())
}
