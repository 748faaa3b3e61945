//! Objects as the server's JSON, one by name or all of a kind page by page
//! (`limit` + `continue`, as kubectl's --chunk-size), so a long list is never
//! held whole. For `capstan get -o json|yaml|name` and the CLI's projections.

use kube::api::{ApiResource, DynamicObject, ListParams};
use serde::Deserialize;

use crate::Error;

/// Objects per list request, kubectl's default --chunk-size.
pub const PAGE_SIZE: u32 = 500;

/// One page of a list, items kept as the server's JSON.
#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue")]
    continue_: Option<String>,
}

fn api(
    client: &kube::Client,
    resource: &ApiResource,
    namespace: Option<&str>,
) -> kube::Api<DynamicObject> {
    match namespace {
        Some(ns) => kube::Api::namespaced_with(client.clone(), ns, resource),
        None => kube::Api::all_with(client.clone(), resource),
    }
}

/// The server's message for an API error (e.g. a bad selector), else kube's.
fn server_words(e: kube::Error) -> String {
    match e {
        kube::Error::Api(s) => s.message,
        e => e.to_string(),
    }
}

/// Calls `visit` with every object of `resource` in `namespace` (None: all
/// namespaces, or a cluster-scoped kind) matching `selector`, page by page.
/// Returns how many there were. `visit`'s error ends the walk.
pub async fn for_each_object<E: From<Error>>(
    client: &kube::Client,
    context: &str,
    resource: &ApiResource,
    namespace: Option<&str>,
    selector: Option<&str>,
    mut visit: impl FnMut(serde_json::Value) -> Result<(), E>,
) -> Result<usize, E> {
    let url = api(client, resource, namespace).resource_url().to_owned();
    let failed = |detail: String| Error::ListFailed {
        context: context.to_owned(),
        what: resource.plural.clone(),
        detail,
    };
    let mut count = 0;
    let mut token: Option<String> = None;
    loop {
        let mut lp = ListParams::default().limit(PAGE_SIZE);
        if let Some(s) = selector {
            lp = lp.labels(s);
        }
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        let req = kube::core::Request::new(&url)
            .list(&lp)
            .map_err(|e| failed(e.to_string()))?;
        let page: Page = client
            .request(req)
            .await
            .map_err(|e| failed(server_words(e)))?;
        count += page.items.len();
        for item in page.items {
            visit(item)?;
        }
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(count);
        }
    }
}

/// One object by name as the server's JSON. Not there is
/// [`Error::ObjectNotFound`] with `what` = `<plural> "<name>"`.
pub async fn get_object(
    client: &kube::Client,
    context: &str,
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
) -> Result<serde_json::Value, Error> {
    let url = api(client, resource, namespace).resource_url().to_owned();
    let failed = |detail: String| Error::ListFailed {
        context: context.to_owned(),
        what: resource.plural.clone(),
        detail,
    };
    let req = kube::core::Request::new(&url)
        .get(name, &Default::default())
        .map_err(|e| failed(e.to_string()))?;
    client.request(req).await.map_err(|e| match e {
        kube::Error::Api(s) if s.code == 404 => Error::ObjectNotFound {
            context: context.to_owned(),
            what: format!("{} \"{name}\"", resource.plural),
        },
        e => failed(server_words(e)),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_reads_items_and_the_continue_token() {
        let page: super::Page = serde_json::from_value(serde_json::json!({
            "metadata": {"continue": "abc", "resourceVersion": "7"},
            "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]
        }))
        .expect("page");
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.metadata.continue_.as_deref(), Some("abc"));
        let last: super::Page =
            serde_json::from_value(serde_json::json!({"metadata": {}})).expect("page");
        assert!(last.items.is_empty() && last.metadata.continue_.is_none());
    }
}
