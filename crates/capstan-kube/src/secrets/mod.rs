//! Secrets, safe by default: values stay masked until one is revealed, and a
//! revealed value lives in a [`SecretValue`] whose Debug prints nothing.

pub mod clipboard;
pub mod decode;
pub mod details;
pub mod dockercfg;
pub mod edit;
pub mod input;
pub mod log_safety;
pub mod model;
mod server_error;
pub mod tls;
pub mod usage;
pub mod validate;

pub use clipboard::{Clipboard, SecretClipboard};
pub use details::{secret_details, SecretDetails};
pub use edit::{create_secret, read_value, reveal_key, update_secret, KeyChange, NewSecret};
pub use model::{SecretValue, MASK};
pub use usage::{secret_usage, SecretUse};
