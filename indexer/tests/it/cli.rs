//! The `serve` binary: prints its URL, logs its effective configuration with the database password masked, follows
//! the chain until ready, and serves the API.

use crate::common::Harness;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mercato-indexer");

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_prints_its_url_masks_the_password_and_becomes_ready() {
    let h = Harness::new(&[], "cli").await;
    // Trust authentication ignores the password; it must not reach the logs.
    let url = h.database_url.replacen("postgres@", "postgres:hunter2secret@", 1);
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("indexer.log");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--poll-ms", "50"])
        .env("MERCATO_INDEXER_DATABASE_URL", &url)
        .env("MERCATO_MANIFEST", &h.deployed.manifest_path)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut child = KillOnDrop(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("indexer listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();

    let started = Instant::now();
    loop {
        let response = reqwest::get(format!("{base}/readyz")).await.unwrap();
        if response.status() == 200 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "not ready: {}", response.text().await.unwrap());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let deployer = format!("{:#x}", h.evm().deployer);
    let account: serde_json::Value =
        reqwest::get(format!("{base}/v1/accounts/{deployer}")).await.unwrap().json().await.unwrap();
    assert_eq!(account["address"], deployer);
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);

    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(logs.contains("effective configuration"), "{logs}");
    assert!(logs.contains("postgres:***@"), "the masked URL is logged");
    assert!(!logs.contains("hunter2secret"), "the password reached the logs");
}
