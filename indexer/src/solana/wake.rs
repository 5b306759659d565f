//! Early wake-up from the node's websocket: one `logsSubscribe` per followed address (`mentions`, commitment
//! `confirmed`); any notification wakes the follower, which then runs an ordinary round. Notifications are never
//! ingested themselves — polling (`getSignaturesForAddress` above the checkpoints) stays the only source of truth,
//! so a lost, duplicated or early notification costs at most a round. A dropped connection is re-opened after
//! [`RECONNECT`]; meanwhile the poll interval applies.

use futures_util::StreamExt;
use mercato_solana_client::Pubkey;
use solana_commitment_config::CommitmentConfig;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::{RpcTransactionLogsConfig, RpcTransactionLogsFilter};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// Pause before re-opening a dropped websocket.
pub const RECONNECT: Duration = Duration::from_secs(1);
/// Rounds retried after a wake-up that found nothing new (the notification may precede the node's indexes).
pub const RETRIES: u32 = 5;
/// Pause between those retries.
pub const RETRY: Duration = Duration::from_millis(200);

/// Listens on `ws_url` for transactions mentioning any of `addresses` and calls `wake.notify_one()` for each, until
/// `stop` turns true. `subscribed` is true while every subscription is open.
pub async fn listen(
    ws_url: String,
    addresses: Vec<Pubkey>,
    wake: Arc<Notify>,
    subscribed: Arc<AtomicBool>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        let result = subscribe_and_wait(&ws_url, &addresses, &wake, &subscribed, &mut stop).await;
        subscribed.store(false, Ordering::Relaxed);
        metrics::gauge!("indexer_solana_ws_subscribed").set(0.0);
        match result {
            Ok(()) => return,
            Err(e) => tracing::warn!(%ws_url, error = %e, "Solana websocket lost; polling until it reconnects"),
        }
        tokio::select! {
            _ = tokio::time::sleep(RECONNECT) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Ok when stopped; Err when the connection or a subscription failed or closed.
async fn subscribe_and_wait(
    ws_url: &str,
    addresses: &[Pubkey],
    wake: &Notify,
    subscribed: &AtomicBool,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), String> {
    let client = PubsubClient::new(ws_url).await.map_err(|e| e.to_string())?;
    let mut streams = Vec::with_capacity(addresses.len());
    for address in addresses {
        let filter = RpcTransactionLogsFilter::Mentions(vec![address.to_string()]);
        let config = RpcTransactionLogsConfig { commitment: Some(CommitmentConfig::confirmed()) };
        let (stream, _unsubscribe) = client.logs_subscribe(filter, config).await.map_err(|e| e.to_string())?;
        streams.push(stream);
    }
    tracing::info!(%ws_url, subscriptions = streams.len(), "Solana websocket wake-up subscribed");
    subscribed.store(true, Ordering::Relaxed);
    metrics::gauge!("indexer_solana_ws_subscribed").set(1.0);
    let mut all = futures_util::stream::select_all(streams);
    loop {
        tokio::select! {
            next = all.next() => match next {
                Some(_) => wake.notify_one(),
                None => return Err("subscription closed".into()),
            },
            _ = stop.changed() => return Ok(()),
        }
    }
}
