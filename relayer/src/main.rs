//! `mercato-relayer`: serve the API, rotate the master key, or make one.

use clap::Parser;
use mercato_manifest::Manifest;
use mercato_relayer::api::sponsor::SponsorPolicy;
use mercato_relayer::config::{self, Cli, Command};
use mercato_relayer::evm::{engine::EvmConfig, engine::EvmEngine, policy::Allowlist};
use mercato_relayer::{accounts, api, db, keys};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mercato-relayer: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::GenMasterKey => {
            println!("{}", keys::LocalKeyStore::generate_hex().as_str());
            Ok(())
        }
        Command::RotateMasterKey(args) => {
            let store = args.key_store().map_err(|e| e.to_string())?;
            let pool = db::connect(&args.database_url, 2).await.map_err(|e| format!("database: {e}"))?;
            let rewrapped = keys::rotate_master_key(&pool, &store).await.map_err(|e| e.to_string())?;
            println!("rewrapped {rewrapped} data keys under master key {}", keys::KeyStore::current_key_id(&store));
            Ok(())
        }
        Command::Serve(args) => {
            let store = args.database.key_store().map_err(|e| e.to_string())?;
            let pool = db::connect(&args.database.database_url, 16).await.map_err(|e| format!("database: {e}"))?;
            let purged = accounts::purge_expired_sessions(&pool).await.map_err(|e| format!("database: {e}"))?;
            tracing::info!(purged, "expired sessions removed");
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            let keys: Arc<dyn keys::KeyStore> = Arc::new(store);
            let policy = SponsorPolicy { user_daily_gas: args.user_daily_gas, global_daily_gas: args.global_daily_gas };
            let mut state =
                api::AppState::new(pool.clone(), keys.clone(), args.session_ttl, mercato_relayer::metrics_handle())
                    .with_policy(policy, args.requests_per_minute)
                    .with_auth_limit(args.auth_per_ip_per_minute);
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let mut engine_task = None;
            if let Some(path) = &args.manifest {
                let manifest = Manifest::load(path).map_err(|e| e.to_string())?;
                let evm = manifest.require_evm(path).map_err(|e| e.to_string())?;
                let senders = match &args.evm_sender_keys_file {
                    Some(file) => config::read_sender_keys(file)?,
                    None => return Err("EVM sponsorship needs --evm-sender-keys-file".into()),
                };
                let rpc_url = args.evm_rpc_url.clone().unwrap_or_else(|| evm.rpc_url.clone());
                let engine_config = EvmConfig {
                    chain_id: evm.chain_id,
                    forwarder: evm.contracts.forwarder,
                    senders,
                    confirmations: args.evm_confirmations.max(1),
                    bump_after_blocks: args.evm_bump_after_blocks.max(1),
                    max_fee_cap: u128::from(args.evm_max_fee_gwei) * 1_000_000_000,
                    poll: Duration::from_millis(100),
                    batch: 64,
                };
                let engine = EvmEngine::start(pool.clone(), keys.clone(), &rpc_url, engine_config).await?;
                state = state.with_evm(engine.clone(), Allowlist::mercato(&evm.contracts));
                engine_task = Some(tokio::spawn(engine.run(stopped)));
                tracing::info!(%rpc_url, chain_id = evm.chain_id, "EVM sponsorship on");
            }
            println!("relayer listening on http://{address}");
            let served = mercato_relayer::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string());
            let _ = stop.send(true);
            if let Some(task) = engine_task {
                let _ = task.await;
            }
            served
        }
    }
}
