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
    // Read at run time: a build script compiled in one checkout may be reused (shared CARGO_TARGET_DIR) by another.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = Path::new(&manifest_dir).join("../../contracts/out");
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
