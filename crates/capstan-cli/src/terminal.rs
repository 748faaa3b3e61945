//! The local terminal while a remote process runs: raw mode (keys go as
//! typed) and window-size changes. Shared by `capstan cluster shell` and
//! `capstan exec`/`attach`/`debug`.

use std::io::IsTerminal;

/// The terminal in raw mode until dropped.
pub struct RawMode;

impl RawMode {
    pub fn on() -> Option<Self> {
        crossterm::terminal::enable_raw_mode()
            .ok()
            .map(|()| RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Whether stdin and stdout are both a terminal (a TTY session makes sense).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The terminal's size (cols, rows), when there is one.
pub fn size() -> Option<(u16, u16)> {
    crossterm::terminal::size().ok()
}

/// Calls `on_resize` with the new size on every SIGWINCH, until the task
/// is aborted.
pub fn follow_resizes<F>(on_resize: F) -> tokio::task::JoinHandle<()>
where
    F: Fn(u16, u16) -> futures_util::future::BoxFuture<'static, ()> + Send + 'static,
{
    tokio::spawn(async move {
        let Ok(mut changes) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
        else {
            return;
        };
        while changes.recv().await.is_some() {
            if let Some((w, h)) = size() {
                on_resize(w, h).await;
            }
        }
    })
}
