//! A secret as the detail pane shows it: type, keys with sizes, and a
//! type-aware summary. Never a value.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::ByteString;
use kube::Api;
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::decode::KeyEntry;
use super::dockercfg::{self, DockerConfigView};
use super::server_error::sanitize;
use super::tls::{self, CertInfo, Expiry};
use crate::helm::{self, HelmRelease};
use crate::Error;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct SecretDetails {
    pub name: String,
    pub namespace: String,
    /// `Opaque` when the object names none.
    #[serde(rename = "type")]
    pub type_: String,
    /// Needed to save an edit (optimistic concurrency).
    pub resource_version: String,
    pub keys: Vec<KeyEntry>,
    /// `kubernetes.io/dockerconfigjson` / `dockercfg`: registries, passwords masked.
    pub docker: Option<DockerConfigView>,
    /// `kubernetes.io/tls`: the certificate in `tls.crt`.
    pub tls: Option<CertInfo>,
    /// `kubernetes.io/service-account-token`: the account it belongs to.
    pub service_account: Option<String>,
    /// `helm.sh/release.v1`: the release it stores.
    pub helm: Option<HelmRelease>,
    /// Things to act on: an expired or expiring certificate, an unreadable
    /// typed value.
    pub warnings: Vec<String>,
}

/// Reads `namespace/name` and summarises it without any value.
pub async fn secret_details(
    client: kube::Client,
    namespace: &str,
    name: &str,
) -> Result<SecretDetails, Error> {
    let api: Api<Secret> = Api::namespaced(client, namespace);
    let secret = api
        .get(name)
        .await
        .map_err(|e| sanitize(e, "read", namespace, name))?;
    Ok(summarise(&secret, namespace, name, now()))
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The summary of an already-fetched secret (`now` in Unix seconds).
pub fn summarise(secret: &Secret, namespace: &str, name: &str, now: i64) -> SecretDetails {
    let empty = BTreeMap::new();
    let data: &BTreeMap<String, ByteString> = secret.data.as_ref().unwrap_or(&empty);
    let type_ = secret.type_.clone().unwrap_or_else(|| "Opaque".into());
    let mut details = SecretDetails {
        name: name.to_string(),
        namespace: namespace.to_string(),
        type_: type_.clone(),
        resource_version: secret.metadata.resource_version.clone().unwrap_or_default(),
        keys: data
            .iter()
            .map(|(k, v)| KeyEntry::new(k, v.0.len()))
            .collect(),
        docker: None,
        tls: None,
        service_account: None,
        helm: None,
        warnings: Vec::new(),
    };
    let value = |k: &str| data.get(k).map(|v| v.0.as_slice());
    match type_.as_str() {
        "kubernetes.io/dockerconfigjson" | "kubernetes.io/dockercfg" => {
            let key = if type_.ends_with("json") {
                ".dockerconfigjson"
            } else {
                ".dockercfg"
            };
            match value(key).map(dockercfg::view) {
                Some(Ok(v)) => details.docker = Some(v),
                Some(Err(e)) => details.warnings.push(e.to_string()),
                None => details.warnings.push(format!("the key {key} is missing")),
            }
        }
        "kubernetes.io/tls" => match value("tls.crt").map(|c| tls::cert_info(c, now)) {
            Some(Ok(info)) => {
                match info.expiry {
                    Expiry::Expired => details
                        .warnings
                        .push("the certificate has expired: renew it".into()),
                    Expiry::ExpiresSoon => details.warnings.push(format!(
                        "the certificate expires within {} days: renew it",
                        tls::EXPIRY_WARNING_DAYS
                    )),
                    Expiry::NotYetValid => details
                        .warnings
                        .push("the certificate is not valid yet".into()),
                    Expiry::Valid => {}
                }
                details.tls = Some(info);
            }
            Some(Err(e)) => details.warnings.push(e.to_string()),
            None => details.warnings.push("the key tls.crt is missing".into()),
        },
        "kubernetes.io/service-account-token" => {
            details.service_account = secret
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .cloned();
        }
        "helm.sh/release.v1" => match value("release").map(helm::decode_release) {
            Some(Ok(r)) => details.helm = Some(r),
            Some(Err(e)) => details.warnings.push(e.to_string()),
            None => details.warnings.push("the key release is missing".into()),
        },
        _ => {}
    }
    details
}
