//! `kill -9` of the indexer binary during a backfill, then a restart: the mirror ends equal to the chain, with no
//! gap and no duplicate (raw events equal the chain's logs one to one; balances equal balanceOf).

use crate::common::{Harness, MRC, assert_mirror_matches_chain};
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use mercato_evm_bindings::MercatoToken;
use mercato_indexer::store;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mercato-indexer");

fn backfill(h: &Harness) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(["backfill", "--initial-range", "1", "--max-range", "2"])
        .env("MERCATO_INDEXER_DATABASE_URL", &h.database_url)
        .env("MERCATO_MANIFEST", &h.deployed.manifest_path)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_backfill_then_restart_leaves_no_gap_and_no_duplicate() {
    let h = Harness::new(&[], "crash").await;
    let owner = h.wallet(0);
    let token = MercatoToken::new(h.evm().contracts.token, &owner);
    // 300 blocks, one transfer each (instant mining, one transaction in flight at a time).
    // Explicit gas: an estimate on the latest block can be short by a votes checkpoint.
    let mut last = None;
    for i in 0..300u64 {
        let to = Address::left_padding_from(&[0xcc, (i % 7) as u8]);
        last = Some(token.transfer(to, U256::from(u128::from(i + 1) * MRC)).gas(300_000).send().await.unwrap());
    }
    let receipt = last.unwrap().with_timeout(Some(Duration::from_secs(30))).get_receipt().await.unwrap();
    assert!(receipt.status());
    let head = owner.get_block_number().await.unwrap();
    assert!(head >= h.evm().deploy_block + 300);

    let mut child = backfill(&h).spawn().unwrap();
    let started = Instant::now();
    let killed_at = loop {
        let at = store::checkpoint(&h.pool, &h.chain).await.unwrap().map(|c| c.number);
        if let Some(at) = at.filter(|a| *a > h.evm().deploy_block + 20) {
            break at;
        }
        assert!(child.try_wait().unwrap().is_none(), "backfill ended before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(60), "backfill made no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(child.try_wait().unwrap().is_none(), "backfill still running when killed");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let after_kill = store::checkpoint(&h.pool, &h.chain).await.unwrap().unwrap().number;
    assert!(after_kill >= killed_at && after_kill < head, "killed mid-way: checkpoint {after_kill} of {head}");

    let output = backfill(&h).stderr(Stdio::piped()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "restarted backfill failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("backfilled to block {head}")), "{stdout}\n{stderr}");
    let events = assert_mirror_matches_chain(&h).await;
    // Every currency transfer is derived exactly once.
    let (transfers,): (i64,) = sqlx::query_as("SELECT count(*) FROM transfers WHERE chain = $1 AND asset = 'currency'")
        .bind(&h.chain)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let (raw,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM raw_events WHERE chain = $1 AND name = 'Transfer' AND address = $2")
            .bind(&h.chain)
            .bind(h.evm().contracts.token.as_slice())
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(transfers, raw);
    assert!(transfers >= 300);
    eprintln!("killed at block {after_kill} of {head}; {events} events mirrored after the restart");

    // For the record: the same chain backfilled from scratch with the default ranges, into a second database.
    let fresh = h._pg.create_database("crash_default_ranges").unwrap();
    let output = Command::new(BIN)
        .arg("backfill")
        .env("MERCATO_INDEXER_DATABASE_URL", &fresh)
        .env("MERCATO_MANIFEST", &h.deployed.manifest_path)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success());
    eprintln!("default ranges: {}", String::from_utf8_lossy(&output.stdout).trim());
}
