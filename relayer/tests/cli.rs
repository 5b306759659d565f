//! The `mercato-relayer` binary: making a master key, serving with debug logs (which must hold no password, token or
//! key), rotating the master key, and refusing to start without one.

use mercato_postgres::LocalPostgres;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mercato-relayer");
const PASSWORD: &str = "a password nobody should ever log";

fn gen_master_key(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, String) {
    let output = Command::new(BIN).arg("gen-master-key").output().unwrap();
    assert!(output.status.success());
    let key = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert_eq!(key.len(), 64);
    assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
    let path = dir.join(name);
    std::fs::write(&path, &key).unwrap();
    (path, key)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn serves_rotates_and_never_logs_secrets() {
    let pg = LocalPostgres::start().unwrap();
    let database = pg.create_database("relayer_cli").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (old_key_file, old_key) = gen_master_key(dir.path(), "old.key");
    let log_path = dir.path().join("relayer.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--master-key-file")
        .arg(&old_key_file)
        .env("MERCATO_RELAYER_DATABASE_URL", &database)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Killed even when an assertion below fails.
    let mut child = KillOnDrop(child);
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains(&format!("listening on http://127.0.0.1:{port}")), "{line:?}");

    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}");
    let credentials = json!({"email": "frank@example.com", "password": PASSWORD});
    let signed_up: Value =
        http.post(format!("{url}/v1/auth/signup")).json(&credentials).send().await.unwrap().json().await.unwrap();
    let token = signed_up["token"].as_str().expect("a session token").to_owned();
    let wrong = json!({"email": "frank@example.com", "password": format!("{PASSWORD}!")});
    assert_eq!(http.post(format!("{url}/v1/auth/login")).json(&wrong).send().await.unwrap().status(), 401);
    let me = http.get(format!("{url}/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), 200);
    child.0.kill().unwrap();
    child.0.wait().unwrap();

    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(logs.contains("/v1/auth/signup"), "the requests were logged at all:\n{logs}");
    for secret in [PASSWORD, token.as_str(), old_key.as_str()] {
        assert!(!logs.contains(secret), "a secret reached the logs");
    }

    // Rotation: the new key is current, the old one is given as previous; afterwards the server starts with the
    // new key alone and the user still logs in.
    let (new_key_file, _) = gen_master_key(dir.path(), "new.key");
    let output = Command::new(BIN)
        .arg("rotate-master-key")
        .arg("--master-key-file")
        .arg(&new_key_file)
        .arg("--previous-master-key-file")
        .arg(&old_key_file)
        .env("MERCATO_RELAYER_DATABASE_URL", &database)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("rewrapped 1 data keys"));

    let pool = mercato_relayer::db::connect(&database, 1).await.unwrap();
    let store = mercato_relayer::config::DatabaseArgs {
        database_url: database.clone(),
        master_key_file: Some(new_key_file),
        previous_master_key_files: vec![],
    }
    .key_store()
    .unwrap();
    let user_id: (i64,) = sqlx::query_as("SELECT id FROM users").fetch_one(&pool).await.unwrap();
    let keys = mercato_relayer::keys::load(&pool, &store, user_id.0).await.expect("the new key alone decrypts");
    assert_eq!(keys.evm.address().to_checksum(None), signed_up["user"]["evm_address"].as_str().unwrap());
}

#[test]
fn refuses_to_start_without_a_master_key() {
    let output = Command::new(BIN)
        .args(["serve", "--database-url", "postgres://127.0.0.1:1/none"])
        .env_remove("MERCATO_RELAYER_MASTER_KEY")
        .env_remove("MERCATO_RELAYER_MASTER_KEY_FILE")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no master key") && stderr.contains("gen-master-key"), "{stderr}");
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
