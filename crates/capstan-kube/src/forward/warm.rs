//! A stream opened ahead of the next connection (DESIGN.md §5): a new
//! connection then skips the TLS handshake, the upgrade and the kubelet's
//! set-up, so its first byte is not slower than kubectl's (which opens a
//! stream on a connection it already has).

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures::FutureExt;
use kube::api::Portforwarder;
use tokio::io::{AsyncReadExt, DuplexStream};

/// Older warm streams are replaced, not used: the pod side may have given
/// up on an idle connection.
const MAX_AGE: Duration = Duration::from_secs(30);

pub(crate) type ErrorFuture = Pin<Box<dyn Future<Output = Option<String>> + Send>>;

pub(crate) struct Warm {
    pub pod: String,
    pub port: u16,
    opened: Instant,
    pf: Option<Portforwarder>,
    stream: Option<DuplexStream>,
    errors: Option<ErrorFuture>,
}

/// A usable warm stream: what the pod already sent, the stream, its error
/// future, and the forwarder to abort when the connection ends.
pub(crate) struct Taken {
    pub early: Vec<u8>,
    pub stream: DuplexStream,
    pub errors: Option<ErrorFuture>,
    pub pf: Portforwarder,
}

impl Warm {
    pub fn new(pod: String, port: u16, mut pf: Portforwarder) -> Option<Self> {
        let stream = pf.take_stream(port)?;
        let errors = pf.take_error(port).map(|f| Box::pin(f) as ErrorFuture);
        Some(Self {
            pod,
            port,
            opened: Instant::now(),
            pf: Some(pf),
            stream: Some(stream),
            errors,
        })
    }

    /// The stream when it is fresh, for `pod`/`port`, and still open.
    pub fn take(mut self, pod: &str, port: u16) -> Option<Taken> {
        if self.pod != pod || self.port != port || self.opened.elapsed() > MAX_AGE {
            return None;
        }
        if let Some(errors) = self.errors.as_mut() {
            if errors.as_mut().now_or_never().is_some() {
                return None;
            }
        }
        let mut stream = self.stream.take()?;
        let mut early = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        // Whatever is already buffered (a greeting), without waiting.
        while let Some(r) = stream.read(&mut buf).now_or_never() {
            match r {
                Ok(0) | Err(_) => return None,
                Ok(n) => early.extend_from_slice(&buf[..n]),
            }
        }
        let pf = self.pf.take()?;
        Some(Taken {
            early,
            stream,
            errors: self.errors.take(),
            pf,
        })
    }
}

impl Drop for Warm {
    fn drop(&mut self) {
        // An unused warm stream closes its WebSocket.
        if let Some(pf) = &self.pf {
            pf.abort();
        }
    }
}
