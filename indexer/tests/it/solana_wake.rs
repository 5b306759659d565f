//! The websocket wake-up: with a 60 s poll interval, new transactions are indexed within a 20 s deadline of being
//! sent — only a `logsSubscribe` notification can start that round (the follower's only timed round is 60 s after
//! the previous one, and the test checks it finishes well before 60 s after the follower started).

use crate::solana::{SolanaFixture, pay};
use mercato_solana_client::defaults::MRC;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_secs(60);
const DEADLINE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread")]
async fn solana_websocket_wakes_the_poller_before_the_poll_interval() {
    let Some(f) = SolanaFixture::start("the indexer's Solana wake-up test", "solana_wake").await else { return };
    let indexer = f.indexer(POLL).with_ws(Some(f.node.ws_url().to_owned()));
    let chain = indexer.chain().to_owned();
    let subscribed = indexer.ws_subscribed();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let follower = tokio::spawn(indexer.follow(stopped));
    // The first round runs at once; then the follower sleeps for the poll interval.
    while mercato_indexer::solana::store::checkpoint(&f.pool, &chain).await.unwrap().is_none()
        || !subscribed.load(Ordering::Relaxed)
    {
        assert!(started.elapsed() < DEADLINE, "no first round or no subscription after {DEADLINE:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let wallet = Keypair::new();
    for round in 0..3u64 {
        // A payment through the currency mint (a followed address).
        pay(&f.rpc, &f.roles.genesis_holder, &wallet.pubkey(), (round + 1) * MRC).await;
        let sent = Instant::now();
        let expected = ((round + 1) * (round + 2) / 2 * MRC).to_string();
        loop {
            let balance: Option<(String,)> =
                sqlx::query_as("SELECT balance::text FROM accounts WHERE chain = $1 AND address = $2")
                    .bind(&chain)
                    .bind(wallet.pubkey().to_bytes().to_vec())
                    .fetch_optional(&f.pool)
                    .await
                    .unwrap();
            if balance.is_some_and(|(b,)| b == expected) {
                break;
            }
            assert!(sent.elapsed() < DEADLINE, "payment {round} not indexed {DEADLINE:?} after it was confirmed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eprintln!("payment {round} indexed {:?} after its confirmation", sent.elapsed());
    }
    assert!(started.elapsed() < POLL, "the test ran past the first poll interval: it proves nothing");
    stop.send(true).unwrap();
    follower.await.unwrap().unwrap();
}
