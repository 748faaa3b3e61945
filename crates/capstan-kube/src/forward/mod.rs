//! Port-forward to pods, services and workloads (DESIGN.md §5): loopback
//! listeners, one WebSocket stream per accepted connection, and healing when
//! the target pod goes away.

mod forwarder;
mod heal;
mod listener;
mod ports;
mod pump;
mod registry;
pub mod restore;
pub mod saved;
mod spec;
mod stream;
mod target;
mod warm;

pub use forwarder::{
    Forward, ForwardOptions, ForwardSink, ForwardState, ForwardStatus, ListenerInfo, NoSink,
};
pub use ports::{forward_ports, OfferedPort};
pub use registry::ForwardRegistry;
pub use restore::{
    parse_address, FailedForward, RestoreOutcome, SavedForwardsState, SavedForwardsView,
};
pub use saved::{SavedForward, SavedForwards};
pub use spec::{ForwardSpec, PortMapping, RemotePort, TargetKind, TargetRef};
pub use target::{resolve, Resolved};
