//! Free local ports for tests that bind them later (a cluster's published
//! port, a forward's local port, a driver's port).
//!
//! Port 0 hands out a port from the kernel's ephemeral range, which the same
//! kernel gives to outgoing connections (kubectl, the WebDriver session, the
//! app) in the meantime; a port below that range is only ever taken by a
//! listener asking for it by number.

use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, Ordering};

const LOWEST: u16 = 20_000;

/// The first port of the ephemeral range (32768 when it cannot be read).
fn ephemeral_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .filter(|&p: &u16| p > LOWEST + 1000)
        .unwrap_or(32_768)
}

/// A port on 127.0.0.1 that was free just now, below the ephemeral range.
/// Successive calls in one process never return the same port, and
/// processes start at different places (the pid), so parallel test binaries
/// rarely try the same ones.
pub fn free_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let end = ephemeral_start();
    let span = end - LOWEST;
    let _ = NEXT.compare_exchange(
        0,
        (std::process::id() % u32::from(span)) as u16,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    for _ in 0..span {
        let offset = NEXT.fetch_add(1, Ordering::SeqCst) % span;
        let port = LOWEST + offset;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port on 127.0.0.1 between {LOWEST} and {end}");
}
