//! Starting and stopping the embedded surfpool node.

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};
use mercato_solana_client::{PROGRAMS, Pubkey};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use surfpool_core::surfnet::locker::SurfnetSvmLocker;
use surfpool_core::surfnet::svm::{SurfnetSvm, SurfnetSvmConfig};
use surfpool_types::{RpcConfig, SimnetCommand, SimnetConfig, SimnetEvent, SurfpoolConfig};

/// How long the node may take to bind its servers.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a stop may take before it is reported.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// What the node serves and from where.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// HTTP JSON-RPC port on 127.0.0.1 (0: any free port).
    pub rpc_port: u16,
    /// WebSocket (PubSub) port on 127.0.0.1 (0: any free port).
    pub ws_port: u16,
    /// The directory with `mercato_token.so`, `mercato_items.so`, `mercato_auction.so`, `mercato_governance.so`.
    pub programs_dir: PathBuf,
    /// Milliseconds per slot (Solana's is ~400).
    pub slot_time_ms: u64,
}

impl NodeConfig {
    /// Any free ports, the given program directory, 400 ms slots.
    pub fn new(programs_dir: impl Into<PathBuf>) -> Self {
        Self { rpc_port: 0, ws_port: 0, programs_dir: programs_dir.into(), slot_time_ms: 400 }
    }
}

/// Why the node did not start.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// A program's SBF build is missing or unreadable.
    #[error("cannot read program {path}: {source} (build the programs with `./mercato sbf`)")]
    ReadProgram {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The VM refused a program's ELF.
    #[error("the VM rejected program {path}: {reason}")]
    LoadProgram {
        /// The file.
        path: PathBuf,
        /// LiteSVM's error.
        reason: String,
    },
    /// No port could be had.
    #[error("cannot find a free port on 127.0.0.1: {0}")]
    Port(std::io::Error),
    /// surfpool itself failed to build or start.
    #[error("the node failed to start: {0}")]
    Start(String),
    /// The servers did not come up in time.
    #[error("the node was not ready after {0:?}")]
    NotReady(Duration),
}

/// A running local node; dropping it stops the node.
pub struct LocalNode {
    rpc_url: String,
    ws_url: String,
    commands: Sender<SimnetCommand>,
    runloop: Option<JoinHandle<()>>,
    events: Option<JoinHandle<()>>,
}

