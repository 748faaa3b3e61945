//! Events about one object (core/v1 events, which every version serves).

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ListParams};

use super::common::{api, describe, map_err, parse_ms};
use super::{EventInfo, ObjectRef};
use crate::Error;

/// The object's events, oldest first (as `kubectl describe` lists them).
pub async fn events(
    client: &kube::Client,
    context: &str,
    r: &ObjectRef,
) -> Result<Vec<EventInfo>, Error> {
    let what = describe(r);
    let obj = api(client, r)
        .get(&r.name)
        .await
        .map_err(|e| map_err(context, "get", &what, e))?;
    let uid = obj.metadata.uid.unwrap_or_default();
    // By uid: a deleted-and-recreated object of the same name has other events.
    let lp = ListParams::default().fields(&format!("involvedObject.uid={uid}"));
    // Events of cluster-scoped objects (nodes) live in "default" or elsewhere.
    let events: Api<Event> = match &r.namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let list = events
        .list(&lp)
        .await
        .map_err(|e| map_err(context, "list", &format!("the events of {what}"), e))?;
    let mut out: Vec<EventInfo> = list.items.into_iter().map(info).collect();
    out.sort_by_key(|e| (e.last_ms.or(e.first_ms), e.first_ms));
    Ok(out)
}

fn info(e: Event) -> EventInfo {
    let first_ms = e
        .first_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
        .and_then(|s| parse_ms(&s));
    let last_ms = e
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref())
        .map(|t| t.0.to_string())
        .or_else(|| e.last_timestamp.as_ref().map(|t| t.0.to_string()))
        .and_then(|s| parse_ms(&s))
        .or(first_ms);
    let source = match &e.source {
        Some(s) => match (&s.component, &s.host) {
            (Some(c), Some(h)) => format!("{c}, {h}"),
            (Some(c), None) => c.clone(),
            (None, Some(h)) => h.clone(),
            (None, None) => String::new(),
        },
        None => String::new(),
    };
    let source = if source.is_empty() {
        e.reporting_component.clone().unwrap_or_default()
    } else {
        source
    };
    EventInfo {
        type_: e.type_.unwrap_or_else(|| "Normal".into()),
        reason: e.reason.unwrap_or_default(),
        message: e.message.unwrap_or_default(),
        count: e
            .series
            .as_ref()
            .and_then(|s| s.count.map(i64::from))
            .or(e.count.map(i64::from))
            .unwrap_or(1),
        first_ms,
        last_ms,
        source,
    }
}
