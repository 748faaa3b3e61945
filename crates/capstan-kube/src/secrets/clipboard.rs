//! Copying a secret value to the clipboard, and taking it back out after a
//! while: a password left on the clipboard ends up pasted into chats. The
//! value goes from the API to the clipboard without passing through the UI.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::task::AbortHandle;

use super::edit::read_value;
use super::model::SecretValue;
use crate::Error;

/// How long a copied value stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The system clipboard as far as copying secrets needs it. Error strings
/// must not contain the text being written.
pub trait Clipboard: Send + Sync + 'static {
    fn write_text(&self, text: &str) -> Result<(), String>;
    /// None when the clipboard holds no text (or cannot be read).
    fn read_text(&self) -> Option<String>;
    fn clear(&self) -> Result<(), String>;
}

/// Copies secret values to `clipboard` and takes each back out after a
/// delay if the clipboard still holds it (the user may have copied
/// something else meanwhile, which is left alone). One value is pending at
/// a time: a new copy replaces it on the clipboard anyway. Dropping this
/// stops the timer; call [`SecretClipboard::clear_now`] first when the app
/// exits so a pending value does not outlive it.
pub struct SecretClipboard {
    shared: Arc<Shared>,
    clear_after: Duration,
}

struct Shared {
    clipboard: Arc<dyn Clipboard>,
    pending: Mutex<Option<Pending>>,
    copies: AtomicU64,
}

struct Pending {
    /// Tells this copy's timer from a later one's.
    serial: u64,
    value: SecretValue,
    timer: AbortHandle,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Option<Pending>> {
        // One slot: a panic elsewhere cannot leave it inconsistent.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the pending value out (only copy `serial`'s, when given) and
    /// clears it from the clipboard if it is still there.
    fn clear(&self, serial: Option<u64>) {
        let taken = {
            let mut pending = self.lock();
            if serial.is_some_and(|s| pending.as_ref().is_none_or(|p| p.serial != s)) {
                return;
            }
            pending.take()
        };
        if let Some(p) = taken {
            p.timer.abort();
            clear_if_unchanged(&p.value, self.clipboard.as_ref());
        }
    }
}

impl SecretClipboard {
    pub fn new(clipboard: Arc<dyn Clipboard>, clear_after: Duration) -> Self {
        Self {
            shared: Arc::new(Shared {
                clipboard,
                pending: Mutex::new(None),
                copies: AtomicU64::new(0),
            }),
            clear_after,
        }
    }

    /// How long a copied value stays on the clipboard.
    pub fn clear_after(&self) -> Duration {
        self.clear_after
    }

    /// Copies `key` of `namespace/name` as text. Binary values are refused:
    /// as text they would be mangled.
    pub async fn copy_key(
        &self,
        client: kube::Client,
        namespace: &str,
        name: &str,
        key: &str,
    ) -> Result<(), Error> {
        let value = read_value(client, namespace, name, key).await?;
        self.copy_value(value, key)
    }

    /// The clipboard half of [`SecretClipboard::copy_key`], for a value
    /// already read. Must run inside Tokio (the clear is a timer task).
    pub fn copy_value(&self, value: SecretValue, key: &str) -> Result<(), Error> {
        let Ok(text) = std::str::from_utf8(value.expose()) else {
            return Err(Error::InvalidInput(format!(
                "the value of \"{key}\" is binary ({} bytes) and cannot be copied as text",
                value.len()
            )));
        };
        let mut pending = self.shared.lock();
        self.shared
            .clipboard
            .write_text(text)
            .map_err(|e| Error::Clipboard {
                detail: e.to_string(),
            })?;
        tracing::debug!(
            key,
            clear_after_s = self.clear_after.as_secs(),
            "secret value copied"
        );
        let serial = self.shared.copies.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::downgrade(&self.shared);
        let clear_after = self.clear_after;
        let timer = tokio::spawn(async move {
            tokio::time::sleep(clear_after).await;
            if let Some(shared) = shared.upgrade() {
                shared.clear(Some(serial));
            }
        })
        .abort_handle();
        if let Some(old) = pending.replace(Pending {
            serial,
            value,
            timer,
        }) {
            // The new value replaced it on the clipboard.
            old.timer.abort();
        }
        Ok(())
    }

