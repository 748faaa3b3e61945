//! One port-forward stream to one pod port, over the WebSocket protocol
//! (`v4.channel.k8s.io`, the only one a 1.20 kubelet offers), framed here
//! rather than by kube's `Portforwarder`: that one sends at most 4 KiB per
//! WebSocket message and serialises both directions through one loop, which
//! held uploads to ~0.7× kubectl. Here each direction runs on its own and a
//! message carries whatever the local side had ready, up to [`FRAME`].
//!
//! Protocol: channel 0 carries data, channel 1 errors, each message starting
//! with its channel byte; the first message the server sends on each
//! channel is the port number (u16, little-endian). The client sends data
//! without any prefix beyond the channel byte.

use std::future::Future;
use std::pin::Pin;

use bytes::{BufMut, BytesMut};
use futures_util::{FutureExt, SinkExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::core::Request;
use kube::Resource;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::oneshot;
use tokio::task::AbortHandle;
use tokio_tungstenite::tungstenite::Message;

/// The largest payload of one WebSocket message we send (the kubelet's
/// limit is far higher; 64 KiB keeps per-connection memory small).
const FRAME: usize = 64 * 1024;

/// Buffered between the connection's pump and the WebSocket, per direction.
const BUFFER: usize = 256 * 1024;

/// Bytes sent per flush at most when the local side has more ready.
const BATCH: usize = 4 * FRAME;

const DATA: u8 = 0;
const ERROR: u8 = 1;

pub(crate) type ErrorFuture = Pin<Box<dyn Future<Output = Option<String>> + Send>>;

/// An open stream: bytes in and out through `io`; `errors` resolves with the
/// kubelet's message if it reports one (e.g. connection refused in the pod).
/// Dropping `guard` closes the WebSocket.
pub(crate) struct PodStream {
    pub io: DuplexStream,
    pub errors: Option<ErrorFuture>,
    pub guard: DriverGuard,
}

/// Stops the stream's WebSocket task when dropped.
pub(crate) struct DriverGuard(AbortHandle);

impl DriverGuard {
    /// True once the WebSocket task has ended (the stream is unusable).
    pub fn finished(&self) -> bool {
        self.0.is_finished()
    }
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Opens a stream to `port` of `namespace/pod`.
pub(crate) async fn open(
    client: &kube::Client,
    namespace: &str,
    pod: &str,
    port: u16,
) -> Result<PodStream, kube::Error> {
    let request = Request::new(Pod::url_path(&(), Some(namespace)))
        .portforward(pod, &[port])
        .map_err(kube::Error::BuildRequest)?;
    let ws = client.connect(request).await?.into_stream();
    Ok(attach(ws, port))
}

/// Runs the protocol for `port` over an upgraded WebSocket.
fn attach<S>(ws: tokio_tungstenite::WebSocketStream<S>, port: u16) -> PodStream
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (ours, theirs) = tokio::io::duplex(BUFFER);
    let (err_tx, err_rx) = oneshot::channel::<String>();
    let driver = tokio::spawn(drive(ws, theirs, port, err_tx)).abort_handle();
    PodStream {
        io: ours,
        errors: Some(Box::pin(async move { err_rx.await.ok() })),
        guard: DriverGuard(driver),
    }
}

/// Reads up to [`FRAME`] bytes into `buf` behind the data channel's byte;
/// returns how many (0 at EOF, with `buf` left empty).
async fn read_frame<R: tokio::io::AsyncRead + Unpin>(
    from: &mut R,
    buf: &mut BytesMut,
) -> std::io::Result<usize> {
    buf.clear();
    buf.reserve(FRAME + 1);
    buf.put_u8(DATA);
    let n = (&mut *from).take(FRAME as u64).read_buf(buf).await?;
    if n == 0 {
        buf.clear();
    }
    Ok(n)
}

async fn drive<S>(
    ws: tokio_tungstenite::WebSocketStream<S>,
    local: DuplexStream,
    port: u16,
    err_tx: oneshot::Sender<String>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
{
    let (mut sink, mut source) = ws.split();
    let (mut from_local, mut to_local) = tokio::io::split(local);

    let up = async move {
        let mut buf = BytesMut::with_capacity(4 * (FRAME + 1));
        loop {
            let n = read_frame(&mut from_local, &mut buf).await?;
            if n == 0 {
                // v4 has no half-close; the pump decides when to end.
                return std::future::pending::<std::io::Result<()>>().await;
            }
            sink.feed(Message::binary(buf.split().freeze()))
                .await
                .map_err(std::io::Error::other)?;
            // What is already waiting goes out with the same flush, up to a
            // bound so a fast sender cannot delay its own first bytes.
            let mut batched = n;
            while batched < BATCH {
                match read_frame(&mut from_local, &mut buf).now_or_never() {
                    Some(Ok(0)) | None => break,
                    Some(Ok(n)) => {
                        batched += n;
                        sink.feed(Message::binary(buf.split().freeze()))
                            .await
                            .map_err(std::io::Error::other)?;
                    }
                    Some(Err(e)) => return Err(e),
                }
            }
            sink.flush().await.map_err(std::io::Error::other)?;
        }
    };

    let down = async move {
        let mut seen_port = [false; 2];
        let mut err_tx = Some(err_tx);
        while let Some(msg) = source.next().await {
            let bytes = match msg.map_err(std::io::Error::other)? {
                Message::Binary(b) => b,
                Message::Close(_) => break,
                _ => continue,
            };
            let Some((&channel, mut data)) = bytes.split_first() else {
                continue;
            };
            let slot = usize::from(channel);
            if slot > 1 {
                continue;
            }
            if !seen_port[slot] {
                // The port announcement; anything after it is payload.
                match data.get(..2) {
                    Some(p) if u16::from_le_bytes([p[0], p[1]]) == port => data = &data[2..],
                    _ => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "the server did not announce the forwarded port",
                        ))
                    }
                }
                seen_port[slot] = true;
            }
            if data.is_empty() {
                continue;
            }
            if channel == ERROR {
                if let Some(tx) = err_tx.take() {
                    let _ = tx.send(String::from_utf8_lossy(data).into_owned());
                }
            } else {
                to_local.write_all(data).await?;
            }
        }
        // The pod side ended: the connection's client sees EOF.
        let _ = to_local.shutdown().await;
        Ok::<(), std::io::Error>(())
    };

    tokio::pin!(down);
    // Only the pod side ends the stream: if sending fails (the server is
    // closing), what it already sent is still delivered.
    let result = tokio::select! {
        r = &mut down => r,
        r = up => match r {
            Ok(()) => down.await,
            Err(e) => {
                tracing::debug!(port, error = %e, "port-forward send failed; draining");
                down.await
            }
        },
    };
    if let Err(e) = result {
        tracing::debug!(port, error = %e, "port-forward stream ended with an error");
    }
}

