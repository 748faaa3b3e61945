//! Start-up timing for the start-up benchmark (scripts/bench-startup.sh):
//! the UI calls `app_info` as soon as it has mounted, which marks the window
//! interactive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub struct Startup {
    started: Instant,
    reported: AtomicBool,
}

impl Startup {
    pub fn now() -> Self {
        Self {
            started: Instant::now(),
            reported: AtomicBool::new(false),
        }
    }

    /// Logs (once) how long the UI took to become interactive; with
    /// `CAPSTAN_STARTUP_MARK` set it also prints a line the benchmark reads.
    pub fn mark_interactive(&self) {
        if self.reported.swap(true, Ordering::SeqCst) {
            return;
        }
        let ms = self.started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(ms, "window interactive");
        if std::env::var_os("CAPSTAN_STARTUP_MARK").is_some() {
            println!("capstan-startup-interactive-ms {ms:.1}");
        }
    }
}
