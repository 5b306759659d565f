//! Wash-trade flags, by the rules of Dune's `nft.wash_trades`, computed at ingest: [`flag_new_sales`] runs inside
//! the batch's transaction (called from `store::commit`) over the sales of the blocks being committed, so prices
//! read precomputed flags and a rollback (which deletes `wash_trades` rows above the ancestor) undoes them.
//!
//! Rules (a sale may match several; each is one row of `wash_trades`):
//! - `self_trade`: buyer == seller.
//! - `back_and_forth`: the same item went A→B and then B→A within 30 days; both sales are flagged.
//! - `repeat_buyer`: one wallet bought the same item 3 or more times within 30 days; every sale in that window is
//!   flagged.
//! - `common_funder`: buyer and seller were first funded by the same address. EVM: their first inbound currency
//!   transfer before the sale, not counting the zero address (mints) and the auction house (sale proceeds,
//!   refunds). Solana ([`flag_new_solana_sales`]): the first SOL (lamports) transfer into the wallet — every Solana
//!   wallet must receive SOL before it can sign anything, and wallet-to-wallet currency payments emit no event the
//!   mirror keeps — read once per wallet from the node (`crate::solana::funders`).
//!
//! Solana sales are flagged by the same SQL over the same `sales` table (`block_number` = slot), in the round's
//! database transaction; the Solana rollback deletes `wash_trades` (and `solana_funders`) above the slot it
//! returns to. `self_trade` cannot occur on either chain's market (the EVM AuctionHouse and the Solana auction
//! program both refuse a seller buying their own listing), and is kept for other markets.
//!
//! Dune's flash-loan rule does not apply: a sale here is paid from the buyer's balance (or auction-house credits)
//! in the market contract's own call, and the suite's currency has no flash-mint or flash-loan entry point, so a
//! trade cannot be financed and repaid inside the same transaction by the suite's own contracts.

use sqlx::{Postgres, Transaction};

/// 30 days, seconds: the window of the `back_and_forth` and `repeat_buyer` rules.
pub const WINDOW_SECS: i64 = 30 * 86_400;

/// Flags the EVM sales of `chain` in blocks `(after, last]` (after: the previous checkpoint, `None` for the first
/// batch) and any earlier sale a new one incriminates. A flag carries the block of the sale that raised it (the
/// earliest, when several did), so a rollback removes it exactly when that sale is rolled back. Idempotent.
pub async fn flag_new_sales(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    after: Option<u64>,
    last: u64,
) -> Result<(), sqlx::Error> {
    flag(tx, chain, after, last, EVM_FIRST_FUNDER, EVM_NOT_A_FUNDER).await
}

/// Flags the Solana sales of `chain` in slots `(after, last]`, as [`flag_new_sales`] does on EVM, with the slot as
/// the block. `common_funder` reads each wallet's first SOL funder from `solana_funders` (see
/// `crate::solana::funders`), which must hold the new sales' buyers and sellers before this runs; a wallet whose
/// funder could not be read (NULL) matches nobody.
pub async fn flag_new_solana_sales(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    after: Option<u64>,
    last: u64,
) -> Result<(), sqlx::Error> {
    flag(tx, chain, after, last, SOLANA_FIRST_FUNDER, "").await
}

/// EVM: a wallet's first funder is the sender of its first inbound currency transfer before the sale. `$w` is the
/// wallet column.
const EVM_FIRST_FUNDER: &str = "SELECT t.from_address FROM transfers t
    WHERE t.chain = s.chain AND t.asset = 'currency' AND t.to_address = $w
      AND (t.block_number, t.log_index) < (s.block_number, s.log_index)
    ORDER BY t.block_number, t.log_index LIMIT 1";

/// EVM: a first funding by the zero address (a mint) or the auction house (proceeds, refunds) links nobody.
const EVM_NOT_A_FUNDER: &str = "AND fb.from_address <> '\\x0000000000000000000000000000000000000000'::bytea
    AND fb.from_address <> s.house";

/// Solana: the wallet's first SOL funder, read from the node once per wallet (`solana_funders`).
const SOLANA_FIRST_FUNDER: &str = "SELECT f.funder FROM solana_funders f
    WHERE f.chain = s.chain AND f.wallet = $w AND f.funder IS NOT NULL";

async fn flag(
    tx: &mut Transaction<'_, Postgres>,
    chain: &str,
    after: Option<u64>,
    last: u64,
    first_funder: &str,
    not_a_funder: &str,
) -> Result<(), sqlx::Error> {
    let after = after.map_or(-1, |a| a as i64);
    let buyer_funder = first_funder.replace("$w", "s.buyer");
    let seller_funder = first_funder.replace("$w", "s.seller");
    sqlx::query(&format!(
        "WITH new AS (SELECT * FROM sales WHERE chain = $1 AND block_number > $2 AND block_number <= $3),
         flags (sale_block, sale_log, rule, by_block) AS (
            SELECT block_number, log_index, 'self_trade', block_number FROM new WHERE buyer = seller
          UNION
            SELECT x.b, x.l, 'back_and_forth', s.block_number
            FROM new s JOIN sales p ON p.chain = s.chain AND p.nft = s.nft AND p.token_id = s.token_id
                 AND p.seller = s.buyer AND p.buyer = s.seller AND p.buyer <> p.seller
                 AND (p.block_number, p.log_index) < (s.block_number, s.log_index)
                 AND p.block_time >= s.block_time - {WINDOW_SECS}
            CROSS JOIN LATERAL (VALUES (s.block_number, s.log_index), (p.block_number, p.log_index)) x (b, l)
          UNION
            SELECT q.block_number, q.log_index, 'repeat_buyer', s.block_number
            FROM new s CROSS JOIN LATERAL (
                SELECT w.block_number, w.log_index, count(*) OVER () AS n FROM sales w
                WHERE w.chain = s.chain AND w.nft = s.nft AND w.token_id = s.token_id AND w.buyer = s.buyer
                  AND w.block_time >= s.block_time - {WINDOW_SECS}
                  AND (w.block_number, w.log_index) <= (s.block_number, s.log_index)) q
            WHERE q.n >= 3
          UNION
            SELECT s.block_number, s.log_index, 'common_funder', s.block_number
            FROM new s
            CROSS JOIN LATERAL ({buyer_funder}) fb (from_address)
            CROSS JOIN LATERAL ({seller_funder}) fs (from_address)
            WHERE s.buyer <> s.seller AND fb.from_address = fs.from_address {not_a_funder})
         INSERT INTO wash_trades (chain, block_number, sale_block, sale_log, rule)
         SELECT $1, min(by_block), sale_block, sale_log, rule FROM flags GROUP BY sale_block, sale_log, rule
         ON CONFLICT DO NOTHING"
    ))
    .bind(chain)
    .bind(after)
    .bind(last as i64)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
