//! Terminal output to the page: raw bytes in binary frames (an `ArrayBuffer`
//! in JS, never a JSON array of numbers), batched, never decoded here (xterm
//! decodes UTF-8 across frame boundaries), and on the same channel, in
//! order, a small JSON message when the process ends or the stream fails.

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
#[cfg(test)]
use ts_rs::TS;

/// The most bytes in one frame.
pub const FRAME_BYTES: usize = 64 * 1024;
/// How long output is gathered after its first chunk before it is sent:
/// about one display frame, so a burst costs one IPC message, not hundreds.
pub const FRAME_WAIT: Duration = Duration::from_millis(16);

/// The JSON messages of a terminal channel; output comes as raw frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase", tag = "event")]
#[cfg_attr(test, ts(export))]
pub enum TerminalEvent {
    /// The process ended; `code` is None when it is not known. Exit codes
    /// are small, so a JSON number (not ts-rs's bigint for i64).
    Exit {
        #[cfg_attr(test, ts(type = "number | null"))]
        code: Option<i64>,
    },
    /// The output stream broke (connection lost: no `kind`), or the process
    /// could not run (`kind` says why, e.g. `noShell`); an `exit` follows.
    Error {
        message: String,
        kind: Option<crate::ErrorKind>,
    },
}

/// A terminal's channel to the page.
pub struct FrameChannel(Channel<InvokeResponseBody>);

impl FrameChannel {
    pub fn new(channel: Channel<InvokeResponseBody>) -> Self {
        Self(channel)
    }

    /// Sends one frame of output; false when the page no longer listens.
    fn frame(&self, bytes: Vec<u8>) -> bool {
        let sent = self.0.send(InvokeResponseBody::Raw(bytes)).is_ok();
        if !sent {
            tracing::debug!("terminal frame not delivered: channel closed");
        }
        sent
    }

    /// Sends `event` as JSON; false when the page no longer listens.
    pub fn event(&self, event: &TerminalEvent) -> bool {
        let json = match serde_json::to_string(event) {
            Ok(json) => json,
            Err(e) => {
                tracing::error!(error = %e, "a terminal event could not be serialized");
                return false;
            }
        };
        self.0.send(InvokeResponseBody::Json(json)).is_ok()
    }

    /// Sends `buffer` in frames of at most [`FRAME_BYTES`] and empties it.
    fn flush(&self, buffer: &mut Vec<u8>) -> bool {
        let mut delivered = true;
        for frame in buffer.chunks(FRAME_BYTES) {
            delivered = self.frame(frame.to_vec());
            if !delivered {
                break;
            }
        }
        buffer.clear();
        delivered
    }
}

/// Forwards `output` to `sink` until it ends (None) or fails (its error).
/// Chunks are gathered for up to [`FRAME_WAIT`] after the first, or until
/// [`FRAME_BYTES`] are waiting. Stops early when the page is gone.
pub async fn forward<S>(mut output: S, sink: &FrameChannel) -> Option<String>
where
    S: Stream<Item = Result<Vec<u8>, String>> + Unpin,
{
    let mut buffer = Vec::with_capacity(FRAME_BYTES);
    loop {
        // Idle: wait as long as it takes for the next output.
        match output.next().await {
            None => return None,
            Some(Err(e)) => return Some(e),
            Some(Ok(chunk)) => buffer.extend_from_slice(&chunk),
        }
        let deadline = tokio::time::Instant::now() + FRAME_WAIT;
        let mut ended = None;
        while buffer.len() < FRAME_BYTES {
            match tokio::time::timeout_at(deadline, output.next()).await {
                Err(_) => break,
                Ok(None) => {
                    ended = Some(None);
                    break;
                }
                Ok(Some(Err(e))) => {
                    ended = Some(Some(e));
                    break;
                }
                Ok(Some(Ok(chunk))) => buffer.extend_from_slice(&chunk),
            }
        }
        if !sink.flush(&mut buffer) {
            return None;
        }
        if let Some(end) = ended {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures_util::stream;

    use super::*;

    #[derive(Debug, PartialEq)]
    enum Got {
        Frame(Vec<u8>),
        Json(String),
    }

    fn recording() -> (FrameChannel, Arc<Mutex<Vec<Got>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = got.clone();
        let channel = Channel::new(move |body| {
            let item = match body {
                InvokeResponseBody::Raw(bytes) => Got::Frame(bytes),
                InvokeResponseBody::Json(json) => Got::Json(json),
            };
            seen.lock().expect("test lock").push(item);
            Ok(())
        });
        (FrameChannel::new(channel), got)
    }

    fn taken(got: &Arc<Mutex<Vec<Got>>>) -> Vec<Got> {
        std::mem::take(&mut *got.lock().expect("test lock"))
    }

    #[tokio::test]
    async fn chunks_that_come_together_go_as_one_raw_frame_undecoded() {
        let (sink, got) = recording();
        // "€" split across reads, and bytes that are not UTF-8 at all.
        let chunks = vec![
            Ok(b"hi ".to_vec()),
            Ok(vec![0xe2, 0x82]),
            Ok(vec![0xac, 0xff, 0x00]),
        ];
        assert_eq!(forward(stream::iter(chunks), &sink).await, None);
        assert_eq!(
            taken(&got),
            vec![Got::Frame(vec![
                b'h', b'i', b' ', 0xe2, 0x82, 0xac, 0xff, 0x00
            ])]
        );
    }

    #[tokio::test]
    async fn large_output_is_split_into_bounded_frames_in_order() {
        let (sink, got) = recording();
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let chunks: Vec<Result<Vec<u8>, String>> =
            data.chunks(4096).map(|c| Ok(c.to_vec())).collect();
        assert_eq!(forward(stream::iter(chunks), &sink).await, None);
        let frames = taken(&got);
        assert!(frames.len() >= 4, "{} frames", frames.len());
        let mut joined = Vec::new();
        for frame in frames {
            let Got::Frame(bytes) = frame else {
                panic!("only frames expected");
            };
            assert!(bytes.len() <= FRAME_BYTES, "{} bytes", bytes.len());
            joined.extend(bytes);
        }
        assert_eq!(joined, data, "byte-identical");
    }

    #[tokio::test]
    async fn a_failing_stream_flushes_what_came_then_returns_its_error() {
        let (sink, got) = recording();
        let chunks = vec![Ok(b"partial".to_vec()), Err("connection lost".to_owned())];
        assert_eq!(
            forward(stream::iter(chunks), &sink).await.as_deref(),
            Some("connection lost")
        );
        assert_eq!(taken(&got), vec![Got::Frame(b"partial".to_vec())]);
    }

    #[test]
    fn events_are_small_json_messages() {
        let (sink, got) = recording();
        assert!(sink.event(&TerminalEvent::Exit { code: Some(3) }));
        assert!(sink.event(&TerminalEvent::Error {
            message: "gone".into(),
            kind: None,
        }));
        assert!(sink.event(&TerminalEvent::Error {
            message: "no shell".into(),
            kind: Some(crate::ErrorKind::NoShell),
        }));
        assert!(sink.event(&TerminalEvent::Exit { code: None }));
        assert_eq!(
            taken(&got),
            vec![
                Got::Json(r#"{"event":"exit","code":3}"#.into()),
                Got::Json(r#"{"event":"error","message":"gone","kind":null}"#.into()),
                Got::Json(r#"{"event":"error","message":"no shell","kind":"noShell"}"#.into()),
                Got::Json(r#"{"event":"exit","code":null}"#.into()),
            ]
        );
    }
}
