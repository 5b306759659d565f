//! A test-only program (never deployed): `poke` increments a counter, then ends the way `mode` says, so the tests
//! can check that every kind of failure fails the whole transaction and leaves the counter as it was.

#![allow(unexpected_cfgs)] // anchor's macros test cfgs this crate does not declare
#![allow(missing_docs)] // anchor's #[program] and #[derive(Accounts)] generate undocumented items
use anchor_lang::prelude::*;

declare_id!("2yWUC5fw2S42Rn95AzfKwvU11fLPSsstVfa9p5nwBf9N");

/// How `poke` ends.
pub mod mode {
    /// Succeeds.
    pub const OK: u8 = 0;
    /// `panic!` with a message.
    pub const PANIC: u8 = 1;
    /// An overflow caught by `checked_add(..).expect(..)`.
    pub const OVERFLOW: u8 = 2;
    /// A slice index out of bounds.
    pub const OUT_OF_BOUNDS: u8 = 3;
    /// An Anchor error (the normal way programs fail).
    pub const ERROR: u8 = 4;
}

/// The program.
#[program]
pub mod mercato_panic_probe {
    use super::*;

    /// Increments the counter, then ends as `mode` says.
    pub fn poke(ctx: Context<Poke>, mode: u8) -> Result<()> {
        let counter = &mut ctx.accounts.counter;
        counter.pokes += 1;
        match mode {
            mode::OK => Ok(()),
            mode::PANIC => panic!("the probe panics on purpose"),
            mode::OVERFLOW => {
                counter.pokes = counter.pokes.checked_add(u64::MAX).expect("the probe overflows on purpose");
                Ok(())
            }
            mode::OUT_OF_BOUNDS => {
                let bytes = counter.pokes.to_le_bytes();
                counter.pokes = u64::from(bytes[usize::from(mode) * 100]);
                Ok(())
            }
            _ => err!(ProbeError::Deliberate),
        }
    }
}

/// Accounts of `poke`.
#[derive(Accounts)]
pub struct Poke<'info> {
    /// Pays for the counter the first time.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The counter, a PDA `["counter"]`.
    #[account(init_if_needed, payer = payer, space = 8 + Counter::INIT_SPACE, seeds = [b"counter"], bump)]
    pub counter: Account<'info, Counter>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// What `poke` writes before it fails.
#[account]
#[derive(InitSpace)]
pub struct Counter {
    /// Successful pokes.
    pub pokes: u64,
}

/// The probe's one error.
#[error_code]
pub enum ProbeError {
    /// Mode 4.
    #[msg("the probe fails with an error on purpose")]
    Deliberate,
}
