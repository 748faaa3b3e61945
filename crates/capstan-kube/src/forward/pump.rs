//! One accepted local connection ↔ one port-forward stream. Each direction is
//! copied on its own so an EOF from one side half-closes the other, and
//! bytes are counted as they pass (live stats).

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

// Large enough for full WebSocket frames; small enough for many connections.
const BUF: usize = 64 * 1024;

async fn copy_counted<R, W>(mut from: R, mut to: W, counter: &AtomicU64) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = vec![0u8; BUF];
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            // Half-close: the other side still may send.
            let _ = to.shutdown().await;
            return Ok(());
        }
        to.write_all(&buf[..n]).await?;
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// Copies both ways until both directions ended. `sent` counts local→pod,
/// `received` pod→local.
pub(crate) async fn pump<L, R>(
    local: L,
    remote: R,
    sent: &AtomicU64,
    received: &AtomicU64,
) -> std::io::Result<()>
where
    L: AsyncRead + AsyncWrite + Unpin,
    R: AsyncRead + AsyncWrite + Unpin,
{
    let (lr, lw) = tokio::io::split(local);
    let (rr, rw) = tokio::io::split(remote);
    let up = copy_counted(lr, rw, sent);
    let down = copy_counted(rr, lw, received);
    // The pod side ending its output ends the connection (as kubectl does);
    // an upload still in flight after that has nowhere to go.
    let (a, b) = tokio::join!(up, down);
    a.and(b)
}
