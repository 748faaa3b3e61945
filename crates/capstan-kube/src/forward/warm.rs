//! A stream opened ahead of the next connection (DESIGN.md §5): a new
//! connection then skips the TLS handshake, the upgrade and the kubelet's
//! set-up, so its first byte is not slower than kubectl's (which opens a
//! stream on a connection it already has).

use std::time::{Duration, Instant};

use futures_util::FutureExt;
use tokio::io::AsyncReadExt;

use super::stream::PodStream;

/// Older warm streams are replaced, not used: the pod side may have given
/// up on an idle connection.
const MAX_AGE: Duration = Duration::from_secs(30);

pub(crate) struct Warm {
    pub pod: String,
    pub port: u16,
    opened: Instant,
    stream: PodStream,
}

/// A usable warm stream and what the pod already sent on it.
pub(crate) struct Taken {
    pub early: Vec<u8>,
    pub stream: PodStream,
}

impl Warm {
    pub fn new(pod: String, port: u16, stream: PodStream) -> Self {
        Self {
            pod,
            port,
            opened: Instant::now(),
            stream,
        }
    }

    /// The stream when it is fresh, for `pod`/`port`, and still open.
    /// (Dropping an unused one closes its WebSocket.)
    pub fn take(mut self, pod: &str, port: u16) -> Option<Taken> {
        if self.pod != pod
            || self.port != port
            || self.opened.elapsed() > MAX_AGE
            || self.stream.guard.finished()
        {
            return None;
        }
        if let Some(errors) = self.stream.errors.as_mut() {
            if errors.as_mut().now_or_never().is_some() {
                return None;
            }
        }
        let mut early = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        // Whatever is already buffered (a greeting), without waiting.
        while let Some(r) = self.stream.io.read(&mut buf).now_or_never() {
            match r {
                Ok(0) | Err(_) => return None,
                Ok(n) => early.extend_from_slice(&buf[..n]),
            }
        }
        Some(Taken {
            early,
            stream: self.stream,
        })
    }
}
