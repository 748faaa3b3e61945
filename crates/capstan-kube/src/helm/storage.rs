//! Helm's storage, read without helm. Each revision of a release is one
//! record labelled `owner=helm`, named `sh.helm.release.v1.NAME.vREV`: a
//! Secret of type `helm.sh/release.v1` (the default driver) or a ConfigMap
//! (`HELM_DRIVER=configmap`). Its `release` key holds base64 (helm's own,
//! inside the API's for a Secret) of gzip of the release JSON.

use std::io::Read;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::release::Release;
use crate::Error;

/// The label every release record carries.
pub const OWNER_SELECTOR: &str = "owner=helm";

/// Where helm keeps a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmDriver"))]
pub enum Driver {
    Secret,
    ConfigMap,
}

/// A record's payload above this (base64 text) is refused unread: the API
/// caps an object at about 1.5 MiB, so only a hostile record is larger.
const MAX_ENCODED: usize = 8 << 20;
/// Releases are small; a cap keeps a gzip bomb from eating memory.
const MAX_JSON: u64 = 64 << 20;

/// The summary the secrets view shows for a `helm.sh/release.v1` secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct HelmRelease {
    pub name: String,
    pub namespace: Option<String>,
    pub chart: String,
    pub chart_version: String,
    pub app_version: Option<String>,
    pub status: String,
    #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
    pub revision: i64,
}

/// `value` is the `release` key's text (the API's base64 already undone
/// for a Secret). The error says what is wrong, never what is inside.
pub fn decode_payload(value: &[u8]) -> Result<Release, String> {
    decode_payload_as(value)
}

/// [`decode_payload`] into any shape of the release JSON.
pub fn decode_payload_as<T: serde::de::DeserializeOwned>(value: &[u8]) -> Result<T, String> {
    if value.len() > MAX_ENCODED {
        return Err(format!(
            "the record is {} bytes, more than the {} Capstan reads",
            value.len(),
            MAX_ENCODED
        ));
    }
    let trimmed: Vec<u8> = value
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let text = std::str::from_utf8(&trimmed).map_err(|_| "not base64 text".to_string())?;
    let gz = crate::secrets::decode::decode_b64(text).ok_or_else(|| "not base64".to_string())?;
    // helm writes plain JSON when compression is off; gzip starts 1f 8b.
    let json = if gz.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .take(MAX_JSON + 1)
            .read_to_end(&mut out)
            .map_err(|_| "not valid gzip".to_string())?;
        if out.len() as u64 > MAX_JSON {
            return Err(format!(
                "the release unpacks to more than {MAX_JSON} bytes, more than Capstan reads"
            ));
        }
        out
    } else {
        gz
    };
    // serde_json's message gives a line and column, never the content.
    serde_json::from_slice(&json).map_err(|e| format!("not a helm release (JSON: {e})"))
}

/// The secrets view's summary of a `release` key.
pub fn decode_release(value: &[u8]) -> Result<HelmRelease, Error> {
    let r = decode_payload(value).map_err(|detail| {
        Error::InvalidInput(format!("this helm release cannot be read: {detail}"))
    })?;
    Ok(HelmRelease {
        chart: r.chart_name().to_string(),
        chart_version: r.chart_version().to_string(),
        app_version: Some(r.app_version().to_string()).filter(|a| !a.is_empty()),
        status: r.info.status.clone(),
        revision: r.version,
        namespace: Some(r.namespace.clone()).filter(|n| !n.is_empty()),
        name: r.name,
    })
}

/// One record as found in the cluster, before its payload is decoded.
#[derive(Debug, Clone)]
pub struct Record {
    pub driver: Driver,
    /// The Secret's or ConfigMap's name.
    pub object: String,
    pub namespace: String,
    pub uid: String,
    /// From the labels (`name`, `version`, `status`): a list can order and
    /// pick records without decoding them.
    pub release: String,
    pub revision: Option<i64>,
    pub status: Option<String>,
    payload: Option<Vec<u8>>,
}

impl Record {
    pub fn from_secret(s: &Secret) -> Option<Record> {
        if s.type_.as_deref() != Some("helm.sh/release.v1") {
            return None;
        }
        let payload = s
            .data
            .as_ref()
            .and_then(|d| d.get("release"))
            .map(|b| b.0.clone());
        Some(Self::new(Driver::Secret, &s.metadata, payload))
    }

    pub fn from_configmap(c: &ConfigMap) -> Option<Record> {
        let payload = c
            .data
            .as_ref()
            .and_then(|d| d.get("release"))
            .map(|t| t.clone().into_bytes());
        // A ConfigMap labelled owner=helm without a release key is not ours.
        payload.as_ref()?;
        Some(Self::new(Driver::ConfigMap, &c.metadata, payload))
    }

    /// A watched object (the live list watches both kinds dynamically).
    pub fn from_dynamic(driver: Driver, obj: &kube::api::DynamicObject) -> Option<Record> {
        let release = obj.data.get("data").and_then(|d| d.get("release"));
        let payload = match driver {
            Driver::Secret => {
                if obj.data.get("type").and_then(|t| t.as_str()) != Some("helm.sh/release.v1") {
                    return None;
                }
                // The API's own base64 around helm's.
                release
                    .and_then(|v| v.as_str())
                    .and_then(crate::secrets::decode::decode_b64)
            }
            Driver::ConfigMap => Some(release?.as_str()?.as_bytes().to_vec()),
        };
        Some(Self::new(driver, &obj.metadata, payload))
    }

