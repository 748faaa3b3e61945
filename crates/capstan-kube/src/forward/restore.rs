//! The app's saved forwards at run time (opt-in per context, the file is
//! [`super::saved`]): which running forward belongs to which context, so the
//! file is rewritten whenever a forward of an enabled context starts or
//! stops, and the saved forwards that failed to come back.
//!
//! They come back on the first use of their context in a session — when the
//! UI opens that context — as Lens does with a cluster's forwards: starting
//! the app never reaches out to clusters the user is not opening (exec
//! plugins, VPNs, production), and the context opened at start gets its
//! forwards back right away. A forward that cannot come back is listed as
//! failed with the reason until it is retried successfully or dismissed (it
//! stays saved meanwhile).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::forwarder::{ForwardOptions, ForwardSink, ForwardStatus, NoSink};
use super::registry::ForwardRegistry;
use super::saved::{self, SavedForward, SavedForwards};
use crate::{ClientCache, Error};

/// A saved forward that did not come back, shown in the panel until it is
/// retried successfully or dismissed (it stays saved meanwhile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct FailedForward {
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub id: u64,
    pub context: String,
    pub forward: SavedForward,
    pub reason: String,
}

/// What the panel shows about saving for one context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct SavedForwardsView {
    pub enabled: bool,
    pub failed: Vec<FailedForward>,
}

/// What a restore did, so the UI can open the panel when there is news.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct RestoreOutcome {
    pub restored: u32,
    pub failed: u32,
}

#[derive(Default)]
struct Inner {
    /// Forwards started through the app: registry id -> (context, as saved).
    running: BTreeMap<u64, (String, SavedForward)>,
    failed: BTreeMap<u64, FailedForward>,
    next_failed: u64,
    /// Contexts whose saved forwards were restored (or deliberately not)
    /// this session: restore happens once per context.
    restored: BTreeSet<String>,
}

/// The app's forwards over a [`ForwardRegistry`], kept in step with the
/// saved-forwards file.
#[derive(Default)]
pub struct SavedForwardsState {
    inner: Mutex<Inner>,
    /// None: the app's `forwards.json` (tests name another file).
    file: Option<PathBuf>,
}

/// Reads an optional bind address. Anything but loopback exposes the pod to
/// whoever can reach it, so it is refused unless `allow_non_loopback`.
pub fn parse_address(
    address: Option<&str>,
    allow_non_loopback: bool,
) -> Result<Option<IpAddr>, Error> {
    match address.map(str::trim).filter(|a| !a.is_empty()) {
        None => Ok(None),
        Some(text) => {
            let ip: IpAddr = text
                .parse()
                .map_err(|_| Error::InvalidInput(format!("{text} is not an IP address")))?;
            if !ip.is_loopback() && !allow_non_loopback {
                return Err(Error::InvalidInput(format!(
                    "binding to {ip} exposes the pod beyond this machine; confirm it explicitly"
                )));
            }
            Ok(Some(ip))
        }
    }
}

