//! A `kube::Config` / `Client` for one named context of the merged view.

use std::path::Path;

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError, LoadDataError};

use super::{exec, LoadedKubeconfig};
use crate::Error;

/// The connection settings kubectl would use for `context`: its cluster's
/// server, CA (file or data), insecure-skip-tls-verify, proxy-url; its user's
/// client cert/key, token, tokenFile or exec plugin. Referenced files are
/// checked here so the error names the kubeconfig and the field.
pub async fn client_config(
    loaded: &LoadedKubeconfig,
    context: &str,
) -> Result<kube::Config, Error> {
    let kubeconfig = single_context(loaded, context)?;
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| config_error(loaded, context, e))
}

/// A client for `context`. Building it loads key material, so a bad key is
/// reported here rather than on the first request.
pub async fn client(loaded: &LoadedKubeconfig, context: &str) -> Result<kube::Client, Error> {
    let config = client_config(loaded, context).await?;
    let name = context.to_string();
    // kube runs an exec plugin synchronously while building the client:
    // keep that off the async workers.
    tokio::task::spawn_blocking(move || client_from_config(config, &name))
        .await
        .map_err(|e| Error::ClientSetup {
            context: context.to_string(),
            detail: format!("the client set-up task failed: {e}"),
        })?
}

/// A client for the current context of one kubeconfig document held in
/// memory (a new local cluster's admin kubeconfig, before it is merged into
/// any file).
pub async fn client_from_yaml(yaml: &str) -> Result<kube::Client, Error> {
    crate::install_crypto_provider();
    let kubeconfig = Kubeconfig::from_yaml(yaml).map_err(|e| Error::KubeconfigInvalid {
        path: "(the cluster's kubeconfig)".into(),
        detail: e.to_string(),
    })?;
    let context = kubeconfig.current_context.clone().unwrap_or_default();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .map_err(|e| Error::ClientSetup {
            context: context.clone(),
            detail: e.to_string(),
        })?;
    client_from_config(config, &context)
}

pub(crate) fn client_from_config(
    config: kube::Config,
    context: &str,
) -> Result<kube::Client, Error> {
    let plugin = config
        .auth_info
        .exec
        .as_ref()
        .and_then(|x| x.command.clone());
    kube::Client::try_from(config).map_err(|e| {
        // kube's own text for a failed plugin quotes its stdout (a token).
        exec::plugin_failure(&e, plugin.as_deref()).unwrap_or_else(|| Error::ClientSetup {
            context: context.to_string(),
            detail: e.to_string(),
        })
    })
}

/// The merged view cut down to `context`, its cluster and its user, after
/// the checks kubectl makes when it uses a context.
pub(crate) fn single_context(
    loaded: &LoadedKubeconfig,
    context: &str,
) -> Result<Kubeconfig, Error> {
    let merged = &loaded.merged;
    let named = merged
        .contexts
        .iter()
        .find(|c| c.name == context)
        .ok_or_else(|| Error::ContextNotFound {
            context: context.to_string(),
            searched: loaded.searched_list(),
        })?;
    let ctx_file = loaded.context_source(context).unwrap_or(Path::new("?"));
    let entry = |field: String, detail: String| Error::KubeconfigEntry {
        path: ctx_file.to_path_buf(),
        field,
        detail,
    };
    let ctx = named
        .context
        .as_ref()
        .ok_or_else(|| entry(format!("contexts[{context}].context"), "is missing".into()))?;
    let cluster = merged
        .clusters
        .iter()
        .find(|c| c.name == ctx.cluster)
        .ok_or_else(|| {
            entry(
                format!("contexts[{context}].context.cluster"),
                format!(
                    "names cluster \"{}\", which no kubeconfig file defines: add it or fix the name",
                    ctx.cluster
                ),
            )
        })?;
    let cluster_file = loaded.cluster_source(&cluster.name).unwrap_or(ctx_file);
    let cluster_field = format!("clusters[{}].cluster", cluster.name);
    let body = cluster
        .cluster
        .as_ref()
        .ok_or_else(|| Error::KubeconfigEntry {
            path: cluster_file.to_path_buf(),
            field: cluster_field.clone(),
            detail: "is missing".into(),
        })?;
    if body.server.as_deref().unwrap_or("").is_empty() {
        return Err(Error::KubeconfigEntry {
            path: cluster_file.to_path_buf(),
            field: format!("{cluster_field}.server"),
            detail: "is missing: set the API server URL".into(),
        });
    }
    if body.certificate_authority_data.is_none() {
        check_file(
            cluster_file,
            &cluster_field,
            "certificate-authority",
            &body.certificate_authority,
        )?;
    }

    let mut user = None;
    if let Some(user_name) = ctx.user.as_deref().filter(|u| !u.is_empty()) {
        let mut found = merged
            .auth_infos
            .iter()
            .find(|u| u.name == user_name)
            .cloned()
            .ok_or_else(|| {
                entry(
                    format!("contexts[{context}].context.user"),
                    format!(
                        "names user \"{user_name}\", which no kubeconfig file defines: add it or fix the name"
                    ),
                )
            })?;
        let user_file = loaded
            .user_source(user_name)
            .unwrap_or(ctx_file)
            .to_path_buf();
        let user_field = format!("users[{user_name}].user");
        if let Some(auth) = found.auth_info.as_mut() {
            if auth.client_certificate_data.is_none() {
                check_file(
                    &user_file,
                    &user_field,
                    "client-certificate",
                    &auth.client_certificate,
                )?;
            }
            if auth.client_key_data.is_none() {
                check_file(&user_file, &user_field, "client-key", &auth.client_key)?;
            }
            if auth.token.is_none() {
                check_file(&user_file, &user_field, "tokenFile", &auth.token_file)?;
            }
            if let Some(plugin) = auth.exec.as_mut() {
                exec::prepare(plugin, &user_file, &format!("{user_field}.exec"))?;
            }
        }
        user = Some(found);
    }

    Ok(Kubeconfig {
        clusters: vec![cluster.clone()],
        auth_infos: user.into_iter().collect(),
        contexts: vec![named.clone()],
        current_context: Some(context.to_string()),
        ..Default::default()
    })
}

