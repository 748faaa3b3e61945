//! Copying a secret value to the clipboard, and taking it back out after a
//! while: a password left on the clipboard ends up pasted into chats. The
//! value goes from the API to the clipboard without passing through the UI.

use std::sync::Arc;
use std::time::Duration;

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

/// Copies `key` of `namespace/name` as text and clears the clipboard after
/// `clear_after` if it still holds that value (the user may have copied
/// something else meanwhile, which is left alone). Binary values are refused:
/// as text they would be mangled.
pub async fn copy_key(
    client: kube::Client,
    namespace: &str,
    name: &str,
    key: &str,
    clipboard: Arc<dyn Clipboard>,
    clear_after: Duration,
) -> Result<(), Error> {
    let value = read_value(client, namespace, name, key).await?;
    copy_value(value, key, clipboard, clear_after)
}

/// The clipboard half of [`copy_key`], for a value already read.
pub fn copy_value(
    value: SecretValue,
    key: &str,
    clipboard: Arc<dyn Clipboard>,
    clear_after: Duration,
) -> Result<(), Error> {
    let Ok(text) = std::str::from_utf8(value.expose()) else {
        return Err(Error::InvalidInput(format!(
            "the value of \"{key}\" is binary ({} bytes) and cannot be copied as text",
            value.len()
        )));
    };
    clipboard.write_text(text).map_err(|e| Error::Clipboard {
        detail: e.to_string(),
    })?;
    tracing::debug!(
        key,
        clear_after_s = clear_after.as_secs(),
        "secret value copied"
    );
    tokio::spawn(async move {
        tokio::time::sleep(clear_after).await;
        clear_if_unchanged(&value, clipboard.as_ref());
    });
    Ok(())
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

    #[tokio::test(start_paused = true)]
    async fn clears_the_value_after_the_delay() {
        let clip = Arc::new(Fake::default());
        copy_value(secret("hunter2"), "pw", clip.clone(), CLEAR_AFTER).expect("test fixture");
        assert_eq!(clip.read_text().as_deref(), Some("hunter2"));
        tokio::time::sleep(CLEAR_AFTER - Duration::from_secs(1)).await;
        assert_eq!(clip.read_text().as_deref(), Some("hunter2"), "not before");
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(clip.read_text(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn leaves_something_copied_since_alone() {
        let clip = Arc::new(Fake::default());
        copy_value(secret("hunter2"), "pw", clip.clone(), CLEAR_AFTER).expect("test fixture");
        clip.write_text("the user's own text")
            .expect("test fixture");
        tokio::time::sleep(CLEAR_AFTER * 2).await;
        assert_eq!(clip.read_text().as_deref(), Some("the user's own text"));
    }

    #[tokio::test]
    async fn refuses_binary_without_touching_the_clipboard() {
        let clip = Arc::new(Fake::default());
        clip.write_text("before").expect("test fixture");
        let err = copy_value(
            SecretValue::new(vec![0xff, 0x00, 0xfe]),
            "blob",
            clip.clone(),
            CLEAR_AFTER,
        )
        .expect_err("must fail");
        assert!(err.to_string().contains("binary (3 bytes)"), "{err}");
        assert_eq!(clip.read_text().as_deref(), Some("before"));
    }
}
