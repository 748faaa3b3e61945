//! One `kube::Client` per context, shared by every view, action and stream
//! of that context: building a client loads key material and may run an exec
//! plugin, which is too slow to repeat on every click.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::{contexts, managed, Error};

/// Clients by context name. Cleared when the kubeconfig files change, so an
/// edited server or credential takes effect on the next request.
#[derive(Default)]
pub struct ClientCache {
    clients: Mutex<HashMap<String, kube::Client>>,
}

impl ClientCache {
    /// The client for `context`, built on first use from the merged
    /// kubeconfig (the user's files plus clusters added in Capstan).
    pub async fn get(&self, context: &str) -> Result<kube::Client, Error> {
        if let Some(client) = self.lock().get(context) {
            return Ok(client.clone());
        }
        let loaded = tokio::task::spawn_blocking(managed::load_all)
            .await
            .map_err(|e| Error::ClientSetup {
                context: context.to_string(),
                detail: format!("loading the kubeconfig failed: {e}"),
            })??;
        let client = contexts::client(&loaded, context).await?;
        self.lock().insert(context.to_string(), client.clone());
        Ok(client)
    }

    /// Uses `client` for `context` until the next [`ClientCache::clear`]
    /// (a client built elsewhere, e.g. in tests).
    pub fn insert(&self, context: &str, client: kube::Client) {
        self.lock().insert(context.to_string(), client);
    }

    /// Forgets every client (kubeconfig changed on disk).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, kube::Client>> {
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
