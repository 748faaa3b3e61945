//! What every module here needs: an `Api` for an [`ObjectRef`], kube errors
//! turned into ones a user can act on, and small JSON readers.

use kube::api::{Api, DynamicObject};
use kube::discovery::ApiResource;
use serde_json::Value;

use super::ObjectRef;
use crate::Error;

pub(crate) fn api_resource(r: &ObjectRef) -> ApiResource {
    let api_version = if r.group.is_empty() {
        r.version.clone()
    } else {
        format!("{}/{}", r.group, r.version)
    };
    ApiResource {
        group: r.group.clone(),
        version: r.version.clone(),
        api_version,
        kind: r.kind.clone(),
        plural: r.plural.clone(),
    }
}

pub(crate) fn api(client: &kube::Client, r: &ObjectRef) -> Api<DynamicObject> {
    let ar = api_resource(r);
    match &r.namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
        None => Api::all_with(client.clone(), &ar),
    }
}

/// "Deployment web in namespace shop", for messages.
pub(crate) fn describe(r: &ObjectRef) -> String {
    match &r.namespace {
        Some(ns) => format!("{} \"{}\" in namespace \"{}\"", r.kind, r.name, ns),
        None => format!("{} \"{}\"", r.kind, r.name),
    }
}

/// The HTTP status of a server answer, if the error is one.
pub(crate) fn status_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

/// Maps a kube error for `verb` on `what` to a typed [`Error`].
pub(crate) fn map_err(context: &str, verb: &'static str, what: &str, e: kube::Error) -> Error {
    if let kube::Error::Api(s) = &e {
        match s.code {
            404 => {
                return Error::ObjectNotFound {
                    context: context.to_string(),
                    what: what.to_string(),
                }
            }
            403 => {
                return Error::Forbidden {
                    context: context.to_string(),
                    verb: verb.to_string(),
                    what: what.to_string(),
                    reason: s.message.clone(),
                }
            }
            409 if s.reason == "AlreadyExists" => {
                return Error::AlreadyExists {
                    context: context.to_string(),
                    what: what.to_string(),
                }
            }
            400 | 422 => {
                return Error::Invalid {
                    what: what.to_string(),
                    detail: s.message.clone(),
                }
            }
            _ => {}
        }
        return Error::ClusterRequest {
            context: context.to_string(),
            action: verb,
            detail: format!("{} ({})", s.message, s.code),
        };
    }
    Error::ClusterRequest {
        context: context.to_string(),
        action: verb,
        detail: e.to_string(),
    }
}

pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

pub(crate) fn i64_at(v: &Value, path: &[&str]) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

pub(crate) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

/// RFC 3339 → Unix ms.
pub(crate) fn parse_ms(s: &str) -> Option<i64> {
    s.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// The object as JSON (metadata included), for reading fields generically.
pub(crate) fn to_json(obj: &DynamicObject) -> Value {
    serde_json::to_value(obj).unwrap_or(Value::Null)
}
