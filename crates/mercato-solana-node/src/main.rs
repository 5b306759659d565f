//! `mercato-solana-node`: the local Solana JSON-RPC node with the Mercato programs, initialized and written into the
//! deployment manifest. Runs until Ctrl-C or SIGTERM.

use clap::Parser;
use mercato_manifest::Manifest;
use mercato_solana_node::deploy::{self, Roles};
use mercato_solana_node::{LocalNode, NodeConfig, client, demo, localnet};
use solana_signer::Signer;
use std::path::PathBuf;
use std::process::ExitCode;

/// A local Solana node (surfpool, offline, 127.0.0.1) with the Mercato programs loaded.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// HTTP JSON-RPC port.
    #[arg(long, env = "MERCATO_SOLANA_RPC_PORT", default_value_t = 8899)]
    rpc_port: u16,
    /// WebSocket (PubSub) port.
    #[arg(long, env = "MERCATO_SOLANA_WS_PORT", default_value_t = 8900)]
    ws_port: u16,
    /// Directory with the programs' SBF builds (`./mercato sbf` writes them to target/deploy).
    #[arg(long, env = "MERCATO_SBF_DIR", default_value = "target/deploy")]
    programs: PathBuf,
    /// Milliseconds per slot.
    #[arg(long, default_value_t = 400)]
    slot_ms: u64,
    /// Initialize the economy with the localnet keys and write the Solana section into this manifest (created if
    /// missing; its other sections are kept).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// After initializing, seed a demo economy (traders, items, open listings of every kind, a sale, an open
    /// proposal) and write what it made to this JSON file. Needs --manifest.
    #[arg(long, requires = "manifest")]
    demo: Option<PathBuf>,
    /// Short governance timings (10-minute vote, 2-minute hold-up, 1 MRC to propose).
    #[arg(long, env = "MERCATO_GOV_FAST")]
    fast_governance: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(format!("cannot start a runtime: {e}")),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("mercato-solana-node: {message}");
    ExitCode::FAILURE
}

async fn run(args: Args) -> Result<(), String> {
    let config = NodeConfig {
        rpc_port: args.rpc_port,
        ws_port: args.ws_port,
        programs_dir: args.programs,
        slot_time_ms: args.slot_ms,
    };
    let node = LocalNode::start(&config).map_err(|e| e.to_string())?;
    if let Some(path) = &args.manifest {
        let rpc = client::rpc_client(node.rpc_url());
        let roles = Roles {
            deployer: localnet::deployer(),
            game_server: localnet::game_server(),
            genesis_holder: localnet::genesis_holder(),
        };
        for key in [&roles.deployer, &roles.game_server, &roles.genesis_holder] {
            client::airdrop(&rpc, &key.pubkey(), 1_000 * 1_000_000_000)
                .await
                .map_err(|e| format!("airdrop to {}: {e}", key.pubkey()))?;
        }
        let solana = deploy::deploy(&rpc, node.ws_url(), &roles, args.fast_governance)
            .await
            .map_err(|e| format!("initializing the economy: {e}"))?;
        let mut manifest = if path.exists() {
            Manifest::load(path).map_err(|e| e.to_string())?
        } else {
            Manifest { network: "localnet".into(), evm: None, solana: None }
        };
        if let Some(demo_path) = &args.demo {
            let demo = demo::seed(&rpc, &solana, &roles).await.map_err(|e| e.to_string())?;
            let text = serde_json::to_string_pretty(&demo).map_err(|e| e.to_string())?;
            std::fs::write(demo_path, text + "\n").map_err(|e| format!("cannot write {}: {e}", demo_path.display()))?;
            println!("demo economy seeded: {}", demo_path.display());
        }
        manifest.solana = Some(solana);
        manifest.save(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("economy initialized; manifest: {}", path.display());
    }
    println!("solana node ready: JSON-RPC {} WebSocket {}", node.rpc_url(), node.ws_url());

    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| format!("cannot listen for SIGTERM: {e}"))?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    node.stop().map_err(|e| e.to_string())
}
