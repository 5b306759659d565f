//! First SOL funders, for the Solana `common_funder` wash rule (`crate::wash::flag_new_solana_sales`).
//!
//! Every Solana wallet has to receive lamports before it can sign (fees, rent), so the transaction that first
//! credited it SOL links it to whoever paid — the Solana counterpart of Dune's "first funded by". The indexer does
//! not follow the System program, so it reads this from the node, once per wallet, when the wallet first appears
//! as a buyer or seller: `getSignaturesForAddress` paged back to the wallet's oldest signatures (at most
//! [`MAX_PAGES`] pages of 1,000), then `getTransaction` of the oldest successful ones until one raised the wallet's
//! lamports; the funder is the account whose lamports fell the most there (the sender of the transfer, or the fee
//! payer that created the account). A wallet with a longer history, or whose history no longer shows the funding
//! (a node with pruned history), gets no funder and matches nobody.

use super::source::{SolanaSource, SourceError};
use mercato_solana_client::Pubkey;

/// Pages of 1,000 signatures read back at most per wallet.
pub const MAX_PAGES: usize = 10;
/// Oldest successful transactions inspected per wallet.
const OLDEST: usize = 4;

/// A wallet's first funder as stored in `solana_funders`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunderRow {
    /// The wallet.
    pub wallet: Pubkey,
    /// Who first credited it SOL (`None`: unknown).
    pub funder: Option<Pubkey>,
    /// The funding transaction's slot (unknown funder: the slot of the round that looked).
    pub slot: u64,
    /// The funding transaction's signature.
    pub signature: Option<Vec<u8>>,
}

/// Reads `wallet`'s first funder from the node; `looked_at` is the slot recorded when none is found.
pub async fn read(source: &SolanaSource, wallet: Pubkey, looked_at: u64) -> Result<FunderRow, SourceError> {
    let text = wallet.to_string();
    let unknown = FunderRow { wallet, funder: None, slot: looked_at, signature: None };
    let Some(oldest) = source.oldest_signatures(&text, MAX_PAGES, OLDEST * 2).await? else {
        tracing::info!(%wallet, "history longer than {MAX_PAGES} pages: first funder unknown");
        return Ok(unknown);
    };
    for s in oldest.iter().filter(|s| !s.failed).take(OLDEST) {
        if let Some(f) = source.funding(&s.signature, &text).await? {
            return Ok(FunderRow {
                wallet,
                funder: f.funder.parse().ok(),
                slot: f.slot,
                signature: bs58::decode(&f.signature).into_vec().ok(),
            });
        }
    }
    Ok(unknown)
}
