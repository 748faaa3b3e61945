//! The bounded queue between a view's watches and the Table filler. The
//! watches report from synchronous callbacks and must never wait on the
//! filler's requests, so a full channel does not block them: what does not
//! fit is folded into one pending snapshot-or-deltas plus the latest status,
//! which hold at most the view's rows however long the filler is slow.
//! Order is kept: once something is folded, later events are folded too
//! until the filler has drained the channel and taken the folded ones.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc::{self, error::TryRecvError, error::TrySendError};

use super::ViewEvent;
use crate::rows::Row;

/// Events the channel holds before new ones are folded.
pub(super) const CAPACITY: usize = 64;

pub(super) fn queue(capacity: usize) -> (QueueSender, QueueReceiver) {
    let (tx, rx) = mpsc::channel(capacity);
    let folded = Arc::new(Mutex::new(Folded::default()));
    (
        QueueSender {
            tx,
            folded: folded.clone(),
        },
        QueueReceiver { rx, folded },
    )
}

pub(super) struct QueueSender {
    tx: mpsc::Sender<ViewEvent>,
    folded: Arc<Mutex<Folded>>,
}

pub(super) struct QueueReceiver {
    rx: mpsc::Receiver<ViewEvent>,
    folded: Arc<Mutex<Folded>>,
}

/// What did not fit in the channel, in the order it goes out: columns,
/// rows (a snapshot or merged deltas), then the latest status.
#[derive(Default)]
struct Folded {
    columns: Option<ViewEvent>,
    rows: Option<ViewEvent>,
    status: Option<ViewEvent>,
}

fn lock(folded: &Mutex<Folded>) -> MutexGuard<'_, Folded> {
    // Plain data: a panic elsewhere cannot leave it inconsistent.
    folded.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Folded {
    fn is_empty(&self) -> bool {
        self.columns.is_none() && self.rows.is_none() && self.status.is_none()
    }

    fn take(&mut self) -> Option<ViewEvent> {
        self.columns
            .take()
            .or_else(|| self.rows.take())
            .or_else(|| self.status.take())
    }

    fn fold(&mut self, event: ViewEvent) {
        match event {
            ViewEvent::Columns { .. } => self.columns = Some(event),
            ViewEvent::Status { .. } => self.status = Some(event),
            // A snapshot replaces everything shown before it.
            ViewEvent::Snapshot { .. } => self.rows = Some(event),
            ViewEvent::Deltas { upserts, deletes } => {
                self.rows = Some(match self.rows.take() {
                    None => ViewEvent::Deltas { upserts, deletes },
                    Some(ViewEvent::Snapshot { mut rows }) => {
                        let gone: HashSet<String> = deletes.into_iter().collect();
                        rows.retain(|r| !gone.contains(&r.uid));
                        upsert(&mut rows, upserts);
                        ViewEvent::Snapshot { rows }
                    }
                    Some(ViewEvent::Deltas {
                        upserts: mut held,
                        deletes: mut held_deletes,
                    }) => {
                        let gone: HashSet<&String> = deletes.iter().collect();
                        held.retain(|r| !gone.contains(&r.uid));
                        let back: HashSet<&str> = upserts.iter().map(|r| r.uid.as_str()).collect();
                        held_deletes.retain(|uid| !back.contains(uid.as_str()));
                        for uid in deletes {
                            if !held_deletes.contains(&uid) {
                                held_deletes.push(uid);
                            }
                        }
                        upsert(&mut held, upserts);
                        ViewEvent::Deltas {
                            upserts: held,
                            deletes: held_deletes,
                        }
                    }
                    Some(other) => other,
                });
            }
        }
    }
}

/// Replaces rows of the same uid in place, appends the others.
fn upsert(rows: &mut Vec<Row>, fresh: Vec<Row>) {
    let mut at: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.uid.clone(), i))
        .collect();
    for row in fresh {
        match at.get(&row.uid) {
            Some(&i) => rows[i] = row,
            None => {
                at.insert(row.uid.clone(), rows.len());
                rows.push(row);
            }
        }
    }
}

impl QueueSender {
    /// Queues `event` without waiting; false once the filler is gone.
    pub(super) fn send(&self, event: ViewEvent) -> bool {
        let mut folded = lock(&self.folded);
        if !folded.is_empty() {
            folded.fold(event);
            return !self.tx.is_closed();
        }
        match self.tx.try_send(event) {
            Ok(()) => true,
            Err(TrySendError::Full(event)) => {
                folded.fold(event);
                true
            }
            Err(TrySendError::Closed(_)) => false,
        }
    }
}

