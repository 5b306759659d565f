//! The native backend: programs compiled for the host, run by `solana-program-test`'s bank (processor mode).

// solana-program-test 3.1 marks its API "unstable" (deprecated) ahead of 4.0; this is the version the programs pin.
#![allow(deprecated)]

use crate::{Backend, Failed, Landed};
use anchor_lang::prelude::{AccountInfo, Pubkey};
use solana_account::Account;
use solana_clock::Clock;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_test::{ProgramTest, ProgramTestContext, processor, tokio::runtime::Runtime};
use solana_signer::Signer;
use solana_transaction::Transaction;

type ProgramResult = Result<(), anchor_lang::solana_program::program_error::ProgramError>;

/// Gives the three arguments of a builtin one common lifetime, as Anchor's generated `entry<'info>` requires.
///
/// The runtime hands them over with independent lifetimes; all of them live for the whole instruction, which is
/// the only span `entry` uses them in, so narrowing them to one lifetime is sound.
#[allow(unsafe_code)]
fn unify<'a>(accounts: &'a [AccountInfo<'_>]) -> &'a [AccountInfo<'a>] {
    // SAFETY: `AccountInfo<'b>` and `AccountInfo<'a>` have the same layout; the runtime keeps the referenced
    // account data alive for the duration of the call, which outlives `'a`.
    unsafe { std::mem::transmute::<&'a [AccountInfo<'_>], &'a [AccountInfo<'a>]>(accounts) }
}

fn token_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    mercato_token::entry(program_id, unify(accounts), data)
}

fn auction_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    mercato_auction::entry(program_id, unify(accounts), data)
}

fn governance_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    mercato_governance::entry(program_id, unify(accounts), data)
}

fn items_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    mercato_items::entry(program_id, unify(accounts), data)
}

/// Natively run programs log their events as `Program log: Program data: <base64>` (see `mercato-program-log`);
/// on Solana the same event is `Program data: <base64>`. Make the native log read like the real one.
fn normalize_event_line(line: String) -> String {
    match line.strip_prefix("Program log: Program data: ") {
        Some(payload) => format!("Program data: {payload}"),
        None => line,
    }
}

/// `solana-program-test` with the Mercato programs loaded natively.
pub struct NativeBackend {
    runtime: Runtime,
    context: ProgramTestContext,
    slot: u64,
    unix_timestamp: i64,
}

impl NativeBackend {
    /// Starts a bank with the Mercato programs and SPL Token, Token-2022 and the associated-token program.
    pub fn start() -> Self {
        let runtime = Runtime::new().expect("tokio runtime");
        let mut test = ProgramTest::default();
        test.prefer_bpf(false);
        test.add_program("mercato_token", mercato_token::ID, processor!(token_entry));
        test.add_program("mercato_items", mercato_items::ID, processor!(items_entry));
        test.add_program("mercato_auction", mercato_auction::ID, processor!(auction_entry));
        test.add_program("mercato_governance", mercato_governance::ID, processor!(governance_entry));
        let mut context = runtime.block_on(test.start_with_context());
        let clock: Clock = runtime.block_on(context.banks_client.get_sysvar()).expect("clock");
        let slot = clock.slot.max(1);
        context.warp_to_slot(slot + 1).expect("warp");
        Self { runtime, context, slot: slot + 1, unix_timestamp: clock.unix_timestamp.max(1_750_000_000) }
    }

    /// Moves to a new slot (so identical transactions get a fresh blockhash) with the clock at our timestamp.
    fn next_slot(&mut self) {
        self.slot += 1;
        self.context.warp_to_slot(self.slot).expect("warp");
        self.write_clock();
        self.context.last_blockhash =
            self.runtime.block_on(self.context.banks_client.get_latest_blockhash()).expect("blockhash");
    }

    fn write_clock(&mut self) {
        let mut clock: Clock = self.runtime.block_on(self.context.banks_client.get_sysvar()).expect("clock");
        clock.unix_timestamp = self.unix_timestamp;
        self.context.set_sysvar(&clock);
    }
}

impl Backend for NativeBackend {
    fn payer(&self) -> &Keypair {
        &self.context.payer
    }

    fn process(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<Landed, Failed> {
        self.next_slot();
        let mut all: Vec<&Keypair> = vec![&self.context.payer];
        all.extend_from_slice(signers);
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&self.context.payer.pubkey()),
            &all,
            self.context.last_blockhash,
        );
        let outcome = self
            .runtime
            .block_on(self.context.banks_client.process_transaction_with_metadata(tx))
            .expect("the bank answers");
        let (logs, compute_units) =
            outcome.metadata.map(|m| (m.log_messages, m.compute_units_consumed)).unwrap_or_default();
        let logs = logs.into_iter().map(normalize_event_line).collect();
        match outcome.result {
            Ok(()) => Ok(Landed { logs, compute_units }),
            Err(error) => Err(Failed { error, logs }),
        }
    }

    fn account(&mut self, address: &Pubkey) -> Option<Account> {
        self.runtime.block_on(self.context.banks_client.get_account(*address)).expect("the bank answers")
    }

    fn unix_timestamp(&mut self) -> i64 {
        self.unix_timestamp
    }

    fn set_unix_timestamp(&mut self, timestamp: i64) {
        self.unix_timestamp = timestamp;
        self.write_clock();
    }

    fn airdrop(&mut self, to: &Pubkey, lamports: u64) {
        let ix = anchor_lang::solana_program::system_instruction::transfer(&self.context.payer.pubkey(), to, lamports);
        self.process(&[ix], &[]).expect("airdrop from the payer");
    }
}