impl SavedForwardsState {
    /// State kept in step with `file` instead of the app's `forwards.json`.
    pub fn with_file(file: PathBuf) -> Self {
        Self {
            inner: Mutex::default(),
            file: Some(file),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Plain maps: a panic elsewhere cannot leave them inconsistent.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn file(&self) -> Result<PathBuf, Error> {
        match &self.file {
            Some(path) => Ok(path.clone()),
            None => saved::saved_forwards_path(),
        }
    }

    /// What `context` should have saved: its running forwards, then the
    /// ones still failing (they stay saved until dismissed).
    fn wanted(&self, context: &str) -> Vec<SavedForward> {
        let inner = self.lock();
        let running = inner
            .running
            .values()
            .filter(|(c, _)| c == context)
            .map(|(_, f)| f.clone());
        let failed = inner
            .failed
            .values()
            .filter(|f| f.context == context)
            .map(|f| f.forward.clone());
        running.chain(failed).collect()
    }

    /// Writes `context`'s list when saving is on for it. A failure is
    /// logged: the forward itself is fine, and the panel shows a bad file.
    fn persist(&self, context: &str) {
        let wanted = self.wanted(context);
        let result = self
            .file()
            .and_then(|path| saved::update(&path, |s| s.set_forwards(context, wanted)));
        if let Err(e) = result {
            tracing::warn!(%context, error = %e, "saved forwards not updated");
        }
    }

    /// Whether `context`'s forwards are saved, and which saved ones failed
    /// to come back.
    pub fn view(&self, context: &str) -> Result<SavedForwardsView, Error> {
        let enabled = SavedForwards::load_from(&self.file()?)?.enabled(context);
        let failed = self
            .lock()
            .failed
            .values()
            .filter(|f| f.context == context)
            .cloned()
            .collect();
        Ok(SavedForwardsView { enabled, failed })
    }

    /// Starts `forward` in `context` and records it for saving.
    async fn start_recorded(
        &self,
        context: &str,
        forward: SavedForward,
        ip: Option<IpAddr>,
        sink: Arc<dyn ForwardSink>,
        clients: &ClientCache,
        registry: &ForwardRegistry,
    ) -> Result<ForwardStatus, Error> {
        let client = clients.get(context).await?;
        tracing::debug!(%context, namespace = %forward.namespace, target = %forward.target, "starting forward");
        let status = registry
            .start(
                client,
                &forward.namespace,
                forward.target.clone(),
                forward.ports.clone(),
                ForwardOptions { address: ip },
                sink,
            )
            .await?;
        let bound = registry.local_ports(status.id).unwrap_or_default();
        let pinned = SavedForward::pinned(
            &forward.namespace,
            forward.target,
            &forward.ports,
            &bound,
            forward.address,
        );
        self.lock()
            .running
            .insert(status.id, (context.to_string(), pinned));
        Ok(status)
    }

    /// Starts a forward the user asked for (status changes go to `sink`)
    /// and rewrites the context's saved list when saving is on for it.
    /// `address` is already checked ([`parse_address`]).
    pub async fn start(
        &self,
        context: &str,
        forward: SavedForward,
        sink: Arc<dyn ForwardSink>,
        clients: &ClientCache,
        registry: &ForwardRegistry,
    ) -> Result<ForwardStatus, Error> {
        let ip = parse_address(forward.address.as_deref(), true)?;
        let status = self
            .start_recorded(context, forward, ip, sink, clients, registry)
            .await?;
        self.persist(context);
        Ok(status)
    }

    /// Stops one forward; false when it was already gone.
    pub fn stop(&self, id: u64, registry: &ForwardRegistry) -> bool {
        let stopped = registry.stop(id);
        let owner = self.lock().running.remove(&id);
        if let Some((context, _)) = owner {
            self.persist(&context);
        }
        stopped
    }

    /// Stops every forward.
    pub fn stop_all(&self, registry: &ForwardRegistry) {
        registry.stop_all();
        let contexts: BTreeSet<String> = std::mem::take(&mut self.lock().running)
            .into_values()
            .map(|(c, _)| c)
            .collect();
        for context in contexts {
            self.persist(&context);
        }
    }

    /// Turns saving on (the context's running forwards are written at once)
    /// or off (its list is deleted and failed entries dropped).
    pub fn set_enabled(&self, context: &str, enabled: bool) -> Result<SavedForwardsView, Error> {
        let path = self.file()?;
        {
            let mut inner = self.lock();
            // What runs now is what gets saved: no later restore on top of it.
            inner.restored.insert(context.to_string());
            if !enabled {
                inner.failed.retain(|_, f| f.context != context);
            }
        }
        let wanted = self.wanted(context);
        saved::update(&path, |s| {
            let was = s.enabled(context);
            s.set_enabled(context, enabled);
            let listed = enabled && s.set_forwards(context, wanted);
            listed || was != enabled
        })?;
        self.view(context)
    }

    /// Starts `context`'s saved forwards, once per session (later calls do
    /// nothing). Each one that fails is kept as a failed entry with its reason.
    pub async fn restore(
        &self,
        context: &str,
        clients: &ClientCache,
        registry: &ForwardRegistry,
    ) -> Result<RestoreOutcome, Error> {
        if !self.lock().restored.insert(context.to_string()) {
            return Ok(RestoreOutcome::default());
        }
        let file = SavedForwards::load_from(&self.file()?)?;
        let mut outcome = RestoreOutcome::default();
        for forward in file.forwards(context).to_vec() {
            let already = self
                .lock()
                .running
                .values()
                .any(|(c, f)| c == context && f == &forward);
            if already {
                continue;
            }
            match self
                .restore_one(context, forward.clone(), clients, registry)
                .await
            {
                Ok(_) => outcome.restored += 1,
                Err(e) => {
                    tracing::info!(%context, target = %forward.target, error = %e, "saved forward not restored");
                    let mut inner = self.lock();
                    inner.next_failed += 1;
                    let id = inner.next_failed;
                    inner.failed.insert(
                        id,
                        FailedForward {
                            id,
                            context: context.to_string(),
                            forward,
                            reason: e.to_string(),
                        },
                    );
                    outcome.failed += 1;
                }
            }
        }
        Ok(outcome)
    }

    async fn restore_one(
        &self,
        context: &str,
        forward: SavedForward,
        clients: &ClientCache,
        registry: &ForwardRegistry,
    ) -> Result<ForwardStatus, Error> {
        // A non-loopback address was confirmed when the forward was first
        // started, and the user opted in to getting it back.
        let ip = parse_address(forward.address.as_deref(), true)?;
        let sink: Arc<dyn ForwardSink> = Arc::new(NoSink);
        self.start_recorded(context, forward, ip, sink, clients, registry)
            .await
    }

    /// Tries a failed saved forward again; on success it leaves the failed
    /// list.
    pub async fn retry(
        &self,
        id: u64,
        clients: &ClientCache,
        registry: &ForwardRegistry,
    ) -> Result<ForwardStatus, Error> {
        let entry = self.lock().failed.get(&id).cloned();
        let Some(entry) = entry else {
            return Err(Error::InvalidInput(
                "that saved forward is no longer listed: refresh the panel".into(),
            ));
        };
        match self
            .restore_one(&entry.context, entry.forward.clone(), clients, registry)
            .await
        {
            Ok(status) => {
                self.lock().failed.remove(&id);
                self.persist(&entry.context);
                Ok(status)
            }
            Err(e) => {
                if let Some(f) = self.lock().failed.get_mut(&id) {
                    f.reason = e.to_string();
                }
                Err(e)
            }
        }
    }

    /// Drops a failed saved forward from the panel and from the saved list.
    pub fn dismiss(&self, id: u64) {
        let removed = self.lock().failed.remove(&id);
        if let Some(f) = removed {
            self.persist(&f.context);
        }
    }
}

#[cfg(test)]
#[path = "restore_tests.rs"]
mod tests;
