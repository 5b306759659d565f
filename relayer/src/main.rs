//! `mercato-relayer`: serve the API, rotate the master key, or make one.

use clap::Parser;
use mercato_relayer::config::{Cli, Command};
use mercato_relayer::{accounts, api, db, keys};
use std::process::ExitCode;
use std::sync::Arc;

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
            let state = api::AppState::new(pool, Arc::new(store), args.session_ttl, mercato_relayer::metrics_handle());
            println!("relayer listening on http://{address}");
            mercato_relayer::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
        }
    }
}
