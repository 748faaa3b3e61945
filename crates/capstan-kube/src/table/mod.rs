//! The server's own Table rendering (`kubectl get` columns) for any kind,
//! CRDs included. kube has no Table type, so the request and types are ours.

mod live;
mod queue;
mod view;

pub use live::{check_listable, open_live_view, LiveSink, LiveSpec, LiveView};

pub use view::{
    open_view, open_view_on, EventStream, Keyed, ViewHandle, ViewSink, ViewSpec, ViewStatus,
    BATCH_INTERVAL,
};

use kube::core::{ApiResource, ListMeta, ObjectMeta};
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

/// Asks for a Table, falling back to a plain list from servers that cannot.
const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";

/// One column as the server describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct TableColumn {
    pub name: String,
    /// OpenAPI type: "string", "integer", "number", "boolean", "date".
    #[serde(rename = "type")]
    pub column_type: String,
    #[serde(default)]
    pub format: String,
    /// 0 is shown by `kubectl get`; higher only with `-o wide`.
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub description: String,
}

/// One row: its cells in column order and the object's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRow {
    pub cells: Vec<serde_json::Value>,
    /// With `includeObject=Metadata`, a PartialObjectMetadata.
    #[serde(default)]
    pub object: Option<PartialObject>,
}

/// The `object` of a row: only its metadata is asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialObject {
    #[serde(default)]
    pub metadata: ObjectMeta,
}

/// One page of a Table response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TablePage {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ListMeta,
    #[serde(default)]
    pub column_definitions: Vec<TableColumn>,
    #[serde(default)]
    pub rows: Vec<TableRow>,
}

impl TablePage {
    /// The token for the next page, if the server has more.
    pub fn continue_token(&self) -> Option<&str> {
        self.metadata.continue_.as_deref().filter(|c| !c.is_empty())
    }
}

/// Fetches one page of `resource` as a Table, in `namespace` or across all
/// namespaces (None). `limit` 0 means no limit; pass the previous page's
/// `continue_token()` to get the next.
pub async fn fetch_table_page(
    client: &kube::Client,
    context: &str,
    resource: &ApiResource,
    namespace: Option<&str>,
    limit: u32,
    continue_token: Option<&str>,
) -> Result<TablePage, Error> {
    let request = table_request(resource, namespace, limit, continue_token)
        .map_err(|detail| request_error(context, resource, detail))?;
    let page: TablePage = client
        .request(request)
        .await
        .map_err(|e| request_error(context, resource, e.to_string()))?;
    if page.kind != "Table" {
        return Err(request_error(
            context,
            resource,
            format!("the server answered a {} instead of a Table", page.kind),
        ));
    }
    Ok(page)
}

/// Fetches every page (`page_size` rows per request) and joins them.
pub async fn fetch_table(
    client: &kube::Client,
    context: &str,
    resource: &ApiResource,
    namespace: Option<&str>,
    page_size: u32,
) -> Result<TablePage, Error> {
    let mut all = fetch_table_page(client, context, resource, namespace, page_size, None).await?;
    let mut next = all.continue_token().map(str::to_string);
    while let Some(token) = next {
        let page = fetch_table_page(
            client,
            context,
            resource,
            namespace,
            page_size,
            Some(&token),
        )
        .await?;
        next = page.continue_token().map(str::to_string);
        all.rows.extend(page.rows);
        all.metadata = page.metadata;
    }
    Ok(all)
}

/// One object as a Table row (its cells as `kubectl get` shows them), or
/// None when it no longer exists.
pub async fn fetch_table_object(
    client: &kube::Client,
    context: &str,
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
) -> Result<Option<TableRow>, Error> {
    // An object name is a DNS label or subdomain: nothing to escape, but a
    // name from a watch event is still checked before it goes into a path.
    if name.is_empty() || name.contains(['/', '?', '#', '%']) {
        return Ok(None);
    }
    let path = format!("{}/{name}", collection_path(resource, namespace));
    let request = http::Request::get(format!("{path}?includeObject=Metadata"))
        .header(http::header::ACCEPT, TABLE_ACCEPT)
        .body(Vec::new())
        .map_err(|e| request_error(context, resource, e.to_string()))?;
    match client.request::<TablePage>(request).await {
        Ok(page) => Ok(page.rows.into_iter().next()),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(None),
        Err(e) => Err(request_error(context, resource, e.to_string())),
    }
}

/// The server's own words for an API error, else kube's description.
pub(crate) fn kube_error_text(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(status) if !status.message.is_empty() => status.message.clone(),
        other => other.to_string(),
    }
}

fn request_error(context: &str, resource: &ApiResource, detail: String) -> Error {
    Error::ClusterRequest {
        context: context.to_string(),
        action: "list as a table",
        detail: format!("{}: {detail}", resource.plural),
    }
}

/// The collection path kubectl would use, e.g. `/apis/apps/v1/namespaces/x/deployments`.
pub(crate) fn collection_path(resource: &ApiResource, namespace: Option<&str>) -> String {
    let base = if resource.group.is_empty() {
        format!("/api/{}", resource.version)
    } else {
        format!("/apis/{}/{}", resource.group, resource.version)
    };
    match namespace {
        Some(ns) => format!("{base}/namespaces/{ns}/{}", resource.plural),
        None => format!("{base}/{}", resource.plural),
    }
}

fn table_request(
    resource: &ApiResource,
    namespace: Option<&str>,
    limit: u32,
    continue_token: Option<&str>,
) -> Result<http::Request<Vec<u8>>, String> {
    let mut lp = kube::api::ListParams::default();
    if limit > 0 {
        lp = lp.limit(limit);
    }
    if let Some(token) = continue_token {
        lp = lp.continue_token(token);
    }
    let mut request = kube::core::Request::new(collection_path(resource, namespace))
        .list(&lp)
        .map_err(|e| e.to_string())?;
    // includeObject=Metadata: rows carry uid, namespace, labels, without
    // the full object.
    let uri = request.uri().to_string();
    let sep = if uri.contains('?') { '&' } else { '?' };
    *request.uri_mut() = format!("{uri}{sep}includeObject=Metadata")
        .parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())?;
    request.headers_mut().insert(
        http::header::ACCEPT,
        http::HeaderValue::from_static(TABLE_ACCEPT),
    );
    Ok(request)
}

#[cfg(test)]
mod tests;

/// What the shell sends down a view's channel, in order: columns, then a
/// snapshot, then deltas; status whenever it changes. A new snapshot (after a
/// relist) replaces every row shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(tag = "type", rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub enum ViewEvent {
    Columns {
        columns: Vec<crate::rows::Column>,
    },
    Snapshot {
        rows: Vec<crate::rows::Row>,
    },
    Deltas {
        upserts: Vec<crate::rows::Row>,
        deletes: Vec<String>,
    },
    Status {
        status: ViewStatus,
    },
}
