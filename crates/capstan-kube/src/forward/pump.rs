//! One accepted local connection ↔ one port-forward stream, each direction
//! copied on its own and counted as bytes pass (live stats).
//!
//! Half-close: when the local client ends its output, the pod's reply must
//! still arrive. kube's `Portforwarder` drops everything the pod sends after
//! its stream is shut down, and the WebSocket protocol of 1.20 has no
//! half-close frame, so the upstream write side is left open (not shut
//! down) and the connection ends when the pod ends its output.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

// Large enough for full WebSocket frames; small enough for many connections.
const BUF: usize = 64 * 1024;

async fn copy_counted<R, W>(mut from: R, to: &mut W, counter: &AtomicU64) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = vec![0u8; BUF];
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        to.write_all(&buf[..n]).await?;
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// Copies both ways until the pod side ends (or either side fails). `sent`
/// counts local→pod, `received` pod→local.
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
    let (lr, mut lw) = tokio::io::split(local);
    let (rr, mut rw) = tokio::io::split(remote);
    let down = async {
        copy_counted(rr, &mut lw, received).await?;
        // The pod is done: the client sees EOF (it may still be sending).
        let _ = lw.shutdown().await;
        Ok::<(), std::io::Error>(())
    };
    let up = async {
        copy_counted(lr, &mut rw, sent).await?;
        let _ = rw.flush().await;
        Ok::<(), std::io::Error>(())
    };
    tokio::pin!(down);
    tokio::select! {
        d = &mut down => d,
        u = up => match u {
            // Local EOF: keep delivering the pod's reply until it ends.
            Ok(()) => down.await,
            Err(e) => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reply_after_local_eof_still_arrives() {
        let (mut client, local) = tokio::io::duplex(1024);
        let (remote, mut pod) = tokio::io::duplex(1024);
        let sent = AtomicU64::new(0);
        let received = AtomicU64::new(0);
        let pod_side = async {
            let mut req = [0u8; 5];
            pod.read_exact(&mut req).await.expect("request");
            pod.write_all(b"reply").await.expect("reply");
            drop(pod);
        };
        let client_side = async {
            client.write_all(b"hello").await.expect("write");
            client.shutdown().await.expect("half-close");
            let mut got = Vec::new();
            client.read_to_end(&mut got).await.expect("read");
            got
        };
        let (r, (), got) =
            tokio::join!(pump(local, remote, &sent, &received), pod_side, client_side);
        r.expect("pump");
        assert_eq!(got, b"reply");
        assert_eq!(sent.load(Ordering::Relaxed), 5);
        assert_eq!(received.load(Ordering::Relaxed), 5);
    }
}
