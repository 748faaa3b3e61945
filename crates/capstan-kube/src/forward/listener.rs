//! The local side of a forward: binding the listeners, accepting
//! connections, and serving each one over its own stream to the pod.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use super::forwarder::Shared;
use super::pump::{pump, LINGER};
use super::stream::{self, ErrorFuture, PodStream};
use crate::Error;

/// Binds `port` on `address`, or on 127.0.0.1 and (when the system has it)
/// ::1. Port 0 lets the OS pick; ::1 then takes the same number.
pub(super) async fn bind(
    port: u16,
    address: Option<IpAddr>,
) -> Result<Vec<(TcpListener, SocketAddr)>, Error> {
    let busy = |addr: SocketAddr, e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::PortInUse {
                address: addr.ip().to_string(),
                port: addr.port(),
            }
        } else {
            Error::ListenFailed {
                address: addr.to_string(),
                detail: e.to_string(),
            }
        }
    };
    let first = SocketAddr::new(address.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)), port);
    let l = TcpListener::bind(first).await.map_err(|e| busy(first, e))?;
    let a = l.local_addr().map_err(|e| busy(first, e))?;
    let mut out = vec![(l, a)];
    if address.is_none() {
        let v6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), a.port());
        match TcpListener::bind(v6).await {
            Ok(l) => {
                let a6 = l.local_addr().map_err(|e| busy(v6, e))?;
                out.push((l, a6));
            }
            // No IPv6 loopback here: IPv4 alone is fine.
            Err(e) if e.kind() == std::io::ErrorKind::AddrNotAvailable => {}
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(busy(v6, e)),
            Err(e) => tracing::debug!(%e, "no IPv6 loopback listener"),
        }
    }
    Ok(out)
}

pub(super) async fn accept_loop(shared: Arc<Shared>, index: usize, listener: TcpListener) {
    // Connections live in the set so aborting this task ends them all.
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    tracing::debug!(%peer, "forward connection");
                    conns.spawn(connection(shared.clone(), index, stream));
                }
                Err(e) => {
                    // Per-connection accept errors (EMFILE, aborted) pass.
                    tracing::warn!(%e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

async fn connection(shared: Arc<Shared>, index: usize, stream: TcpStream) {
    shared.total.fetch_add(1, Ordering::Relaxed);
    shared.active.fetch_add(1, Ordering::Relaxed);
    if let Err(msg) = serve(&shared, index, stream).await {
        tracing::warn!(id = shared.id, %msg, "forward connection failed");
        shared.sink.connection_error(shared.id, &msg);
    }
    shared.active.fetch_sub(1, Ordering::Relaxed);
}

async fn serve(shared: &Arc<Shared>, index: usize, mut stream: TcpStream) -> Result<(), String> {
    // Two tries: a first failure may be a pod that just went away.
    let mut last = String::new();
    for attempt in 0..2 {
        let r = shared
            .pod_for_connection()
            .await
            .map_err(|e| e.to_string())?;
        let port = r.ports[index];
        let warm = if attempt == 0 {
            shared.wait_warm(index, &r.pod, port).await
        } else {
            None
        };
        shared.spawn_warm(index);
        let (upstream, early) = match warm {
            Some(t) => (t.stream, t.early),
            None => match stream::open(&shared.client, &shared.namespace, &r.pod, port).await {
                Ok(s) => (s, Vec::new()),
                Err(e) => {
                    last = format!("cannot open a stream to pod {}: {e}", r.pod);
                    shared.invalidate(last.clone());
                    continue;
                }
            },
        };
        let PodStream {
            io: upstream,
            errors,
            guard,
        } = upstream;
        let pumping = async {
            if !early.is_empty() {
                stream.write_all(&early).await?;
                shared
                    .received
                    .fetch_add(early.len() as u64, Ordering::Relaxed);
            }
            pump(stream, upstream, &shared.sent, &shared.received, LINGER).await
        };
        // The kubelet's error report is watched within this connection's
        // task, so it ends with the connection.
        let result = with_error_watch(pumping, errors, shared, &r.pod, port).await;
        drop(guard);
        return result.map_err(|e| format!("connection to pod {} port {port}: {e}", r.pod));
    }
    Err(last)
}

/// Runs `pumping` to its end; meanwhile a kubelet error on the stream
/// (e.g. "connection refused" inside the pod) asks the healer to look now.
async fn with_error_watch<T>(
    pumping: impl std::future::Future<Output = T>,
    mut errors: Option<ErrorFuture>,
    shared: &Shared,
    pod: &str,
    port: u16,
) -> T {
    tokio::pin!(pumping);
    loop {
        let Some(watch) = errors.as_mut() else {
            return pumping.await;
        };
        tokio::select! {
            result = &mut pumping => return result,
            reported = watch => {
                errors = None;
                if let Some(e) = reported {
                    tracing::warn!(%pod, port, error = %e, "port-forward error");
                    shared.heal_now.notify_one();
                }
            }
        }
    }
}
