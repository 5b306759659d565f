//! `init_house`: the listing counter.

use anchor_lang::prelude::*;

use crate::constants::HOUSE_SEED;
use crate::events::HouseInitialized;
use crate::state::House;

/// Accounts of `init_house`.
#[derive(Accounts)]
pub struct InitHouse<'info> {
    /// Pays for the house account.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The house.
    #[account(init, payer = payer, space = 8 + House::INIT_SPACE, seeds = [HOUSE_SEED], bump)]
    pub house: Account<'info, House>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Creates the house with listing ids starting at 1.
pub fn handler(ctx: Context<InitHouse>) -> Result<()> {
    let house = &mut ctx.accounts.house;
    house.bump = ctx.bumps.house;
    house.next_listing_id = 1;
    mercato_program_log::emit_event!(HouseInitialized { house: house.key() });
    Ok(())
}
