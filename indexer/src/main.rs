//! `mercato-indexer`: `serve` (follow the chain and serve the API) or `backfill` (with a progress bar).

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use mercato_indexer::config::{BackfillArgs, Cli, Command, Common, ServeArgs};
use mercato_indexer::evm::source::EvmSource;
use mercato_indexer::ingest::Indexer;
use mercato_indexer::solana::SolanaIndexer;
use mercato_indexer::{api, db};
use mercato_manifest::Manifest;
use std::process::ExitCode;
use std::time::Instant;

#[tokio::main]
async fn main() -> ExitCode {
    mercato_telemetry::init_logging();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mercato-indexer: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn indexer(common: &Common, connections: u32) -> Result<(Indexer, sqlx::PgPool), String> {
    let manifest = Manifest::load(&common.manifest).map_err(|e| e.to_string())?;
    let evm = manifest.require_evm(&common.manifest).map_err(|e| e.to_string())?;
    let rpc_url = common.evm_rpc_url.clone().unwrap_or_else(|| evm.rpc_url.clone());
    let config = common.ingest();
    tracing::info!(
        database = %common.masked_database_url(), manifest = %common.manifest.display(), %rpc_url,
        chain_id = evm.chain_id, deploy_block = evm.deploy_block, ?config, "effective configuration"
    );
    let pool = db::connect(&common.database_url, connections).await.map_err(|e| format!("database: {e}"))?;
    let addresses = evm.contracts.named().iter().map(|(_, a)| *a).collect();
    let source = EvmSource::connect(&rpc_url, addresses)?;
    Ok((Indexer::new(pool.clone(), source, evm.chain_id, evm.contracts, evm.deploy_block, config), pool))
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Backfill(args) => {
            let manifest = Manifest::load(&args.common.manifest).map_err(|e| e.to_string())?;
            let evm = manifest.evm.is_some() && !args.no_evm;
            let solana = manifest.solana.is_some() && !args.no_solana;
            if !evm && !solana {
                return Err(format!(
                    "nothing to backfill: {} deploys no chain that is not skipped (--no-evm, --no-solana)",
                    args.common.manifest.display()
                ));
            }
            if evm {
                evm_backfill(&args).await?;
            }
            if solana {
                solana_backfill(&args, &manifest).await?;
            }
            Ok(())
        }
        Command::Serve(args) => {
            let (indexer, pool) = indexer(&args.common, 16).await?;
            let listener = tokio::net::TcpListener::bind(args.listen)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            let state = api::AppState {
                pool: pool.clone(),
                chain: indexer.chain().to_owned(),
                status: Some(indexer.status()),
                max_lag: args.max_lag,
                metrics: mercato_indexer::metrics_handle(),
                cache: Default::default(),
            };
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let solana = solana_indexer(&args, pool).await?;
            let solana_state = match &solana {
                Some(s) => Some(api::AppState {
                    pool: db::connect_base58(&args.common.database_url, 8)
                        .await
                        .map_err(|e| format!("database: {e}"))?,
                    chain: s.chain().to_owned(),
                    status: Some(s.status()),
                    max_lag: args.solana_max_lag,
                    metrics: mercato_indexer::metrics_handle(),
                    cache: Default::default(),
                }),
                None => None,
            };
            let mut solana_ingest = tokio::spawn({
                let stopped = stopped.clone();
                async move {
                    match solana {
                        Some(s) => s.follow(stopped).await.map_err(|e| e.to_string()),
                        None => std::future::pending().await,
                    }
                }
            });
            let mut ingest = tokio::spawn(indexer.follow(stopped));
            println!("indexer listening on http://{address}");
            let app = api::router_with_solana(state, solana_state);
            let mut server = tokio::spawn(mercato_indexer::serve_app(listener, app, async {
                let _ = tokio::signal::ctrl_c().await;
            }));
            // Whichever ends first ends the process: a server without ingest would serve a stale mirror.
            tokio::select! {
                served = &mut server => {
                    let _ = stop.send(true);
                    let _ = ingest.await;
                    solana_ingest.abort();
                    served.map_err(|e| e.to_string())?.map_err(|e| e.to_string())
                }
                ingested = &mut ingest => {
                    server.abort();
                    solana_ingest.abort();
                    match ingested {
                        Ok(Ok(())) => Ok(()),
                        Ok(Err(e)) => Err(format!("ingest stopped: {e}")),
                        Err(e) => Err(format!("ingest task failed: {e}")),
                    }
                }
                ingested = &mut solana_ingest => {
                    server.abort();
                    let _ = stop.send(true);
                    let _ = ingest.await;
                    match ingested {
                        Ok(Ok(())) => Ok(()),
                        Ok(Err(e)) => Err(format!("Solana ingest stopped: {e}")),
                        Err(e) => Err(format!("Solana ingest task failed: {e}")),
                    }
                }
            }
        }
    }
}

