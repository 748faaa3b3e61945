//! kubectl's merge rules for several kubeconfig files.

use std::path::Path;

use kube::config::Kubeconfig;

use super::LoadedKubeconfig;

/// Adds `file` under what is already merged: an entry whose name is already
/// there is dropped whole (no field-by-field mixing, as in client-go), and
/// `current-context` is taken only while none is set yet.
pub(crate) fn merge_into(out: &mut LoadedKubeconfig, file: Kubeconfig, path: &Path) {
    let merged = &mut out.merged;
    if merged.current_context.as_deref().unwrap_or("").is_empty() {
        if let Some(cc) = file.current_context.filter(|c| !c.is_empty()) {
            merged.current_context = Some(cc);
        }
    }
    for ctx in file.contexts {
        if !merged.contexts.iter().any(|c| c.name == ctx.name) {
            merged.contexts.push(ctx);
            out.context_sources.push(path.to_path_buf());
        }
    }
    for cluster in file.clusters {
        if !merged.clusters.iter().any(|c| c.name == cluster.name) {
            merged.clusters.push(cluster);
            out.cluster_sources.push(path.to_path_buf());
        }
    }
    for user in file.auth_infos {
        if !merged.auth_infos.iter().any(|u| u.name == user.name) {
            merged.auth_infos.push(user);
            out.user_sources.push(path.to_path_buf());
        }
    }
}
