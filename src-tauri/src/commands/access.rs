//! What the user may do: the access matrix for the context and namespace in
//! view, single checks, and a refresh. Thin over `capstan_kube::access`.

use std::sync::Arc;

use capstan_kube::access::{AccessCache, AccessMatrix, AccessQuery, Decision};
use capstan_kube::discovery::KindInfo;
use capstan_kube::ClientCache;

use crate::IpcError;

/// The matrix of `kinds` (the sidebar's, from discovery) × verbs in
/// `namespace` (None: all namespaces).
#[tauri::command]
pub async fn access_matrix(
    context: String,
    namespace: Option<String>,
    kinds: Vec<KindInfo>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    access: tauri::State<'_, Arc<AccessCache>>,
) -> Result<AccessMatrix, IpcError> {
    let client = clients.get(&context).await?;
    Ok(access
        .matrix(&client, &context, namespace.as_deref(), &kinds)
        .await?)
}

/// Single checks (SelfSubjectAccessReview), answered in order.
#[tauri::command]
pub async fn access_check(
    context: String,
    queries: Vec<AccessQuery>,
    clients: tauri::State<'_, Arc<ClientCache>>,
    access: tauri::State<'_, Arc<AccessCache>>,
) -> Result<Vec<Decision>, IpcError> {
    let client = clients.get(&context).await?;
    Ok(access.check(&client, &context, &queries).await?)
}

/// Forgets the answers for `context`, so the next matrix asks again.
#[tauri::command]
pub fn access_refresh(context: String, access: tauri::State<'_, Arc<AccessCache>>) {
    access.invalidate(&context);
}
