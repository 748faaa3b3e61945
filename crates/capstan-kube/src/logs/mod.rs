//! Container logs: one pod, a workload's pods or a label selector, followed
//! with resume after drops, merged by timestamp and batched to a sink.
//!
//! Shape: [`open_logs`] resolves the target, watches its pods and runs one
//! [`stream`] task per container; every task sends [`stream::Piece`]s to the
//! [`batch`] loop, which merges them ([`merge`]) and hands a [`LogBatch`] to
//! the [`LogSink`] about every 50 ms. [`download`] writes a full log to a file.

mod batch;
pub mod download;
mod merge;
mod options;
mod parse;
mod sources;
mod stream;
mod types;

pub use batch::{LogHandle, LogSink};
pub use download::download_log;
pub use options::{parse_since, ContainerChoice, LogOptions, LogTarget, DEFAULT_TAIL};
pub use parse::split_timestamp;
pub use sources::open_logs;
pub use types::{LogBatch, LogLine, LogMarker, LogSource, MarkerKind};

/// Benchmark and test entry: feed recorded raw lines (with server stamps)
/// through the same parser, merger and batcher the live path uses.
pub use batch::replay;