async fn evm_backfill(args: &BackfillArgs) -> Result<(), String> {
    let (mut indexer, _pool) = indexer(&args.common, 4).await?;
    let head = indexer.head().await.map_err(|e| e.to_string())?;
    let to = args.to.unwrap_or(head).min(head);
    let start = indexer.checkpoint().await.map_err(|e| e.to_string())?.map_or(0, |c| c.number);
    let bar = ProgressBar::new(to.saturating_sub(start));
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} blocks  {msg}  ETA {eta}").map_err(|e| e.to_string())?,
    );
    let started = Instant::now();
    let mut events = 0u64;
    indexer
        .backfill(to, |at, step| {
            events += step.events;
            let rate = events as f64 / started.elapsed().as_secs_f64().max(1e-3);
            bar.set_position(at.saturating_sub(start));
            bar.set_message(format!("{events} events, {rate:.0} events/s"));
        })
        .await
        .map_err(|e| e.to_string())?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "backfilled to block {to}: {events} events in {seconds:.2} s ({:.0} events/s)",
        events as f64 / seconds.max(1e-3)
    );
    Ok(())
}

/// Solana `backfill`: every followed address from its checkpoint (or the deploy slot) to the confirmed slot (or
/// `--solana-to`), with a progress bar in slots.
async fn solana_backfill(args: &BackfillArgs, manifest: &Manifest) -> Result<(), String> {
    let Some(solana) = &manifest.solana else { return Ok(()) };
    let rpc_url = args.solana_rpc_url.clone().unwrap_or_else(|| solana.rpc_url.clone());
    tracing::info!(
        database = %args.common.masked_database_url(), %rpc_url, cluster = %manifest.network,
        deploy_slot = solana.deploy_slot, batch = args.solana_batch, "Solana backfill"
    );
    let pool = db::connect(&args.common.database_url, 4).await.map_err(|e| format!("database: {e}"))?;
    let poll = std::time::Duration::from_millis(400);
    let mut indexer = SolanaIndexer::new(pool, &rpc_url, &manifest.network, solana, poll).with_batch(args.solana_batch);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} slots  {msg}  ETA {eta}").map_err(|e| e.to_string())?,
    );
    let started = Instant::now();
    let done = indexer
        .backfill(args.solana_to, |p| {
            let rate = p.events as f64 / started.elapsed().as_secs_f64().max(1e-3);
            bar.set_length(p.target.saturating_sub(p.from));
            bar.set_position(p.to.saturating_sub(p.from));
            bar.set_message(format!("{} signatures, {} events, {rate:.0} events/s", p.transactions, p.events));
        })
        .await
        .map_err(|e| e.to_string())?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "backfilled Solana to slot {}: {} transactions, {} events in {seconds:.2} s ({:.0} events/s)",
        done.to,
        done.transactions,
        done.events,
        done.events as f64 / seconds.max(1e-3)
    );
    Ok(())
}

/// The Solana indexer, when the manifest deploys Solana and `--no-solana` is not given.
async fn solana_indexer(args: &ServeArgs, pool: sqlx::PgPool) -> Result<Option<SolanaIndexer>, String> {
    if args.no_solana {
        return Ok(None);
    }
    let manifest = Manifest::load(&args.common.manifest).map_err(|e| e.to_string())?;
    let Some(solana) = &manifest.solana else { return Ok(None) };
    let rpc_url = args.solana_rpc_url.clone().unwrap_or_else(|| solana.rpc_url.clone());
    tracing::info!(%rpc_url, cluster = %manifest.network, deploy_slot = solana.deploy_slot, "Solana ingest");
    let poll = std::time::Duration::from_millis(args.solana_poll_ms.max(10));
    let ws_url = (!args.no_solana_ws).then(|| args.solana_ws_url.clone().unwrap_or_else(|| solana.ws_url.clone()));
    tracing::info!(?ws_url, batch = args.solana_batch, "Solana wake-up");
    Ok(Some(
        SolanaIndexer::new(pool, &rpc_url, &manifest.network, solana, poll)
            .with_batch(args.solana_batch)
            .with_ws(ws_url),
    ))
}
