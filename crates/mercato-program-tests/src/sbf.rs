//! The SBF backend: the programs' SBPF v3 builds (`target/deploy/*.so`, from `./mercato sbf`) run in LiteSVM 0.16,
//! the VM that executes this output (solana-program-test 3.1's VM does not). Compute units are real here.

use crate::{Backend, Failed, Landed};
use anchor_lang::prelude::Pubkey;
use litesvm::LiteSVM;
use solana_account::Account;
use solana_clock::Clock;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction_v4::Transaction;
use std::path::PathBuf;

use mercato_solana_client::PROGRAMS;

/// Where the `.so` files are: `MERCATO_SBF_DIR`, or `target/deploy` in the repository.
pub fn deploy_dir() -> PathBuf {
    std::env::var_os("MERCATO_SBF_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target/deploy"))
}

/// The repository root: the first ancestor of the running package's directory (`CARGO_MANIFEST_DIR`, which cargo
/// sets when it runs tests and binaries; else the working directory) holding `Cargo.lock`. Looked up at run time on
/// purpose: cargo reuses a path crate's build across checkouts that share a target directory, so a path baked in
/// with `env!` can point into another checkout.
fn repo_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::current_dir().expect("a working directory"));
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or_else(|| panic!("no Cargo.lock above {}: run inside the Mercato repository", start.display()))
        .to_owned()
}

/// LiteSVM with the Mercato programs' SBF builds (and its bundled SPL Token, Token-2022 and associated-token).
pub struct SbfBackend {
    svm: LiteSVM,
    payer: Keypair,
}

impl SbfBackend {
    /// Loads the four programs from [`deploy_dir`]; panics with the fix when a build is missing.
    pub fn start() -> Self {
        let mut svm = LiteSVM::new();
        let dir = deploy_dir();
        for (id, name) in PROGRAMS {
            let path = dir.join(format!("{name}.so"));
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (build the programs with `./mercato sbf`)", path.display()));
            svm.add_program(id, &bytes).unwrap_or_else(|e| panic!("LiteSVM rejected {}: {e:?}", path.display()));
        }
        let payer = Keypair::new();
        svm.airdrop(&payer.pubkey(), 100_000 * 1_000_000_000).expect("airdrop to the payer");
        let mut clock: Clock = svm.get_sysvar();
        clock.unix_timestamp = 1_750_000_000;
        svm.set_sysvar(&clock);
        Self { svm, payer }
    }
}

impl SbfBackend {
    /// Loads one more program, `<deploy dir>/<name>.so`, at `id` (test-only programs such as the panic probe).
    pub fn load_program(&mut self, id: Pubkey, name: &str) {
        let path = deploy_dir().join(format!("{name}.so"));
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (build it with `./mercato sbf`)", path.display()));
        self.svm.add_program(id, &bytes).unwrap_or_else(|e| panic!("LiteSVM rejected {}: {e:?}", path.display()));
    }
}

impl Backend for SbfBackend {
    fn payer(&self) -> &Keypair {
        &self.payer
    }

    fn process(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<Landed, Failed> {
        // A fresh blockhash, so that an identical transaction is not taken for a duplicate.
        self.svm.expire_blockhash();
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied().filter(|k| k.pubkey() != self.payer.pubkey()));
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&self.payer.pubkey()),
            &all,
            self.svm.latest_blockhash(),
        );
        match self.svm.send_transaction(tx) {
            Ok(meta) => Ok(Landed { logs: meta.logs, compute_units: meta.compute_units_consumed }),
            Err(failed) => Err(Failed { error: failed.err, logs: failed.meta.logs }),
        }
    }

    fn account(&mut self, address: &Pubkey) -> Option<Account> {
        self.svm.get_account(address).map(|a| Account {
            lamports: a.lamports,
            data: a.data,
            owner: a.owner,
            executable: a.executable,
            rent_epoch: a.rent_epoch,
        })
    }

    fn unix_timestamp(&mut self) -> i64 {
        self.svm.get_sysvar::<Clock>().unix_timestamp
    }

    fn set_unix_timestamp(&mut self, timestamp: i64) {
        let mut clock: Clock = self.svm.get_sysvar();
        clock.slot += 1;
        clock.unix_timestamp = timestamp;
        self.svm.set_sysvar(&clock);
    }

    fn airdrop(&mut self, to: &Pubkey, lamports: u64) {
        self.svm.airdrop(to, lamports).expect("airdrop");
    }
}
