//! Loading and validating manifests from files.

use mercato_manifest::{Manifest, ManifestError};
use std::io::Write;

fn write(content: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(content.as_bytes()).unwrap();
    file
}

fn evm_manifest(token: &str, items: &str, rpc: &str) -> String {
    format!(
        r#"{{
  "network": "localnet",
  "evm": {{
    "chainId": 31337, "rpcUrl": "{rpc}", "deployBlock": 7,
    "deployer": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "contracts": {{
      "forwarder": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      "timelock": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      "economyConfig": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      "token": "{token}",
      "items": "{items}",
      "auctionHouse": "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
      "governor": "0x0165878A594ca255338adfa4d48449f69242Eb8F"
    }}
  }}
}}"#
    )
}

const TOKEN: &str = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9";
const ITEMS: &str = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";

#[test]
fn loads_a_deploy_script_manifest() {
    let file = write(&evm_manifest(TOKEN, ITEMS, "http://127.0.0.1:8545"));
    let manifest = Manifest::load(file.path()).unwrap();
    let evm = manifest.require_evm(file.path()).unwrap();
    assert_eq!(manifest.network, "localnet");
    assert_eq!(evm.chain_id, 31337);
    assert_eq!(evm.deploy_block, 7);
    assert_eq!(evm.contracts.token.to_string(), TOKEN);
    assert_eq!(evm.contracts.named().len(), 7);
}

#[test]
fn round_trips_through_json() {
    let file = write(&evm_manifest(TOKEN, ITEMS, "ws://localhost:8546"));
    let manifest = Manifest::load(file.path()).unwrap();
    let again: Manifest = serde_json::from_str(&serde_json::to_string(&manifest).unwrap()).unwrap();
    assert_eq!(manifest, again);
}

#[test]
fn rejects_duplicate_addresses() {
    let file = write(&evm_manifest(TOKEN, TOKEN, "http://127.0.0.1:8545"));
    let err = Manifest::load(file.path()).unwrap_err();
    assert!(matches!(err, ManifestError::Invalid { .. }), "{err}");
    assert!(err.to_string().contains("evm.contracts.items and evm.contracts.token share address"), "{err}");
}

#[test]
fn rejects_zero_addresses_and_bad_urls() {
    let zero = "0x0000000000000000000000000000000000000000";
    let err = Manifest::load(write(&evm_manifest(TOKEN, zero, "http://x")).path()).unwrap_err();
    assert!(err.to_string().contains("evm.contracts.items is the zero address"), "{err}");
    let err = Manifest::load(write(&evm_manifest(TOKEN, ITEMS, "127.0.0.1:8545")).path()).unwrap_err();
    assert!(err.to_string().contains("is not an http(s) or ws(s) URL"), "{err}");
}

#[test]
fn reports_malformed_json_with_position() {
    let file = write(r#"{"network": "localnet", "evm": {"chainId": "#);
    let err = Manifest::load(file.path()).unwrap_err();
    assert!(matches!(err, ManifestError::Parse { .. }), "{err}");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn reports_missing_file_and_missing_section() {
    let err = Manifest::load("/nonexistent/mercato.json").unwrap_err();
    assert!(matches!(err, ManifestError::Read { .. }), "{err}");
    let file = write(r#"{"network": "localnet"}"#);
    let manifest = Manifest::load(file.path()).unwrap();
    let err = manifest.require_evm(file.path()).unwrap_err();
    assert!(err.to_string().contains("has no evm section"), "{err}");
}

fn solana_manifest(items_program: &str, ws: &str) -> String {
    format!(
        r#"{{
  "network": "localnet",
  "solana": {{
    "rpcUrl": "http://127.0.0.1:8899", "wsUrl": "{ws}", "deploySlot": 3,
    "deployer": "SUrFPooLSUrFPooLSUrFPooLSUrFPooLSUrFPooLSUr",
    "gameServer": "11111111111111111111111111111111",
    "genesisHolder": "11111111111111111111111111111111",
    "programs": {{
      "token": "7MHTszZ75BsmesjSWq3NRFH1PZoKG5xS6Ayct17XF2xy",
      "items": "{items_program}",
      "auction": "8Afq8nTmywu7toHG6qdJhh19esUpAdG9eKKdAqEXzvDc",
      "governance": "GUEeAif2mCTdt6LU6Dug1CMEYbmdqAXVMwsFuxAmStuU"
    }},
    "accounts": {{
      "economyConfig": "11111111111111111111111111111111", "currencyMint": "11111111111111111111111111111111",
      "treasury": "11111111111111111111111111111111", "itemsConfig": "11111111111111111111111111111111",
      "collection": "11111111111111111111111111111111", "auctionHouse": "11111111111111111111111111111111",
      "governance": "11111111111111111111111111111111"
    }}
  }}
}}"#
    )
}

const ITEMS_PROGRAM: &str = "Cx2ZGBZJmt7GhcZdvomgrLywkY9yAfPTc49MBp4JHoug";

#[test]
fn loads_and_saves_a_solana_section() {
    let file = write(&solana_manifest(ITEMS_PROGRAM, "ws://127.0.0.1:8900"));
    let manifest = Manifest::load(file.path()).unwrap();
    let solana = manifest.require_solana(file.path()).unwrap();
    assert_eq!(solana.programs.items.to_string(), ITEMS_PROGRAM);
    assert_eq!(solana.deploy_slot, 3);
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("localnet.json");
    manifest.save(&saved).unwrap();
    assert_eq!(Manifest::load(&saved).unwrap(), manifest);
    assert!(std::fs::read_to_string(&saved).unwrap().contains(&format!("\"items\": \"{ITEMS_PROGRAM}\"")));
    assert!(manifest.require_evm(file.path()).is_err());
}

#[test]
fn rejects_bad_solana_addresses_urls_and_duplicate_programs() {
    let err = Manifest::load(write(&solana_manifest("not-base58-0OIl", "ws://x")).path()).unwrap_err();
    assert!(matches!(err, ManifestError::Parse { .. }), "{err}");
    assert!(err.to_string().contains("is not a base58 Solana address"), "{err}");
    let err = Manifest::load(write(&solana_manifest(ITEMS_PROGRAM, "http://x")).path()).unwrap_err();
    assert!(err.to_string().contains("solana.wsUrl \"http://x\" is not a ws:// or wss:// URL"), "{err}");
    let token = "7MHTszZ75BsmesjSWq3NRFH1PZoKG5xS6Ayct17XF2xy";
    let err = Manifest::load(write(&solana_manifest(token, "ws://x")).path()).unwrap_err();
    assert!(err.to_string().contains("solana.programs.items and solana.programs.token share id"), "{err}");
}