fn check_file(file: &Path, parent: &str, key: &str, value: &Option<String>) -> Result<(), Error> {
    let Some(p) = value.as_deref().filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err(Error::KubeconfigEntry {
            path: file.to_path_buf(),
            field: format!("{parent}.{key}"),
            detail: format!("{p} is not a file"),
        }),
        Err(e) => Err(Error::KubeconfigEntry {
            path: file.to_path_buf(),
            field: format!("{parent}.{key}"),
            detail: format!("cannot read {p}: {e}"),
        }),
    }
}

/// Maps kube's loader errors to the field they concern. kube's messages
/// name paths and decoding problems, never the data itself.
fn config_error(loaded: &LoadedKubeconfig, context: &str, e: KubeconfigError) -> Error {
    let ctx = loaded
        .merged
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.clone())
        .unwrap_or_default();
    let cluster_file = loaded
        .cluster_source(&ctx.cluster)
        .unwrap_or(Path::new("?"))
        .to_path_buf();
    let user = ctx.user.unwrap_or_default();
    let user_file = loaded
        .user_source(&user)
        .unwrap_or(Path::new("?"))
        .to_path_buf();
    let c = |key: &str, detail: String| Error::KubeconfigEntry {
        path: cluster_file.clone(),
        field: format!("clusters[{}].cluster.{key}", ctx.cluster),
        detail,
    };
    let u = |key: &str, detail: String| Error::KubeconfigEntry {
        path: user_file.clone(),
        field: format!("users[{user}].user.{key}"),
        detail,
    };
    let data_detail = |d: &LoadDataError| match d {
        LoadDataError::DecodeBase64(_) => "is not valid base64".to_string(),
        other => other.to_string(),
    };
    match e {
        KubeconfigError::MissingClusterUrl => c("server", "is missing".into()),
        KubeconfigError::ParseClusterUrl(err) => c("server", format!("is not a valid URL: {err}")),
        KubeconfigError::ParseProxyUrl(err) => c("proxy-url", format!("is not a valid URL: {err}")),
        KubeconfigError::LoadCertificateAuthority(d) => c("certificate-authority", data_detail(&d)),
        KubeconfigError::ParseCertificates(err) => {
            c("certificate-authority-data", format!("is not PEM: {err}"))
        }
        KubeconfigError::LoadClientCertificate(d) => u("client-certificate", data_detail(&d)),
        KubeconfigError::LoadClientKey(d) => u("client-key", data_detail(&d)),
        other => Error::ClientSetup {
            context: context.to_string(),
            detail: other.to_string(),
        },
    }
}
