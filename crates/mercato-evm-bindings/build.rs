//! Fails early, with the fix in the message, when the forge artifacts the bindings are generated from are missing.

use std::path::Path;

const ARTIFACTS: &[&str] = &[
    "MercatoToken.sol/MercatoToken.json",
    "MercatoItems.sol/MercatoItems.json",
    "AuctionHouse.sol/AuctionHouse.json",
    "EconomyConfig.sol/EconomyConfig.json",
    "MercatoGovernor.sol/MercatoGovernor.json",
    "MercatoForwarder.sol/MercatoForwarder.json",
    "TimelockController.sol/TimelockController.json",
];

fn main() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts/out");
    for artifact in ARTIFACTS {
        let path = out.join(artifact);
        println!("cargo:rerun-if-changed={}", path.display());
        if !path.exists() {
            panic!(
                "forge artifact {} is missing: compile the contracts first (`./mercato setup` then \
                 `cd contracts && node_modules/.bin/forge build`, or just `./mercato test`)",
                path.display()
            );
        }
    }
}
