//! Diagnostics: `tracing` to stderr and to a daily rolling file under the
//! platform's log directory; `RUST_LOG` overrides the default filter.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

const DEFAULT_FILTER: &str =
    "info,capstan=debug,capstan_app=debug,capstan_kube=debug,capstan_local=debug";
const KEEP_FILES: usize = 7;

/// Returns the guard that flushes the file writer; keep it alive until exit.
pub fn init() -> Option<WorkerGuard> {
    let filter =
        || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());

    let (file_layer, guard, file_error) = match file_writer() {
        Ok((writer, guard)) => (
            Some(
                fmt::layer()
                    .with_ansi(false)
                    .with_writer(writer)
                    .with_filter(filter()),
            ),
            Some(guard),
            None,
        ),
        Err(e) => (None, None, Some(e)),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .init();
    if let Some(e) = file_error {
        tracing::warn!("logging to stderr only: {e}");
    }
    guard
}

fn file_writer() -> Result<(tracing_appender::non_blocking::NonBlocking, WorkerGuard), String> {
    let dir = capstan_kube::paths::log_dir().ok_or("no home directory to put logs in")?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("capstan")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(&dir)
        .map_err(|e| format!("cannot open a log file in {}: {e}", dir.display()))?;
    Ok(tracing_appender::non_blocking(appender))
}
