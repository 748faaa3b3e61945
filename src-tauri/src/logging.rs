//! Diagnostics: `tracing` to stderr and to a daily rolling file under the
//! platform's log directory; `RUST_LOG` overrides the default filter.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::filter::{filter_fn, FilterExt};
use tracing_subscriber::layer::Filter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

const DEFAULT_FILTER: &str =
    "info,capstan=debug,capstan_app=debug,capstan_kube=debug,capstan_local=debug";
const KEEP_FILES: usize = 7;

/// Returns the guard that flushes the file writer; keep it alive until exit.
pub fn init() -> Option<WorkerGuard> {
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

/// `RUST_LOG` (else the default), minus the events that can carry secret
/// values (kube-client logs response bodies); RUST_LOG cannot re-enable them.
fn filter<S>() -> impl Filter<S>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER))
        .and(filter_fn(|m| {
            !capstan_kube::secrets::log_safety::may_carry_secrets(m.target(), m.level())
        }))
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex, PoisonError};

    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::{fmt, Layer};

    #[test]
    fn kube_client_bodies_are_dropped() {
        let out = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = out.clone();
        let layer = fmt::layer()
            .with_ansi(false)
            .with_writer(move || Writer(sink.clone()))
            .with_filter(super::filter());
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
            tracing::warn!(target: "kube_client::client", "{{\"data\":{{\"pw\":\"aHVudGVyMg==\"}}}}");
            tracing::error!(target: "kube_client::client::builder", "failed with status 500");
            tracing::warn!(target: "capstan_kube::secrets", "kept");
        });
        let text = String::from_utf8_lossy(&out.lock().unwrap_or_else(PoisonError::into_inner))
            .into_owned();
        assert!(!text.contains("aHVudGVyMg=="), "{text}");
        assert!(text.contains("failed with status 500"), "{text}");
        assert!(text.contains("kept"), "{text}");
    }

    struct Writer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Writer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
