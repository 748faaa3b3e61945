//! `helm.sh/release.v1` secrets, read without helm: the `release` key holds
//! base64 (helm's own, inside the API's) of gzip of the release JSON.

use std::io::Read;

use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use crate::Error;

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

#[derive(Deserialize)]
struct Raw {
    name: String,
    namespace: Option<String>,
    #[serde(default)]
    version: i64,
    info: Option<RawInfo>,
    chart: Option<RawChart>,
}
#[derive(Deserialize)]
struct RawInfo {
    status: Option<String>,
}
#[derive(Deserialize)]
struct RawChart {
    metadata: Option<RawMeta>,
}
#[derive(Deserialize)]
struct RawMeta {
    name: Option<String>,
    version: Option<String>,
    #[serde(rename = "appVersion")]
    app_version: Option<String>,
}

// Releases are small; a cap keeps a hostile gzip bomb from eating memory.
const MAX_JSON: u64 = 64 << 20;

/// `value` is the `release` key's bytes once the API's base64 is undone.
pub fn decode_release(value: &[u8]) -> Result<HelmRelease, Error> {
    let bad = |what: &str| Error::InvalidInput(format!("this helm release cannot be read: {what}"));
    let trimmed: Vec<u8> = value
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let gz = super::decode::decode_b64(
        std::str::from_utf8(&trimmed).map_err(|_| bad("not base64 text"))?,
    )
    .ok_or_else(|| bad("not base64"))?;
    // helm writes plain JSON when compression is off; gzip starts 1f 8b.
    let json = if gz.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .take(MAX_JSON)
            .read_to_end(&mut out)
            .map_err(|_| bad("not valid gzip"))?;
        out
    } else {
        gz
    };
    let raw: Raw = serde_json::from_slice(&json).map_err(|e| bad(&format!("JSON: {e}")))?;
    let meta = raw.chart.and_then(|c| c.metadata);
    Ok(HelmRelease {
        name: raw.name,
        namespace: raw.namespace,
        chart: meta
            .as_ref()
            .and_then(|m| m.name.clone())
            .unwrap_or_default(),
        chart_version: meta
            .as_ref()
            .and_then(|m| m.version.clone())
            .unwrap_or_default(),
        app_version: meta.and_then(|m| m.app_version),
        status: raw.info.and_then(|i| i.status).unwrap_or_default(),
        revision: raw.version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use std::io::Write;

    fn fixture(json: &str) -> Vec<u8> {
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
}
