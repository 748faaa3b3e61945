//! Reveal one key, save edits with optimistic concurrency, create secrets of
//! the common types. Inputs are validated before anything is sent.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;
use kube::api::PostParams;
use kube::Api;

use super::decode::{reveal, RevealedValue};
use super::model::SecretValue;
use super::server_error::sanitize;
use super::{dockercfg, tls, validate};
use crate::Error;

/// Fetches the secret fresh and reveals one key.
pub async fn reveal_key(
    client: kube::Client,
    namespace: &str,
    name: &str,
    key: &str,
) -> Result<RevealedValue, Error> {
    let value = read_value(client, namespace, name, key).await?;
    Ok(reveal(value.expose()))
}

/// Fetches the secret fresh and returns the raw bytes of one key.
pub async fn read_value(
    client: kube::Client,
    namespace: &str,
    name: &str,
    key: &str,
) -> Result<SecretValue, Error> {
    let api: Api<Secret> = Api::namespaced(client, namespace);
    let mut secret = api
        .get(name)
        .await
        .map_err(|e| sanitize(e, "read", namespace, name))?;
    let value = secret
        .data
        .as_mut()
        .and_then(|d| d.remove(key))
        .ok_or_else(|| {
            Error::InvalidInput(format!("secret {namespace}/{name} has no key \"{key}\""))
        })?;
    Ok(SecretValue::new(value.0))
}

/// One change to a secret's data.
pub enum KeyChange {
    Set { key: String, value: SecretValue },
    Remove { key: String },
}

/// Applies `changes` on top of the version read at `expected_resource_version`
/// and saves with that version: if anyone saved in between, nothing is
/// written and [`Error::SecretConflict`] comes back. Returns the new version.
pub async fn update_secret(
    client: kube::Client,
    namespace: &str,
    name: &str,
    expected_resource_version: &str,
    changes: Vec<KeyChange>,
) -> Result<String, Error> {
    for c in &changes {
        if let KeyChange::Set { key, .. } = c {
            validate::secret_key(key)?;
        }
    }
    let api: Api<Secret> = Api::namespaced(client, namespace);
    let mut secret = api
        .get(name)
        .await
        .map_err(|e| sanitize(e, "read", namespace, name))?;
    let conflict = || Error::SecretConflict {
        namespace: namespace.to_string(),
        name: name.to_string(),
        expected: expected_resource_version.to_string(),
    };
    // The server refuses the replace with 409 if anyone saved after the
    // caller's read: a real compare-and-swap, nothing merged silently.
    secret.metadata.resource_version = Some(expected_resource_version.to_string());
    let data = secret.data.get_or_insert_with(BTreeMap::new);
    // stringData would override data on the server; edits go through data only.
    secret.string_data = None;
    for c in changes {
        match c {
            KeyChange::Set { key, value } => {
                data.insert(key, ByteString(value.expose().to_vec()));
            }
            KeyChange::Remove { key } => {
                data.remove(&key);
            }
        }
    }
    match api.replace(name, &PostParams::default(), &secret).await {
        Ok(saved) => Ok(saved.metadata.resource_version.unwrap_or_default()),
        Err(kube::Error::Api(s)) if s.code == 409 => Err(conflict()),
        Err(e) => Err(sanitize(e, "save", namespace, name)),
    }
}

/// What to create.
pub enum NewSecret {
    /// `pairs` are literal values, `files` the same from files (key, bytes).
    Opaque {
        pairs: Vec<(String, SecretValue)>,
    },
    Tls {
        cert: Vec<u8>,
        key: SecretValue,
    },
    DockerRegistry {
        server: String,
        username: String,
        password: SecretValue,
        email: Option<String>,
    },
}

/// Validates and creates `namespace/name`; returns its resourceVersion.
pub async fn create_secret(
    client: kube::Client,
    namespace: &str,
    name: &str,
    spec: NewSecret,
) -> Result<String, Error> {
    let secret = build(namespace, name, spec)?;
    let api: Api<Secret> = Api::namespaced(client, namespace);
    let created = api
        .create(&PostParams::default(), &secret)
        .await
        .map_err(|e| sanitize(e, "create", namespace, name))?;
    Ok(created.metadata.resource_version.unwrap_or_default())
}

/// The object `create_secret` sends, after every local check.
pub fn build(namespace: &str, name: &str, spec: NewSecret) -> Result<Secret, Error> {
    validate::secret_name(name)?;
    let (type_, data) = match spec {
        NewSecret::Opaque { pairs } => {
            let mut data = BTreeMap::new();
            for (k, v) in pairs {
                validate::secret_key(&k)?;
                if data
                    .insert(k.clone(), ByteString(v.expose().to_vec()))
                    .is_some()
                {
                    return Err(Error::InvalidInput(format!(
                        "the key \"{k}\" is given twice"
                    )));
                }
            }
            ("Opaque", data)
        }
        NewSecret::Tls { cert, key } => {
            tls::check_pair(&cert, key.expose())?;
            let mut data = BTreeMap::new();
            data.insert("tls.crt".to_string(), ByteString(cert));
            data.insert("tls.key".to_string(), ByteString(key.expose().to_vec()));
            ("kubernetes.io/tls", data)
        }
        NewSecret::DockerRegistry {
            server,
            username,
            password,
            email,
        } => {
            if server.trim().is_empty() || username.is_empty() {
                return Err(Error::InvalidInput(
                    "a registry secret needs a server and a username".into(),
                ));
            }
            let cfg = dockercfg::build(
                &server,
                &username,
                password_str(&password)?,
                email.as_deref(),
            );
            let mut data = BTreeMap::new();
            data.insert(".dockerconfigjson".to_string(), ByteString(cfg));
            ("kubernetes.io/dockerconfigjson", data)
        }
    };
    Ok(Secret {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace.to_string()),
            ..Default::default()
        },
        type_: Some(type_.to_string()),
        data: Some(data),
        ..Default::default()
    })
}

fn password_str(p: &SecretValue) -> Result<&str, Error> {
    std::str::from_utf8(p.expose())
        .map_err(|_| Error::InvalidInput("the registry password must be text (UTF-8)".into()))
}