    /// Clears the pending value now if the clipboard still holds it (the
    /// app is exiting) and stops its timer.
    pub fn clear_now(&self) {
        self.shared.clear(None);
    }
}

impl Drop for SecretClipboard {
    fn drop(&mut self) {
        if let Some(p) = self.shared.lock().take() {
            p.timer.abort();
        }
    }
}

fn clear_if_unchanged(value: &SecretValue, clipboard: &dyn Clipboard) {
    let still_ours = clipboard
        .read_text()
        .is_some_and(|now| now.as_bytes() == value.expose());
    if !still_ours {
        return;
    }
    match clipboard.clear() {
        Ok(()) => tracing::debug!("copied secret value cleared from the clipboard"),
        Err(e) => tracing::warn!(error = %e, "the clipboard could not be cleared"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Fake(Mutex<Option<String>>);
    impl Clipboard for Fake {
        fn write_text(&self, text: &str) -> Result<(), String> {
            *self.0.lock().expect("clipboard lock") = Some(text.to_owned());
            Ok(())
        }
        fn read_text(&self) -> Option<String> {
            self.0.lock().expect("clipboard lock").clone()
        }
        fn clear(&self) -> Result<(), String> {
            *self.0.lock().expect("clipboard lock") = None;
            Ok(())
        }
    }

    fn secret(s: &str) -> SecretValue {
        SecretValue::new(s.as_bytes().to_vec())
    }

    fn board(clip: &Arc<Fake>) -> SecretClipboard {
        SecretClipboard::new(clip.clone(), CLEAR_AFTER)
    }

    #[tokio::test(start_paused = true)]
    async fn clears_the_value_after_the_delay() {
        let clip = Arc::new(Fake::default());
        let board = board(&clip);
        board
            .copy_value(secret("hunter2"), "pw")
            .expect("test fixture");
        assert_eq!(clip.read_text().as_deref(), Some("hunter2"));
        tokio::time::sleep(CLEAR_AFTER - Duration::from_secs(1)).await;
        assert_eq!(clip.read_text().as_deref(), Some("hunter2"), "not before");
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(clip.read_text(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn leaves_something_copied_since_alone() {
        let clip = Arc::new(Fake::default());
        let board = board(&clip);
        board
            .copy_value(secret("hunter2"), "pw")
            .expect("test fixture");
        clip.write_text("the user's own text")
            .expect("test fixture");
        tokio::time::sleep(CLEAR_AFTER * 2).await;
        assert_eq!(clip.read_text().as_deref(), Some("the user's own text"));
    }

    #[tokio::test]
    async fn refuses_binary_without_touching_the_clipboard() {
        let clip = Arc::new(Fake::default());
        clip.write_text("before").expect("test fixture");
        let err = board(&clip)
            .copy_value(SecretValue::new(vec![0xff, 0x00, 0xfe]), "blob")
            .expect_err("must fail");
        assert!(err.to_string().contains("binary (3 bytes)"), "{err}");
        assert_eq!(clip.read_text().as_deref(), Some("before"));
    }

    /// The pending clear's timer task.
    fn pending_timer(board: &SecretClipboard) -> AbortHandle {
        board
            .shared
            .lock()
            .as_ref()
            .map(|p| p.timer.clone())
            .expect("a pending clear")
    }

    #[tokio::test(start_paused = true)]
    async fn clear_now_takes_the_value_back_and_ends_the_timer() {
        let clip = Arc::new(Fake::default());
        let board = board(&clip);
        board
            .copy_value(secret("hunter2"), "pw")
            .expect("test fixture");
        let timer = pending_timer(&board);
        board.clear_now();
        assert_eq!(clip.read_text(), None);
        // Aborted tasks finish at their next poll.
        tokio::task::yield_now().await;
        assert!(timer.is_finished(), "the timer still runs");
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_copy_replaces_the_pending_one() {
        let clip = Arc::new(Fake::default());
        let board = board(&clip);
        board
            .copy_value(secret("first"), "a")
            .expect("test fixture");
        let first = pending_timer(&board);
        board
            .copy_value(secret("second"), "b")
            .expect("test fixture");
        tokio::task::yield_now().await;
        assert!(first.is_finished(), "the first timer still runs");
        tokio::time::sleep(CLEAR_AFTER + Duration::from_secs(1)).await;
        assert_eq!(clip.read_text(), None, "the second value is cleared");
    }

    #[tokio::test(start_paused = true)]
    async fn dropping_it_stops_the_timer() {
        let clip = Arc::new(Fake::default());
        let board = board(&clip);
        board
            .copy_value(secret("hunter2"), "pw")
            .expect("test fixture");
        let timer = pending_timer(&board);
        drop(board);
        tokio::task::yield_now().await;
        assert!(timer.is_finished(), "the timer outlived its owner");
    }
}
