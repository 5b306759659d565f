//! How failures end on the SBF build, through the test-only panic probe (`probe/`): a panic, an overflow caught by
//! `expect`, an out-of-bounds index and an Anchor error each fail the whole transaction, and the counter the probe
//! incremented before failing keeps its old value. On this build route a Rust panic aborts the VM without its
//! message (the program is built with `panic=immediate-abort`); Anchor errors keep theirs.

use anchor_lang::{InstructionData, ToAccountMetas};
use mercato_panic_probe::{Counter, mode};
use mercato_program_tests::{Harness, sbf::SbfBackend, sbf_harness};
use mercato_solana_client::{Instruction, Pubkey};
use solana_instruction::error::InstructionError;
use solana_transaction_error::TransactionError;

fn counter_address() -> Pubkey {
    Pubkey::find_program_address(&[b"counter"], &mercato_panic_probe::ID).0
}

fn poke(payer: Pubkey, mode: u8) -> Instruction {
    Instruction {
        program_id: mercato_panic_probe::ID,
        accounts: mercato_panic_probe::accounts::Poke {
            payer,
            counter: counter_address(),
            system_program: anchor_lang::system_program::ID,
        }
        .to_account_metas(None),
        data: mercato_panic_probe::instruction::Poke { mode }.data(),
    }
}

fn probe() -> Option<Harness<SbfBackend>> {
    let mut h = sbf_harness()?;
    h.backend.load_program(mercato_panic_probe::ID, "mercato_panic_probe");
    Some(h)
}

#[test]
fn every_kind_of_failure_fails_the_whole_transaction_on_sbf() {
    let Some(mut h) = probe() else { return };
    let payer = h.payer();
    h.must(&[poke(payer, mode::OK)], &[]);
    assert_eq!(h.read::<Counter>(&counter_address()).pokes, 1);

    for (name, mode) in [("panic", mode::PANIC), ("overflow", mode::OVERFLOW), ("index", mode::OUT_OF_BOUNDS)] {
        let failed = h.send(&[poke(payer, mode)], &[]).expect_err(name);
        assert!(
            matches!(failed.error, TransactionError::InstructionError(0, InstructionError::ProgramFailedToComplete)),
            "{name}: {:?}\n{}",
            failed.error,
            failed.logs.join("\n")
        );
        assert!(!failed.logs.iter().any(|l| l.contains("on purpose")), "{name}: panics abort without their message");
        assert_eq!(h.read::<Counter>(&counter_address()).pokes, 1, "{name}: the increment was rolled back");
    }

    let failed = h.send(&[poke(payer, mode::ERROR)], &[]).expect_err("error");
    assert_eq!(failed.custom_code(), Some(6000));
    assert!(failed.logs.iter().any(|l| l.contains("the probe fails with an error on purpose")), "{:?}", failed.logs);
    assert_eq!(h.read::<Counter>(&counter_address()).pokes, 1);

    h.must(&[poke(payer, mode::OK)], &[]);
    assert_eq!(h.read::<Counter>(&counter_address()).pokes, 2, "the program still works after the failures");
}
