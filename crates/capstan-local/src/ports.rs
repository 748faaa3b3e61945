//! Host port mappings published on server 0 (for a load balancer or an
//! ingress in the cluster): `[ADDRESS:]HOST[:CONTAINER][/tcp|udp]`, as
//! `docker run -p` and k3d's `-p` write them, without k3d's node filters.
//! Bound to 127.0.0.1 unless the user names another address: a local
//! cluster is not for the network unless asked.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

/// Where a mapping is bound when no address is given.
pub const DEFAULT_HOST_IP: &str = "127.0.0.1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "PortProtocol"))]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// One published port: `host_ip:host_port` on this machine to
/// `container_port` of server 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
// Named apart from capstan-kube's port-forward `PortMapping` in ui/src/bindings.
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HostPortMapping"))]
pub struct PortMapping {
    /// An IPv4 address of this machine; 127.0.0.1 unless asked otherwise.
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    pub protocol: Protocol,
}

/// Why a mapping was refused; `spec` wraps it with the mapping's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortProblem {
    #[error("write HOST[:CONTAINER][/tcp|udp], e.g. 8080:80, optionally after an address (0.0.0.0:8080:80)")]
    Syntax,
    #[error("`{0}` is not a port: use 1 to 65535")]
    BadPort(String),
    #[error("`{0}` is not an IPv4 address of this machine")]
    BadAddress(String),
    #[error("`{0}` is not a protocol: use tcp or udp")]
    BadProtocol(String),
    #[error("node filters (`@...`) are not supported: mappings are published on the first server")]
    NodeFilter,
}

impl PortMapping {
    /// A mapping on 127.0.0.1.
    pub fn loopback(host_port: u16, container_port: u16, protocol: Protocol) -> Self {
        PortMapping {
            host_ip: DEFAULT_HOST_IP.to_owned(),
            host_port,
            container_port,
            protocol,
        }
    }

    /// `80/tcp`: the engine's key for the container side.
    pub fn container_key(&self) -> String {
        format!("{}/{}", self.container_port, self.protocol.as_str())
    }

    /// Whether it listens on every interface rather than this machine only.
    pub fn is_all_interfaces(&self) -> bool {
        self.host_ip == "0.0.0.0"
    }

    /// Whether both would need the same host socket (a wildcard address
    /// overlaps every other one).
    pub fn clashes_with(&self, other: &PortMapping) -> bool {
        self.host_port == other.host_port
            && self.protocol == other.protocol
            && (self.host_ip == other.host_ip
                || self.is_all_interfaces()
                || other.is_all_interfaces())
    }
}

impl fmt::Display for PortMapping {
    /// The full form, which parses back to the same mapping (the label format).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}/{}",
            self.host_ip,
            self.host_port,
            self.container_port,
            self.protocol.as_str()
        )
    }
}

fn port(text: &str) -> Result<u16, PortProblem> {
    match text.parse::<u16>() {
        Ok(p) if p > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(p),
        _ => Err(PortProblem::BadPort(text.to_owned())),
    }
}

impl FromStr for PortMapping {
    type Err = PortProblem;

    fn from_str(text: &str) -> Result<Self, PortProblem> {
        let text = text.trim();
        if text.contains('@') {
            return Err(PortProblem::NodeFilter);
        }
        let (ports, protocol) = match text.split_once('/') {
            None => (text, Protocol::Tcp),
            Some((p, "tcp")) => (p, Protocol::Tcp),
            Some((p, "udp")) => (p, Protocol::Udp),
            Some((_, other)) => return Err(PortProblem::BadProtocol(other.to_owned())),
        };
        let parts: Vec<&str> = ports.split(':').collect();
        let (host_ip, host, container) = match parts.as_slice() {
            [host] => (DEFAULT_HOST_IP, *host, *host),
            [host, container] => (DEFAULT_HOST_IP, *host, *container),
            [ip, host, container] => (*ip, *host, *container),
            _ => return Err(PortProblem::Syntax),
        };
        if host.is_empty() || container.is_empty() {
            return Err(PortProblem::Syntax);
        }
        // IPv4 only: the engine's IPv6 publishing depends on its daemon settings.
        if host_ip.parse::<Ipv4Addr>().is_err() {
            return Err(PortProblem::BadAddress(host_ip.to_owned()));
        }
        Ok(PortMapping {
            host_ip: host_ip.to_owned(),
            host_port: port(host)?,
            container_port: port(container)?,
            protocol,
        })
    }
}

/// The label value: every mapping in its full form, comma-separated.
pub fn to_label(ports: &[PortMapping]) -> String {
    ports
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Mappings read back from the label; parts that do not parse are skipped
/// (a label edited by hand must not hide the cluster).
pub fn from_label(value: &str) -> Vec<PortMapping> {
    value
        .split(',')
        .filter(|p| !p.trim().is_empty())
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// Why this machine cannot bind the mapping's host socket now (in use, or
/// not an address of this machine), or None when it can.
pub fn bind_error(m: &PortMapping) -> Option<std::io::Error> {
    let addr = (m.host_ip.as_str(), m.host_port);
    match m.protocol {
        Protocol::Tcp => std::net::TcpListener::bind(addr).err(),
        Protocol::Udp => std::net::UdpSocket::bind(addr).err(),
    }
}

#[cfg(test)]
#[path = "ports_tests.rs"]
mod tests;
