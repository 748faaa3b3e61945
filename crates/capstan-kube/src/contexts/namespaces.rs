use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};

use super::{classify_error, client, LoadedKubeconfig, DEFAULT_CHECK_TIMEOUT};
use crate::Error;

/// Names of the namespaces `context` can list, sorted. Bounded by the same
/// timeout as a connection check so a dead cluster answers quickly.
pub async fn list_namespaces(
    loaded: &LoadedKubeconfig,
    context: &str,
) -> Result<Vec<String>, Error> {
    let failed = |detail: String| Error::ClusterRequest {
        context: context.to_string(),
        action: "list namespaces",
        detail,
    };
    let client = tokio::time::timeout(DEFAULT_CHECK_TIMEOUT, client(loaded, context))
        .await
        .map_err(|_| failed("the credential plugin did not finish in time".into()))??;
    let api: Api<Namespace> = Api::all(client);
    let list = tokio::time::timeout(
        DEFAULT_CHECK_TIMEOUT,
        api.list_metadata(&ListParams::default()),
    )
    .await
    .map_err(|_| failed("the server did not answer in time".into()))?
    .map_err(|e| failed(classify_error(&e).1))?;
    let mut names: Vec<String> = list
        .items
        .into_iter()
        .filter_map(|n| n.metadata.name)
        .collect();
    names.sort();
    Ok(names)
}
