//! One accepted local connection ↔ one port-forward stream, each direction
//! copied as bytes pass and counted (live stats).
//!
//! Half-close: kube's `Portforwarder` drops everything the pod sends once
//! its stream is shut down, and the WebSocket protocol of 1.20 has no
//! half-close frame. So when the local client ends its output the upstream
//! stays open and the pod's reply is still delivered; the connection ends
//! when the pod ends its output, or when the pod has been silent for
//! `linger` after the local EOF (a client that closed, with a pod that
//! waits for more, would otherwise keep the stream open for ever).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Notify;

// Large enough for full WebSocket frames; small enough for many connections.
const BUF: usize = 64 * 1024;

/// How long the pod may stay silent after the local side ended its output.
pub(crate) const LINGER: Duration = Duration::from_secs(5);

/// Copies both ways until the pod side ends (or either side fails). `sent`
/// counts local→pod, `received` pod→local.
pub(crate) async fn pump<L, R>(
    local: L,
    remote: R,
    sent: &AtomicU64,
    received: &AtomicU64,
    linger: Duration,
) -> std::io::Result<()>
where
    L: AsyncRead + AsyncWrite + Unpin,
    R: AsyncRead + AsyncWrite + Unpin,
{
    let (mut lr, mut lw) = tokio::io::split(local);
    let (mut rr, mut rw) = tokio::io::split(remote);
    let local_eof = AtomicBool::new(false);
    let eof_notice = Notify::new();
    let up = async {
        let mut buf = vec![0u8; BUF];
        loop {
            let n = lr.read(&mut buf).await?;
            if n == 0 {
                let _ = rw.flush().await;
                local_eof.store(true, Ordering::Release);
                eof_notice.notify_one();
                return Ok::<(), std::io::Error>(());
            }
            rw.write_all(&buf[..n]).await?;
            sent.fetch_add(n as u64, Ordering::Relaxed);
        }
    };
    let down = async {
        let mut buf = vec![0u8; BUF];
        loop {
            let n = if local_eof.load(Ordering::Acquire) {
                match tokio::time::timeout(linger, rr.read(&mut buf)).await {
                    Ok(r) => r?,
                    Err(_) => return Ok(()),
                }
            } else {
                // `read` is cancel-safe: dropping it on the notice loses nothing.
                tokio::select! {
                    r = rr.read(&mut buf) => r?,
                    () = eof_notice.notified() => continue,
                }
            };
            if n == 0 {
                // The pod is done: the client sees EOF.
                let _ = lw.shutdown().await;
                return Ok::<(), std::io::Error>(());
            }
            lw.write_all(&buf[..n]).await?;
            received.fetch_add(n as u64, Ordering::Relaxed);
        }
    };
    tokio::pin!(down);
    tokio::select! {
        d = &mut down => d,
        u = up => match u {
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
        let (r, (), got) = tokio::join!(
            pump(local, remote, &sent, &received, Duration::from_secs(30)),
            pod_side,
            client_side
        );
        r.expect("pump");
        assert_eq!(got, b"reply");
        assert_eq!(sent.load(Ordering::Relaxed), 5);
        assert_eq!(received.load(Ordering::Relaxed), 5);
    }

    #[tokio::test]
    async fn silent_pod_after_local_close_ends_after_linger() {
        let (client, local) = tokio::io::duplex(1024);
        let (remote, _pod) = tokio::io::duplex(1024);
        drop(client);
        let sent = AtomicU64::new(0);
        let received = AtomicU64::new(0);
        let r = tokio::time::timeout(
            Duration::from_secs(10),
            pump(local, remote, &sent, &received, Duration::from_millis(100)),
        )
        .await;
        assert!(matches!(r, Ok(Ok(()))), "{r:?}");
    }
}
