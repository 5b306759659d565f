//! `burn_item`: the owner destroys an item (a sink); its token account and record are closed and their rent goes
//! back to the owner.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Burn, CloseAccount, Mint, Token2022, TokenAccount, burn, close_account};

use crate::constants::*;
use crate::error::ItemsError;
use crate::events::ItemBurned;
use crate::state::{Item, ItemsConfig};

/// Accounts of `burn_item`.
#[derive(Accounts)]
pub struct BurnItem<'info> {
    /// The item's owner.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The items config (burn count).
    #[account(mut, address = ITEMS_CONFIG_ADDRESS)]
    pub config: Box<Account<'info, ItemsConfig>>,
    /// The item's mint.
    #[account(mut, mint::token_program = token_program)]
    pub item_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The owner's token account holding the item.
    #[account(mut, token::mint = item_mint, token::authority = owner, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The item's record, closed to the owner.
    #[account(mut, seeds = [ITEM_SEED, item_mint.key().as_ref()], bump = item.bump, close = owner)]
    pub item: Box<Account<'info, Item>>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Burns the unit and closes the owner's token account and the record.
pub fn handler(ctx: Context<BurnItem>) -> Result<()> {
    require!(ctx.accounts.owner_token.amount == 1, ItemsError::NotHolder);
    let program = ctx.accounts.token_program.key();
    burn(
        CpiContext::new(
            program,
            Burn {
                mint: ctx.accounts.item_mint.to_account_info(),
                from: ctx.accounts.owner_token.to_account_info(),
                authority: ctx.accounts.owner.to_account_info(),
            },
        ),
        1,
    )?;
    close_account(CpiContext::new(
        program,
        CloseAccount {
            account: ctx.accounts.owner_token.to_account_info(),
            destination: ctx.accounts.owner.to_account_info(),
            authority: ctx.accounts.owner.to_account_info(),
        },
    ))?;
    let config = &mut ctx.accounts.config;
    config.burned = config.burned.checked_add(1).ok_or(ItemsError::MathOverflow)?;
    mercato_program_log::emit_event!(ItemBurned {
        id: ctx.accounts.item.id,
        mint: ctx.accounts.item_mint.key(),
        owner: ctx.accounts.owner.key()
    });
    Ok(())
}