#[cfg(test)]
mod tests {
    use tokio_tungstenite::tungstenite::protocol::Role;
    use tokio_tungstenite::WebSocketStream;

    use super::*;

    const PORT: u16 = 8080;

    /// A stream attached to one end of an in-memory WebSocket; the other
    /// end plays the kubelet.
    async fn pair() -> (PodStream, WebSocketStream<DuplexStream>) {
        let (a, b) = tokio::io::duplex(1 << 20);
        let client = WebSocketStream::from_raw_socket(a, Role::Client, None).await;
        let server = WebSocketStream::from_raw_socket(b, Role::Server, None).await;
        (attach(client, PORT), server)
    }

    fn frame(channel: u8, data: &[u8]) -> Message {
        let mut v = vec![channel];
        v.extend_from_slice(data);
        Message::binary(v)
    }

    async fn announce(server: &mut WebSocketStream<DuplexStream>) {
        server
            .send(frame(DATA, &PORT.to_le_bytes()))
            .await
            .expect("in-memory socket");
        server
            .send(frame(ERROR, &PORT.to_le_bytes()))
            .await
            .expect("in-memory socket");
    }

    #[tokio::test]
    async fn data_flows_both_ways_in_large_frames() {
        let (mut s, mut server) = pair().await;
        announce(&mut server).await;
        server
            .send(frame(DATA, b"hello"))
            .await
            .expect("in-memory socket");
        let mut buf = [0u8; 5];
        s.io.read_exact(&mut buf).await.expect("in-memory socket");
        assert_eq!(&buf, b"hello");

        let payload: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        s.io.write_all(&payload).await.expect("in-memory socket");
        let mut got = Vec::new();
        let mut frames = 0;
        while got.len() < payload.len() {
            let Message::Binary(b) = server.next().await.expect("a message").expect("readable")
            else {
                panic!("not binary");
            };
            assert_eq!(b[0], DATA, "client data goes on the data channel");
            assert!(b.len() <= FRAME + 1);
            got.extend_from_slice(&b[1..]);
            frames += 1;
        }
        assert_eq!(got, payload);
        // Far fewer than kube's 4 KiB frames would need (74).
        assert!(frames < 30, "{frames} frames");
    }

    #[tokio::test]
    async fn the_kubelets_error_and_close_reach_the_caller() {
        let (mut s, mut server) = pair().await;
        announce(&mut server).await;
        server
            .send(frame(ERROR, b"connection refused"))
            .await
            .expect("in-memory socket");
        let errors = s.errors.take().expect("error future");
        assert_eq!(errors.await.as_deref(), Some("connection refused"));
        server
            .send(Message::Close(None))
            .await
            .expect("in-memory socket");
        let mut rest = Vec::new();
        s.io.read_to_end(&mut rest).await.expect("in-memory socket");
        assert!(rest.is_empty());
    }

    #[tokio::test]
    async fn a_wrong_port_announcement_ends_the_stream() {
        let (mut s, mut server) = pair().await;
        server
            .send(frame(DATA, &9999u16.to_le_bytes()))
            .await
            .expect("in-memory socket");
        let mut rest = Vec::new();
        // EOF (the driver stopped), not a hang.
        let r = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            s.io.read_to_end(&mut rest),
        )
        .await;
        assert!(r.is_ok(), "the stream stayed open");
        assert!(rest.is_empty());
        assert!(s.errors.take().expect("error future").await.is_none());
    }
}
