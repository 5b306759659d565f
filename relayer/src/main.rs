//! `mercato-relayer`: serve the API, rotate the master key, or make one.

use clap::Parser;
use mercato_manifest::Manifest;
use mercato_relayer::api::sponsor::SponsorPolicy;
use mercato_relayer::config::{self, Cli, Command};
use mercato_relayer::evm::{engine::EvmConfig, engine::EvmEngine, policy::Allowlist};
use mercato_relayer::requests::Budgets;
use mercato_relayer::solana::{engine::SolanaConfig, engine::SolanaEngine, policy::FeePayerLimits};
use mercato_relayer::{accounts, api, db, keys};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    mercato_telemetry::init_logging();
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
        Command::GenSolanaKeypair { file } => {
            println!("{}", config::write_solana_keypair(&file)?);
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
                    .with_auth_limit(args.auth_per_ip_per_minute)
                    .with_actions_limit(args.actions_per_ip_per_minute)
                    .with_trusted_proxies(args.trusted_proxies.clone());
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let mut engine_tasks = Vec::new();
            let manifest = match &args.manifest {
                Some(path) => Some((path, Manifest::load(path).map_err(|e| e.to_string())?)),
                None => None,
            };
            if let Some(keypair_file) = &args.solana_fee_payer_keypair {
                let rpc_url = match (&args.solana_rpc_url, &manifest) {
                    (Some(url), _) => url.clone(),
                    (None, Some((path, manifest))) => {
                        manifest.require_solana(path).map_err(|e| e.to_string())?.rpc_url.clone()
                    }
                    (None, None) => return Err("Solana sponsorship needs --solana-rpc-url or --manifest".into()),
                };
                let solana_config = SolanaConfig {
                    fee_payer: config::read_solana_keypair(keypair_file)?,
                    limits: FeePayerLimits {
                        max_top_up: args.solana_max_top_up,
                        max_priority_fee: args.solana_max_priority_fee,
                    },
                    priority_fee_floor: args.solana_priority_fee_floor,
                    budgets: Budgets { principal: args.user_daily_lamports, global: args.global_daily_lamports },
                    poll: Duration::from_millis(100),
                    resend_every: Duration::from_secs(2),
                    batch: 64,
                };
                let engine = SolanaEngine::start(pool.clone(), keys.clone(), &rpc_url, solana_config).await?;
                state = state.with_solana(engine.clone());
                engine_tasks.push(tokio::spawn(engine.run(stopped.clone())));
            }
            // EVM sponsorship is on when sender keys are given (the manifest names the chain and contracts).
            if let Some(file) = &args.evm_sender_keys_file {
                let Some((path, manifest)) = &manifest else {
                    return Err("EVM sponsorship needs --manifest (its evm section)".into());
                };
                let evm = manifest.require_evm(path).map_err(|e| e.to_string())?;
                let senders = config::read_sender_keys(file)?;
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
                engine_tasks.push(tokio::spawn(engine.run(stopped)));
                tracing::info!(%rpc_url, chain_id = evm.chain_id, "EVM sponsorship on");
            }
            println!("relayer listening on http://{address}");
            let served = mercato_relayer::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string());
            let _ = stop.send(true);
            for task in engine_tasks {
                let _ = task.await;
            }
            served
        }
    }
}
