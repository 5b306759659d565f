//! Logging and metrics set-up shared by the Mercato services: logs to stderr filtered by `RUST_LOG` (default
//! `info`), and one process-wide Prometheus recorder for `/metrics`.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// Logs to stderr, filtered by `RUST_LOG` (default `info`); stdout stays free for a service's "listening on" line.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
}

/// The process-wide Prometheus recorder (installed once; later calls share it).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (an embedding process): then ours only renders ours.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}