impl QueueReceiver {
    /// The next event in order; None once the sender is gone and all is
    /// taken.
    pub(super) async fn recv(&mut self) -> Option<ViewEvent> {
        match self.rx.try_recv() {
            Ok(event) => return Some(event),
            Err(TryRecvError::Disconnected) => return lock(&self.folded).take(),
            Err(TryRecvError::Empty) => {}
        }
        // The channel is drained, so folded events are next. Nothing is
        // folded while the channel has room, so none can appear while we
        // wait below.
        if let Some(event) = lock(&self.folded).take() {
            return Some(event);
        }
        match self.rx.recv().await {
            Some(event) => Some(event),
            None => lock(&self.folded).take(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ViewStatus;

    fn row(uid: &str, name: &str) -> Row {
        Row {
            uid: uid.into(),
            name: name.into(),
            namespace: None,
            cells: Vec::new(),
            created: None,
        }
    }

    fn deltas(upserts: Vec<Row>, deletes: &[&str]) -> ViewEvent {
        ViewEvent::Deltas {
            upserts,
            deletes: deletes.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn status(status: ViewStatus) -> ViewEvent {
        ViewEvent::Status { status }
    }

    async fn drain(rx: &mut QueueReceiver) -> Vec<ViewEvent> {
        let mut out = Vec::new();
        // The sender is dropped by the callers: recv ends with None.
        while let Some(e) = rx.recv().await {
            out.push(e);
        }
        out
    }

    #[tokio::test]
    async fn events_that_fit_pass_in_order() {
        let (tx, mut rx) = queue(4);
        assert!(tx.send(status(ViewStatus::Listing)));
        assert!(tx.send(ViewEvent::Snapshot {
            rows: vec![row("a", "a")]
        }));
        assert!(tx.send(status(ViewStatus::Live)));
        drop(tx);
        assert_eq!(
            drain(&mut rx).await,
            vec![
                status(ViewStatus::Listing),
                ViewEvent::Snapshot {
                    rows: vec![row("a", "a")]
                },
                status(ViewStatus::Live),
            ]
        );
    }

    #[tokio::test]
    async fn a_slow_filler_gets_the_overflow_folded_and_nothing_is_lost() {
        let (tx, mut rx) = queue(2);
        assert!(tx.send(ViewEvent::Snapshot {
            rows: vec![row("a", "a1"), row("b", "b1")]
        }));
        assert!(tx.send(deltas(vec![row("c", "c1")], &[])));
        // Full from here on: folded.
        assert!(tx.send(deltas(vec![row("a", "a2")], &["b"])));
        assert!(tx.send(status(ViewStatus::Reconnecting { reason: "x".into() })));
        assert!(tx.send(deltas(vec![row("b", "b2"), row("d", "d1")], &["c"])));
        assert!(tx.send(deltas(vec![row("d", "d2")], &[])));
        assert!(tx.send(status(ViewStatus::Live)));
        drop(tx);
        assert_eq!(
            drain(&mut rx).await,
            vec![
                ViewEvent::Snapshot {
                    rows: vec![row("a", "a1"), row("b", "b1")]
                },
                deltas(vec![row("c", "c1")], &[]),
                // b deleted then back; c deleted; a and d at their latest.
                deltas(vec![row("a", "a2"), row("b", "b2"), row("d", "d2")], &["c"]),
                status(ViewStatus::Live),
            ]
        );
    }

    #[tokio::test]
    async fn deltas_after_a_folded_snapshot_are_applied_to_it() {
        let (tx, mut rx) = queue(1);
        assert!(tx.send(status(ViewStatus::Listing)));
        assert!(tx.send(ViewEvent::Snapshot {
            rows: vec![row("a", "a1"), row("b", "b1")]
        }));
        assert!(tx.send(deltas(vec![row("c", "c1"), row("a", "a2")], &["b"])));
        drop(tx);
        assert_eq!(
            drain(&mut rx).await,
            vec![
                status(ViewStatus::Listing),
                ViewEvent::Snapshot {
                    rows: vec![row("a", "a2"), row("c", "c1")]
                },
            ]
        );
    }

    #[tokio::test]
    async fn the_queue_stays_bounded_however_much_is_sent() {
        let (tx, mut rx) = queue(CAPACITY);
        for i in 0..10_000 {
            let uid = format!("u{}", i % 100);
            assert!(tx.send(deltas(vec![row(&uid, &i.to_string())], &[])));
            assert!(tx.send(status(ViewStatus::Live)));
        }
        drop(tx);
        let got = drain(&mut rx).await;
        // What the channel holds, then one folded batch and one status.
        assert_eq!(got.len(), CAPACITY + 2, "{got:?}");
        let Some(ViewEvent::Deltas { upserts, .. }) = got.get(CAPACITY) else {
            panic!("folded deltas expected: {got:?}");
        };
        assert_eq!(upserts.len(), 100, "one row per uid");
    }

    #[tokio::test]
    async fn a_gone_filler_is_reported() {
        let (tx, rx) = queue(1);
        drop(rx);
        assert!(!tx.send(status(ViewStatus::Live)));
    }
}
