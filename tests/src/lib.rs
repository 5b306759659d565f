//! End-to-end tests of Mercato; the tests live in `tests/` (one binary per area). This library holds the fixtures
//! they share.

pub mod evm {
    //! The EVM suite deployed by the real deploy script onto a real anvil.

    use alloy::node_bindings::{Anvil, AnvilInstance};
    use mercato_manifest::Manifest;
    use std::path::PathBuf;
    use std::process::Command;

    /// The repository root: the first ancestor of the running package's directory (`CARGO_MANIFEST_DIR`, which cargo
    /// sets when it runs tests and binaries; else the working directory) holding `Cargo.lock`. Looked up at run time on
    /// purpose: cargo reuses a path crate's build across checkouts that share a target directory, so a path baked in
    /// with `env!` can point into another checkout.
    pub fn repo_root() -> PathBuf {
        let start = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::current_dir().expect("a working directory"));
        start
            .ancestors()
            .find(|dir| dir.join("Cargo.lock").exists())
            .unwrap_or_else(|| panic!("no Cargo.lock above {}: run inside the Mercato repository", start.display()))
            .to_owned()
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

pub mod relayer {
    //! A client of the relayer's HTTP API, as the tests drive it.

    use serde_json::Value;
    use std::time::{Duration, Instant};

    /// The relayer at `url`.
    pub struct RelayerClient {
        /// Its base URL (`http://127.0.0.1:<port>`).
        pub url: String,
        http: reqwest::Client,
    }

    impl RelayerClient {
        /// A client of the relayer at `url`.
        pub fn new(url: String) -> Self {
            Self { url, http: reqwest::Client::new() }
        }

        /// POSTs `body` (JSON) with an optional session and Idempotency-Key; the status and the JSON answer.
        pub async fn post(&self, path: &str, body: Value, token: Option<&str>, key: Option<&str>) -> (u16, Value) {
            let mut request = self.http.post(format!("{}{path}", self.url)).json(&body);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(key) = key {
                request = request.header("Idempotency-Key", key);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json().await.unwrap_or(Value::Null))
        }

        /// GETs `path` with an optional session.
        pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
            let mut request = self.http.get(format!("{}{path}", self.url));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json().await.unwrap_or(Value::Null))
        }

        /// Signs up `email`; the session token and the profile.
        pub async fn sign_up(&self, email: &str) -> (String, Value) {
            let body = serde_json::json!({"email": email, "password": "correct horse battery"});
            let (status, session) = self.post("/v1/auth/signup", body, None, None).await;
            assert_eq!(status, 201, "{session}");
            (session["token"].as_str().unwrap().to_owned(), session["user"].clone())
        }

        /// Polls a request until it is confirmed or failed (60 s at most).
        pub async fn wait(&self, id: i64, token: Option<&str>) -> Value {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let (status, view) = self.get(&format!("/v1/requests/{id}"), token).await;
                assert_eq!(status, 200, "{view}");
                if view["status"] == "confirmed" || view["status"] == "failed" {
                    return view;
                }
                assert!(Instant::now() < deadline, "request {id} not final after 60 s: {view}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }

    /// The machine-readable reason of an error answer.
    pub fn reason(body: &Value) -> String {
        body["error"]["reason"].as_str().unwrap_or_else(|| panic!("no error reason in {body}")).to_owned()
    }
}

pub mod solana {
    //! The Solana programs' SBF builds, for the local node.

    use std::path::PathBuf;

    /// The programs' SBF builds (`MERCATO_SBF_DIR`, else `target/deploy`), or `None` (loudly) when
    /// `MERCATO_SKIP_SBF=1` opted out of building them.
    pub fn programs_dir(test: &str) -> Option<PathBuf> {
        if std::env::var("MERCATO_SKIP_SBF").as_deref() == Ok("1") {
            eprintln!("WARNING: MERCATO_SKIP_SBF=1: {test} did NOT run");
            return None;
        }
        Some(
            std::env::var_os("MERCATO_SBF_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| crate::evm::repo_root().join("target/deploy")),
        )
    }
}
