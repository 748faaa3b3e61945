//! Samples the cluster every interval, only while someone holds a
//! [`Subscription`]: the first subscriber starts the task, dropping the last
//! one aborts it. The history stays (it is the hub's), so a view opened
//! again shows what was gathered before.

use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::history::{History, Retention};
use super::source::{read_sample, SampleScope};

/// One cluster's sampler and history (one per context).
pub struct MetricsHub {
    client: kube::Client,
    history: Arc<RwLock<History>>,
    running: Mutex<Weak<Running>>,
}

struct Running {
    task: JoinHandle<()>,
    readings: watch::Receiver<u64>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Keeps the sampler going while held; cheap to clone.
#[derive(Clone)]
pub struct Subscription {
    running: Arc<Running>,
    history: Arc<RwLock<History>>,
}

impl Subscription {
    /// Waits for the next reading (or failure) to be recorded.
    pub async fn changed(&mut self) -> bool {
        let mut rx = self.running.readings.clone();
        rx.borrow_and_update();
        rx.changed().await.is_ok()
    }

    /// A receiver that ticks once per reading recorded.
    pub fn readings(&self) -> watch::Receiver<u64> {
        self.running.readings.clone()
    }

    pub fn history(&self) -> Arc<RwLock<History>> {
        self.history.clone()
    }
}

impl MetricsHub {
    pub fn new(client: kube::Client, retention: Retention) -> Self {
        Self {
            client,
            history: Arc::new(RwLock::new(History::new(retention))),
            running: Mutex::new(Weak::new()),
        }
    }

    pub fn client(&self) -> &kube::Client {
        &self.client
    }

    pub fn history(&self) -> Arc<RwLock<History>> {
        self.history.clone()
    }

    /// Starts sampling unless it runs already. Must be called inside a
    /// Tokio runtime.
    pub fn subscribe(&self) -> Subscription {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(r) = running.upgrade() {
            return Subscription {
                running: r,
                history: self.history.clone(),
            };
        }
        let (tx, rx) = watch::channel(0u64);
        let client = self.client.clone();
        let history = self.history.clone();
        let interval = history
            .read()
            .map(|h| h.retention().interval_secs)
            .unwrap_or(15);
        let task = tokio::spawn(sample_loop(client, history, tx, interval));
        let r = Arc::new(Running { task, readings: rx });
        *running = Arc::downgrade(&r);
        Subscription {
            running: r,
            history: self.history.clone(),
        }
    }

    /// Whether a subscriber holds the sampler.
    pub fn is_sampling(&self) -> bool {
        self.running
            .lock()
            .map(|r| r.strong_count() > 0)
            .unwrap_or(false)
    }
}

async fn sample_loop(
    client: kube::Client,
    history: Arc<RwLock<History>>,
    tx: watch::Sender<u64>,
    interval_secs: u32,
) {
    let mut ticker = tokio::time::interval(Duration::from_secs(u64::from(interval_secs.max(1))));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut n = 0u64;
    loop {
        ticker.tick().await;
        let reading = read_sample(&client, &SampleScope::everything()).await;
        let now = jiff::Timestamp::now().as_second();
        {
            let Ok(mut h) = history.write() else { return };
            match reading {
                Ok(sample) => h.record(sample, now),
                Err(e) => {
                    tracing::debug!(error = %e, "metrics reading failed");
                    h.record_error(e);
                }
            }
        }
        n += 1;
        if tx.send(n).is_err() {
            return;
        }
    }
}
