//! Reorgs of depth 1, 3 and 10 while the indexer follows the chain live: afterwards the mirror equals the canonical
//! chain (logs, blocks, balances, voting power, owners), and the replaced transactions are gone from it.

use crate::common::{Harness, MRC, assert_mirror_matches_chain};
use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::providers::ext::AnvilApi;
use alloy::rpc::types::TransactionRequest;
use alloy::rpc::types::anvil::{ReorgOptions, TransactionData};
use alloy::sol_types::SolCall;
use mercato_evm_bindings::MercatoToken;
use mercato_indexer::ingest::IngestConfig;
use std::time::{Duration, Instant};

fn recipient(round: u8, i: u8, replaced: bool) -> Address {
    Address::left_padding_from(&[0xee, u8::from(replaced), round, i])
}

#[tokio::test(flavor = "multi_thread")]
async fn reorgs_of_depth_1_3_and_10_while_following_leave_the_mirror_equal_to_the_chain() {
    let mut h = Harness::new(&[], "reorgs").await;
    let owner = h.wallet(0);
    let c = h.evm().contracts;
    let token = MercatoToken::new(c.token, &owner);
    let other = h.address(4);
    // Manual mining from here on: every block is made by the test.
    owner.anvil_set_auto_mine(false).await.unwrap();
    // Explicit gas limits throughout: an estimate made on the latest block can be short by a votes checkpoint when
    // the block that includes the transaction has a later timestamp.
    let _ = token.transfer(other, U256::from(1_000 * MRC)).gas(300_000).send().await.unwrap();
    owner.evm_mine(None).await.unwrap();
    let config = IngestConfig { poll: Duration::from_millis(20), undo_window: 64, ..IngestConfig::default() };
    h.follow_and_serve(config).await;
    h.wait_synced().await;

    for (round, depth) in [1u64, 3, 10].into_iter().enumerate() {
        let round = round as u8;
        // depth + 2 blocks, each with a transfer from the owner (nonces from the chain: a reorg drops some)
        let mut sent: Vec<B256> = Vec::new();
        let first_nonce = owner.get_transaction_count(h.address(0)).await.unwrap();
        for i in 0..depth + 2 {
            let amount = U256::from((u128::from(round) * 100 + u128::from(i) + 1) * MRC);
            let pending = token
                .transfer(recipient(round, i as u8, false), amount)
                .nonce(first_nonce + i)
                .gas(300_000)
                .send()
                .await
                .unwrap();
            sent.push(*pending.tx_hash());
            owner.evm_mine(None).await.unwrap();
        }
        h.wait_synced().await;
        assert_mirror_matches_chain(&h).await;
        // Before the reorg: each transfer is mirrored exactly when it is canonical (a transaction dropped by the
        // previous round's reorg may take a nonce back), and the last `depth` are canonical, so the reorg has
        // something to replace.
        for tx in &sent {
            let receipt = owner.get_transaction_receipt(*tx).await.unwrap();
            assert!(receipt.as_ref().is_none_or(|r| r.status()), "transaction {tx} reverted");
            assert_eq!(count_txs(&h, &[*tx]).await == 1, receipt.is_some(), "transaction {tx} before the reorg");
        }
        let last = &sent[sent.len() - depth as usize..];
        assert_eq!(count_txs(&h, last).await, depth as i64, "the last {depth} transfers are mirrored");
        // Replace the last `depth` blocks: the other account's transfers instead of the owner's.
        let nonce = owner.get_transaction_count(other).await.unwrap();
        let pairs: Vec<(TransactionData, u64)> = (0..depth)
            .map(|i| {
                let call = MercatoToken::transferCall { to: recipient(round, i as u8, true), value: U256::from(MRC) };
                let request = TransactionRequest::default()
                    .from(other)
                    .to(c.token)
                    .nonce(nonce + i)
                    .gas_limit(200_000)
                    .input(call.abi_encode().into());
                (TransactionData::JSON(request), i)
            })
            .collect();
        let head_before = owner.get_block_number().await.unwrap();
        let reorged = Instant::now();
        owner.anvil_reorg(ReorgOptions { depth, tx_block_pairs: pairs }).await.unwrap();
        assert_eq!(owner.get_block_number().await.unwrap(), head_before, "anvil_reorg keeps the height");
        h.wait_synced().await;
        let status = h.status.as_ref().unwrap();
        let rollback = status.last_rollback_micros.swap(0, std::sync::atomic::Ordering::Relaxed);
        assert!(rollback > 0, "depth {depth}: the indexer rolled back (not only re-read)");
        eprintln!(
            "depth {depth}: rollback transaction {rollback} µs; mirror back at the head {} ms after the reorg",
            reorged.elapsed().as_millis()
        );
        assert_mirror_matches_chain(&h).await;

        // The replaced transactions are in the mirror exactly when the chain still has them, and the reorg did
        // replace some (else this round proves nothing).
        let mut gone = 0;
        for tx in last {
            let canonical = owner.get_transaction_receipt(*tx).await.unwrap().is_some();
            let stored = count_txs(&h, &[*tx]).await == 1;
            assert_eq!(stored, canonical, "transaction {tx}: mirrored {stored}, canonical {canonical}");
            gone += usize::from(!canonical);
        }
        assert_eq!(gone as u64, depth, "the reorg replaced the last {depth} blocks' transfers");
        let (replacements,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM transfers WHERE chain = $1 AND asset = 'currency' AND from_address = $2
             AND to_address = ANY($3)",
        )
        .bind(&h.chain)
        .bind(other.as_slice())
        .bind((0..depth).map(|i| recipient(round, i as u8, true).to_vec()).collect::<Vec<_>>())
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(replacements as u64, depth, "the replacing transfers are mirrored");
        // The undo log holds no record above the checkpoint.
        let (stale,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM undo_log WHERE chain = $1 AND block_number > (SELECT block_number FROM checkpoints
             WHERE chain = $1)",
        )
        .bind(&h.chain)
        .fetch_one(&h.pool)
        .await
        .unwrap();
        assert_eq!(stale, 0);
    }

    // A chain that gets shorter (anvil_rollback drops the last blocks): the mirror follows it down.
    let head = owner.get_block_number().await.unwrap();
    owner.anvil_rollback(Some(4)).await.unwrap();
    assert_eq!(owner.get_block_number().await.unwrap(), head - 4);
    h.wait_synced().await;
    assert_mirror_matches_chain(&h).await;
    let (max_block,): (Option<i64>,) = sqlx::query_as("SELECT max(number) FROM blocks WHERE chain = $1")
        .bind(&h.chain)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(max_block, Some(head as i64 - 4), "no block above the new head is left");

    let (status, _) = h.get("/readyz").await;
    assert_eq!(status, 200, "ready once caught up");
}

async fn count_txs(h: &Harness, txs: &[B256]) -> i64 {
    let hashes: Vec<Vec<u8>> = txs.iter().map(|t| t.to_vec()).collect();
    let (n,): (i64,) =
        sqlx::query_as("SELECT count(DISTINCT tx_hash) FROM raw_events WHERE chain = $1 AND tx_hash = ANY($2)")
            .bind(&h.chain)
            .bind(hashes)
            .fetch_one(&h.pool)
            .await
            .unwrap();
    n
}