impl LocalNode {
    /// Starts an offline node on 127.0.0.1 with the four Mercato programs loaded (no remote RPC: nothing is
    /// fetched from any cluster). Returns once the HTTP and WebSocket servers are bound.
    pub fn start(config: &NodeConfig) -> Result<Self, NodeError> {
        let programs = read_programs(&config.programs_dir)?;
        let rpc_port = port_or_free(config.rpc_port)?;
        let ws_port = port_or_free(config.ws_port)?;
        let host = Ipv4Addr::LOCALHOST.to_string();

        let svm_config = SurfnetSvmConfig { slot_time: config.slot_time_ms, ..SurfnetSvmConfig::default() };
        let (mut svm, events, geyser_events) =
            SurfnetSvm::new(svm_config).map_err(|e| NodeError::Start(e.to_string()))?;
        for (id, path, bytes) in &programs {
            svm.inner
                .svm
                .add_program(*id, bytes)
                .map_err(|e| NodeError::LoadProgram { path: path.clone(), reason: format!("{e:?}") })?;
        }

        let surfpool_config = SurfpoolConfig {
            simnets: vec![SimnetConfig {
                offline_mode: true,
                remote_rpc_url: None,
                slot_time: config.slot_time_ms,
                ..SimnetConfig::default()
            }],
            rpc: RpcConfig { bind_host: host.clone(), bind_port: rpc_port, ws_port, ..RpcConfig::default() },
            ..SurfpoolConfig::default()
        };
        let (commands, commands_rx) = unbounded();
        let runloop_commands = commands.clone();
        let runloop = std::thread::Builder::new()
            .name("surfpool".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                    Ok(runtime) => runtime,
                    Err(e) => return eprintln!("solana node: cannot start a runtime: {e}"),
                };
                let locker = SurfnetSvmLocker::new(svm);
                let run = surfpool_core::runloops::start_local_surfnet_runloop(
                    locker,
                    surfpool_config,
                    runloop_commands,
                    commands_rx,
                    geyser_events,
                );
                if let Err(e) = runtime.block_on(run) {
                    eprintln!("solana node: stopped with an error: {e}");
                }
            })
            .map_err(|e| NodeError::Start(e.to_string()))?;

        let mut node = Self {
            rpc_url: format!("http://{host}:{rpc_port}"),
            ws_url: format!("ws://{host}:{ws_port}"),
            commands,
            runloop: Some(runloop),
            events: None,
        };
        wait_until_ready(&events)?;
        node.events = Some(std::thread::spawn(move || drain_events(events)));
        Ok(node)
    }

    /// The HTTP JSON-RPC URL.
    pub fn rpc_url(&self) -> &str {
        &self.rpc_url
    }

    /// The WebSocket (PubSub) URL.
    pub fn ws_url(&self) -> &str {
        &self.ws_url
    }

    /// Stops the node and waits for it (bounded); reports a node that did not stop in time.
    pub fn stop(mut self) -> Result<(), NodeError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), NodeError> {
        let Some(runloop) = self.runloop.take() else { return Ok(()) };
        let _ = self.commands.send(SimnetCommand::Terminate(None));
        let deadline = Instant::now() + STOP_TIMEOUT;
        while !runloop.is_finished() {
            if Instant::now() > deadline {
                return Err(NodeError::Start(format!("the node did not stop within {STOP_TIMEOUT:?}")));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = runloop.join();
        if let Some(events) = self.events.take() {
            let _ = events.join();
        }
        Ok(())
    }
}

impl Drop for LocalNode {
    fn drop(&mut self) {
        if let Err(e) = self.shutdown() {
            eprintln!("solana node: {e}");
        }
    }
}

/// Reads the four ELFs up front, so a missing build is one clear error before anything starts.
fn read_programs(dir: &Path) -> Result<Vec<(Pubkey, PathBuf, Vec<u8>)>, NodeError> {
    PROGRAMS
        .iter()
        .map(|(id, name)| {
            let path = dir.join(format!("{name}.so"));
            let bytes = std::fs::read(&path).map_err(|source| NodeError::ReadProgram { path: path.clone(), source })?;
            Ok((*id, path, bytes))
        })
        .collect()
}

fn port_or_free(port: u16) -> Result<u16, NodeError> {
    if port != 0 {
        return Ok(port);
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(NodeError::Port)?;
    listener.local_addr().map(|a| a.port()).map_err(NodeError::Port)
}

fn wait_until_ready(events: &Receiver<SimnetEvent>) -> Result<(), NodeError> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        match events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(SimnetEvent::CoreStarted(_)) => return Ok(()),
            Ok(SimnetEvent::Aborted(reason)) => return Err(NodeError::Start(reason)),
            Ok(SimnetEvent::ErrorLog(_, message)) => eprintln!("solana node: {message}"),
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => return Err(NodeError::NotReady(READY_TIMEOUT)),
            Err(RecvTimeoutError::Disconnected) => {
                return Err(NodeError::Start("the node stopped before it was ready".into()));
            }
        }
    }
}

/// Keeps the event channel empty (it is unbounded) and reports the node's errors.
fn drain_events(events: Receiver<SimnetEvent>) {
    while let Ok(event) = events.recv() {
        match event {
            SimnetEvent::ErrorLog(_, message) => eprintln!("solana node: error: {message}"),
            SimnetEvent::Aborted(reason) => eprintln!("solana node: aborted: {reason}"),
            SimnetEvent::Shutdown => break,
            _ => {}
        }
    }
}
