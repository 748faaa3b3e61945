//! Open sessions the page holds by id (live views, log streams,
//! terminals), and the one adapter from a crate's sink to a Tauri Channel.
//!
//! A session is whatever handle stops its work when dropped, so removing it
//! (the page closed it) or [`SessionRegistry::close_all`] (the page was
//! reloaded and lost its channels) ends it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use capstan_kube::forward::{ForwardSink, ForwardStatus};
use capstan_kube::logs::{LogBatch, LogSink};
use capstan_kube::table::{LiveSink, ViewEvent};
use tauri::ipc::Channel;

/// Sessions of one kind by id; ids start at 1 and are never reused.
pub struct SessionRegistry<T> {
    /// What a session is, for diagnostics ("view", "log session").
    what: &'static str,
    next: AtomicU32,
    open: Mutex<HashMap<u32, T>>,
}

impl<T> SessionRegistry<T> {
    pub fn new(what: &'static str) -> Self {
        Self {
            what,
            next: AtomicU32::new(0),
            open: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u32, T>> {
        // A plain map: a panic elsewhere cannot leave it inconsistent.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Holds `session`; returns its id.
    pub fn insert(&self, session: T) -> u32 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.lock().insert(id, session);
        id
    }

    /// Takes session `id` out (dropping it ends it); None when it was
    /// already gone.
    pub fn remove(&self, id: u32) -> Option<T> {
        let removed = self.lock().remove(&id);
        tracing::debug!(
            id,
            found = removed.is_some(),
            what = self.what,
            "session closed"
        );
        removed
    }

    /// What `read` makes of session `id`, if it is open.
    pub fn with<R>(&self, id: u32, read: impl FnOnce(&T) -> R) -> Option<R> {
        self.lock().get(&id).map(read)
    }

    /// Ends every session; returns how many there were.
    pub fn close_all(&self) -> usize {
        // Dropped after the lock is released: a session's Drop may take time.
        let closed: Vec<T> = self.lock().drain().map(|(_, s)| s).collect();
        if !closed.is_empty() {
            tracing::debug!(
                count = closed.len(),
                what = self.what,
                "closing every session"
            );
        }
        closed.len()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

/// A crate's sink over a Tauri Channel. A closed channel means the page is
/// gone; the registry ends the session on reload, so a failed send is only
/// logged.
pub struct ChannelSink<M>(Channel<M>);

impl<M: tauri::ipc::IpcResponse> ChannelSink<M> {
    pub fn new(channel: Channel<M>) -> Self {
        Self(channel)
    }

    /// Sends `message`; false when the page no longer listens.
    pub fn deliver(&self, message: M) -> bool {
        let sent = self.0.send(message).is_ok();
        if !sent {
            tracing::debug!(
                message = std::any::type_name::<M>(),
                "not delivered: channel closed"
            );
        }
        sent
    }
}

impl ForwardSink for ChannelSink<ForwardStatus> {
    fn status(&self, status: &ForwardStatus) {
        // list_forwards still works when the page that started it is gone.
        self.deliver(status.clone());
    }
}

impl LogSink for ChannelSink<LogBatch> {
    fn batch(&self, batch: LogBatch) {
        self.deliver(batch);
    }
}

impl capstan_kube::helm::OutputSink for ChannelSink<capstan_kube::helm::OutputLine> {
    fn line(&self, line: capstan_kube::helm::OutputLine) {
        self.deliver(line);
    }
}

impl LiveSink for ChannelSink<ViewEvent> {
    fn send(&self, event: ViewEvent) -> bool {
        if let ViewEvent::Snapshot { rows } = &event {
            tracing::debug!(rows = rows.len(), "view snapshot sent");
        }
        self.deliver(event)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    use super::*;

    /// Counts its drops: a dropped session is an ended one.
    struct Session(Arc<AtomicUsize>);
    impl Drop for Session {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn ids_are_fresh_and_removal_ends_one_session() {
        let ended = Arc::new(AtomicUsize::new(0));
        let reg = SessionRegistry::new("test session");
        let a = reg.insert(Session(ended.clone()));
        let b = reg.insert(Session(ended.clone()));
        assert_ne!(a, b);
        assert!(a > 0 && b > 0, "0 is never an id");
        assert_eq!(reg.with(a, |_| "open"), Some("open"));

        drop(reg.remove(a));
        assert_eq!(ended.load(Ordering::SeqCst), 1);
        assert!(reg.remove(a).is_none(), "already gone");
        assert_eq!(reg.with(a, |_| ()), None);
        assert_eq!(reg.len(), 1);

        let c = reg.insert(Session(ended.clone()));
        assert!(c > b, "ids are not reused");
    }

    #[test]
    fn close_all_ends_every_session() {
        let ended = Arc::new(AtomicUsize::new(0));
        let reg = SessionRegistry::new("test session");
        for _ in 0..3 {
            reg.insert(Session(ended.clone()));
        }
        assert_eq!(reg.close_all(), 3);
        assert_eq!(ended.load(Ordering::SeqCst), 3);
        assert_eq!(reg.len(), 0);
        assert_eq!(reg.close_all(), 0);
    }

    #[test]
    fn a_channel_sink_delivers_until_the_page_is_gone() {
        let got = Arc::new(Mutex::new(Vec::<u64>::new()));
        let seen = got.clone();
        let channel: Channel<u64> = Channel::new(move |body| {
            if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                seen.lock()
                    .expect("test lock")
                    .push(json.parse().expect("a number"));
            }
            Ok(())
        });
        let sink = ChannelSink::new(channel);
        assert!(sink.deliver(7));
        assert_eq!(*got.lock().expect("test lock"), vec![7]);

        let gone: Channel<u64> = Channel::new(|_| Err(tauri::Error::WebviewNotFound));
        assert!(!ChannelSink::new(gone).deliver(8));
    }
}
