//! `kubernetes.io/dockerconfigjson`: registries listed, passwords masked.

use serde::Serialize;
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::model::MASK;
use crate::Error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct RegistryEntry {
    pub server: String,
    pub username: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export))]
pub struct DockerConfigView {
    pub registries: Vec<RegistryEntry>,
    /// Pretty JSON with `password` and `auth` masked.
    pub masked_json: String,
}

/// Reads a `.dockerconfigjson` value. `auth` (base64 of user:password)
/// gives the user when `username` is absent; the password never leaves.
pub fn view(bytes: &[u8]) -> Result<DockerConfigView, Error> {
    let mut doc: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json's message names line/column only, not content.
        Error::InvalidInput(format!("this .dockerconfigjson is not valid JSON: {e}"))
    })?;
    let mut registries = Vec::new();
    if let Some(auths) = doc.get_mut("auths").and_then(|a| a.as_object_mut()) {
        for (server, entry) in auths.iter_mut() {
            let s = |k: &str| entry.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let username = s("username").or_else(|| {
                let auth = super::decode::decode_b64(&s("auth")?)?;
                let auth = String::from_utf8(auth).ok()?;
                auth.split_once(':').map(|(u, _)| u.to_string())
            });
            registries.push(RegistryEntry {
                server: server.clone(),
                username,
                email: s("email"),
            });
            if let Some(obj) = entry.as_object_mut() {
                for k in ["password", "auth", "identitytoken", "registrytoken"] {
                    if let Some(v) = obj.get_mut(k) {
                        *v = serde_json::Value::String(MASK.to_string());
                    }
                }
            }
        }
    }
    Ok(DockerConfigView {
        registries,
        masked_json: serde_json::to_string_pretty(&doc).unwrap_or_default(),
    })
}

/// The `.dockerconfigjson` value `kubectl create secret docker-registry` builds.
pub fn build(server: &str, username: &str, password: &str, email: Option<&str>) -> Vec<u8> {
    use base64::Engine;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    let mut entry = serde_json::json!({"username": username, "password": password, "auth": auth});
    if let Some(e) = email {
        entry["email"] = serde_json::Value::String(e.to_string());
    }
    let doc = serde_json::json!({"auths": {server: entry}});
    serde_json::to_vec(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_registries_and_masks() {
        let cfg = br#"{"auths":{
            "registry.example.com":{"username":"bob","password":"s3cr3tpw","email":"b@x.io","auth":"Ym9iOnMzY3IzdHB3"},
            "ghcr.io":{"auth":"YWxpY2U6dG9rZW4xMjM="}}}"#;
        let v = view(cfg).expect("test setup");
        assert_eq!(v.registries.len(), 2);
        let ghcr = v
            .registries
            .iter()
            .find(|r| r.server == "ghcr.io")
            .expect("test setup");
        assert_eq!(ghcr.username.as_deref(), Some("alice"));
        let reg = v
            .registries
            .iter()
            .find(|r| r.server != "ghcr.io")
            .expect("test setup");
        assert_eq!(reg.email.as_deref(), Some("b@x.io"));
        for leak in ["s3cr3tpw", "Ym9iOnMzY3IzdHB3", "YWxpY2U6dG9rZW4xMjM="] {
            assert!(!v.masked_json.contains(leak), "{}", v.masked_json);
        }
        assert!(v.masked_json.contains("registry.example.com"));
    }

    #[test]
    fn build_round_trips() {
        let v = view(&build("r.io", "u", "pw", Some("e@x"))).expect("test setup");
        assert_eq!(v.registries[0].username.as_deref(), Some("u"));
        assert!(view(b"{nope").is_err());
    }
}
