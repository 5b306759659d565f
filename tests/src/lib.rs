//! End-to-end tests of Mercato; the tests live in `tests/` (one binary per area). This library holds the fixtures
//! they share.

pub mod evm {
    //! The EVM suite deployed by the real deploy script onto a real anvil.

    use alloy::node_bindings::{Anvil, AnvilInstance};
    use mercato_manifest::Manifest;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// The repository root.
    pub fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ lives in the repository").to_owned()
    }

    /// A Foundry tool installed by `./mercato setup`.
    pub fn foundry(tool: &str) -> PathBuf {
        let path = repo_root().join("contracts/node_modules/.bin").join(tool);
        assert!(path.exists(), "{} is missing: run ./mercato setup", path.display());
        path
    }

    /// A running anvil with the suite deployed by `script/Deploy.s.sol`; removes its manifest when dropped.
    pub struct Deployed {
        /// The node (stopped on drop).
        pub anvil: AnvilInstance,
        /// The manifest the script wrote.
        pub manifest: Manifest,
        /// Where it wrote it.
        pub manifest_path: PathBuf,
    }

    impl Drop for Deployed {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.manifest_path);
        }
    }

    /// Starts anvil with `anvil_args` (e.g. `["--block-time", "1"]`) and deploys the suite with fast governance.
    pub fn deploy(anvil_args: &[&str]) -> Deployed {
        let anvil = Anvil::at(foundry("anvil")).args(anvil_args.iter().copied()).spawn();
        let network = format!("e2e-{}-{}", std::process::id(), anvil.port());
        let deployer_key = alloy::hex::encode_prefixed(anvil.keys()[0].to_bytes());
        let output = Command::new(foundry("forge"))
            .current_dir(repo_root().join("contracts"))
            .env("FOUNDRY_PROFILE", "deploy")
            .env("PRIVATE_KEY", deployer_key)
            .env("MERCATO_NETWORK", &network)
            .env("MERCATO_EVM_RPC_URL", anvil.endpoint())
            .env("MERCATO_GOV_FAST", "1")
            .args(["script", "script/Deploy.s.sol:Deploy", "--rpc-url", &anvil.endpoint(), "--broadcast", "-q"])
            .output()
            .expect("forge runs");
        assert!(
            output.status.success(),
            "deploy script failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let manifest_path = Manifest::default_path(&repo_root(), &network);
        let manifest = Manifest::load(&manifest_path).expect("the deploy script wrote a valid manifest");
        Deployed { anvil, manifest, manifest_path }
    }
}