    fn new(
        driver: Driver,
        meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
        payload: Option<Vec<u8>>,
    ) -> Record {
        let label = |k: &str| meta.labels.as_ref().and_then(|l| l.get(k)).cloned();
        let object = meta.name.clone().unwrap_or_default();
        Record {
            driver,
            release: label("name").unwrap_or_else(|| name_from_object(&object)),
            revision: label("version").and_then(|v| v.parse().ok()),
            status: label("status"),
            namespace: meta.namespace.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            object,
            payload,
        }
    }

    /// The payload as stored (helm's base64 text).
    pub fn payload(&self) -> Option<&[u8]> {
        self.payload.as_deref()
    }

    /// The release this record holds; an error names this record only.
    pub fn decode(&self) -> Result<Release, Error> {
        let bad = |detail: String| Error::HelmRecord {
            namespace: self.namespace.clone(),
            record: self.object.clone(),
            detail,
        };
        let payload = self
            .payload
            .as_deref()
            .ok_or_else(|| bad("it has no release key".to_string()))?;
        let mut release = decode_payload(payload).map_err(bad)?;
        // Old records may lack the namespace: it is the record's.
        if release.namespace.is_empty() {
            release.namespace = self.namespace.clone();
        }
        Ok(release)
    }
}

/// `sh.helm.release.v1.NAME.vREV` -> NAME, for records without a name label.
fn name_from_object(object: &str) -> String {
    let rest = object.strip_prefix("sh.helm.release.v1.").unwrap_or(object);
    match rest.rsplit_once(".v") {
        Some((name, rev)) if rev.chars().all(|c| c.is_ascii_digit()) => name.to_string(),
        _ => rest.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::Engine;
    use std::io::Write;

    pub(crate) fn fixture(json: &str) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(json.as_bytes()).expect("test setup");
        let gz = gz.finish().expect("test setup");
        base64::engine::general_purpose::STANDARD
            .encode(gz)
            .into_bytes()
    }

    #[test]
    fn decodes_gzip_release() {
        let v = fixture(
            r#"{"name":"web","namespace":"apps","version":3,
                "info":{"status":"deployed","description":"Upgrade complete"},
                "chart":{"metadata":{"name":"nginx","version":"1.2.3","appVersion":"1.25"}},
                "config":{"password":"p"},"manifest":"---"}"#,
        );
        let r = decode_release(&v).expect("test setup");
        assert_eq!(
            r,
            HelmRelease {
                name: "web".into(),
                namespace: Some("apps".into()),
                chart: "nginx".into(),
                chart_version: "1.2.3".into(),
                app_version: Some("1.25".into()),
                status: "deployed".into(),
                revision: 3,
            }
        );
    }

    #[test]
    fn refuses_garbage() {
        assert!(decode_release(b"not base64!").is_err());
        let not_json = base64::engine::general_purpose::STANDARD.encode(b"\x1f\x8bxx");
        assert!(decode_release(not_json.as_bytes()).is_err());
    }

    #[test]
    fn refuses_a_gzip_bomb_without_unpacking_it_all() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..(MAX_JSON >> 20) + 2 {
            gz.write_all(&zeros).expect("test setup");
        }
        let gz = gz.finish().expect("test setup");
        let text = base64::engine::general_purpose::STANDARD.encode(gz);
        let err = decode_payload(text.as_bytes()).expect_err("over the cap");
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn refuses_an_oversized_record_unread() {
        let big = vec![b'A'; MAX_ENCODED + 4];
        let err = decode_payload(&big).expect_err("over the cap");
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn a_broken_record_names_itself_and_not_its_content() {
        let secret: Secret = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "sh.helm.release.v1.web.v2", "namespace": "apps",
                         "labels": {"owner": "helm", "name": "web", "version": "2", "status": "deployed"}},
            "type": "helm.sh/release.v1",
            "data": {"release": base64::engine::general_purpose::STANDARD.encode("c2VjcmV0LXRleHQ=")}
        }))
        .expect("test setup");
        let record = Record::from_secret(&secret).expect("a helm secret");
        assert_eq!(record.release, "web");
        assert_eq!(record.revision, Some(2));
        let err = record.decode().expect_err("not gzip JSON").to_string();
        assert!(err.contains("apps/sh.helm.release.v1.web.v2"), "{err}");
        assert!(!err.contains("secret-text"), "{err}");
    }

    #[test]
    fn configmap_records_hold_the_text_directly() {
        let payload = String::from_utf8(fixture(
            r#"{"name":"cm","version":1,"info":{"status":"deployed"},"chart":{"metadata":{"name":"c","version":"0.1.0"}}}"#,
        ))
        .expect("base64 is text");
        let cm: ConfigMap = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "sh.helm.release.v1.cm.v1", "namespace": "ns",
                         "labels": {"owner": "helm"}},
            "data": {"release": payload}
        }))
        .expect("test setup");
        let record = Record::from_configmap(&cm).expect("a helm configmap");
        assert_eq!(record.release, "cm", "name taken from the object name");
        let release = record.decode().expect("decodes");
        assert_eq!(release.namespace, "ns");
        assert_eq!(release.chart_label(), "c-0.1.0");
    }

    #[test]
    fn object_names_give_release_names() {
        assert_eq!(name_from_object("sh.helm.release.v1.my.app.v12"), "my.app");
        assert_eq!(name_from_object("odd"), "odd");
    }
}
