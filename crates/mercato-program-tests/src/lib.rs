//! A small harness for testing the Mercato Solana programs: send a transaction, read an account, move the clock.
//!
//! Tests are written against [`Harness`], which drives any [`Backend`]. The native backend ([`native`]) runs the
//! programs compiled for the host inside `solana-program-test`'s real bank, with the real BPF SPL Token,
//! Token-2022 and associated-token programs. The SBF backend ([`sbf`]) runs the programs' SBPF builds in LiteSVM.
//! Test files write each test once, generic over the backend, and [`on_both_backends!`] runs it on both.

pub mod fixtures;
pub mod native;
pub mod sbf;

use anchor_lang::{AccountDeserialize, prelude::Pubkey};
use anchor_spl::token::TokenAccount;
use solana_account::Account;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction_error::TransactionError;

/// A transaction that landed.
#[derive(Debug, Clone)]
pub struct Landed {
    /// Program logs (events are in the `Program data:` lines).
    pub logs: Vec<String>,
    /// Compute units consumed (0 for natively compiled programs, which the runtime does not meter).
    pub compute_units: u64,
}

/// A transaction that failed.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The runtime's error.
    pub error: TransactionError,
    /// Program logs up to the failure.
    pub logs: Vec<String>,
}

impl Failed {
    /// The program's custom error code (an Anchor error's number), if the failure was one.
    pub fn custom_code(&self) -> Option<u32> {
        match &self.error {
            TransactionError::InstructionError(_, solana_instruction::error::InstructionError::Custom(code)) => {
                Some(*code)
            }
            _ => None,
        }
    }
}

/// A runtime the tests can drive.
pub trait Backend {
    /// The fee payer of every transaction (funded).
    fn payer(&self) -> &Keypair;
    /// Sends one transaction with `instructions`, signed by the payer and `signers`.
    fn process(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<Landed, Failed>;
    /// Reads an account.
    fn account(&mut self, address: &Pubkey) -> Option<Account>;
    /// The clock's Unix timestamp.
    fn unix_timestamp(&mut self) -> i64;
    /// Sets the clock's Unix timestamp (it never goes backwards in the tests).
    fn set_unix_timestamp(&mut self, timestamp: i64);
    /// Gives `to` lamports out of thin air.
    fn airdrop(&mut self, to: &Pubkey, lamports: u64);
}

/// Test helpers over a backend.
pub struct Harness<B: Backend> {
    /// The runtime.
    pub backend: B,
}

impl<B: Backend> Harness<B> {
    /// Wraps a backend.
    pub fn new(backend: B) -> Self {
        Self { backend }
    }

    /// The payer's address.
    pub fn payer(&self) -> Pubkey {
        self.backend.payer().pubkey()
    }

    /// Sends a transaction; the payer signs in addition to `signers`.
    pub fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<Landed, Failed> {
        self.backend.process(instructions, signers)
    }

    /// Sends a transaction that must land; panics with its logs otherwise.
    pub fn must(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Landed {
        match self.send(instructions, signers) {
            Ok(landed) => landed,
            Err(failed) => panic!("transaction failed: {:?}\nlogs:\n{}", failed.error, failed.logs.join("\n")),
        }
    }

    /// Sends a transaction that must fail with Anchor error code `code` (custom program error).
    pub fn must_fail_with(&mut self, instructions: &[Instruction], signers: &[&Keypair], code: u32) -> Failed {
        match self.send(instructions, signers) {
            Ok(landed) => panic!("transaction landed, expected error {code}\nlogs:\n{}", landed.logs.join("\n")),
            Err(failed) => {
                assert_eq!(
                    failed.custom_code(),
                    Some(code),
                    "wrong failure {:?}\nlogs:\n{}",
                    failed.error,
                    failed.logs.join("\n")
                );
                failed
            }
        }
    }

    /// A new keypair holding `sol` whole SOL.
    pub fn funded_keypair(&mut self, sol: u64) -> Keypair {
        let keypair = Keypair::new();
        self.backend.airdrop(&keypair.pubkey(), sol * 1_000_000_000);
        keypair
    }

    /// Moves the clock forward by `seconds`.
    pub fn warp(&mut self, seconds: i64) {
        let now = self.backend.unix_timestamp();
        self.backend.set_unix_timestamp(now + seconds);
    }

    /// The clock's Unix timestamp.
    pub fn now(&mut self) -> i64 {
        self.backend.unix_timestamp()
    }

    /// Reads and deserializes an Anchor (or SPL) account; panics if it is missing or malformed.
    pub fn read<T: AccountDeserialize>(&mut self, address: &Pubkey) -> T {
        let account = self.backend.account(address).unwrap_or_else(|| panic!("account {address} does not exist"));
        T::try_deserialize(&mut account.data.as_slice())
            .unwrap_or_else(|e| panic!("account {address} does not deserialize: {e}"))
    }

    /// The raw account at `address`; panics if it does not exist.
    pub fn raw(&mut self, address: &Pubkey) -> Account {
        self.backend.account(address).unwrap_or_else(|| panic!("account {address} does not exist"))
    }

    /// Whether an account exists (has lamports).
    pub fn exists(&mut self, address: &Pubkey) -> bool {
        self.backend.account(address).is_some_and(|a| a.lamports > 0)
    }

    /// The amount in an SPL token account (0 if it does not exist).
    pub fn token_balance(&mut self, address: &Pubkey) -> u64 {
        match self.backend.account(address) {
            Some(a) if a.lamports > 0 => {
                TokenAccount::try_deserialize(&mut a.data.as_slice()).map(|t| t.amount).unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// Creates the associated token account of `owner` for `mint` (SPL Token), paid by the payer.
    pub fn create_ata(&mut self, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
        let payer = self.payer();
        let ix = create_associated_token_account_idempotent(&payer, owner, mint, &anchor_spl::token::ID);
        self.must(&[ix], &[]);
        anchor_spl::associated_token::get_associated_token_address(owner, mint)
    }
}

/// A harness over the native backend.
pub fn native_harness() -> Harness<native::NativeBackend> {
    Harness::new(native::NativeBackend::start())
}

/// A harness over the SBF backend, or `None` (with a loud warning) when `MERCATO_SKIP_SBF=1` opted out of SBF.
pub fn sbf_harness() -> Option<Harness<sbf::SbfBackend>> {
    if std::env::var("MERCATO_SKIP_SBF").as_deref() == Ok("1") {
        eprintln!("WARNING: MERCATO_SKIP_SBF=1: this test did NOT run on the SBF build");
        return None;
    }
    Some(Harness::new(sbf::SbfBackend::start()))
}

/// Runs each listed test function (`fn name<B: Backend>(h: Harness<B>)`) as two tests: `native::name` (host build in
/// solana-program-test) and `sbf::name` (SBPF build in LiteSVM).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod native {
            $(#[test] fn $name() { super::$name($crate::native_harness()) })*
        }
        mod sbf {
            $(#[test] fn $name() { if let Some(h) = $crate::sbf_harness() { super::$name(h) } })*
        }
    };
}
