//! Secrets, safe by default: values stay masked until one is revealed, and a
//! revealed value lives in a [`SecretValue`] whose Debug prints nothing.

pub mod decode;
pub mod dockercfg;
pub mod helm;
pub mod model;
pub mod tls;
pub mod validate;

pub use model::{SecretValue, MASK};
