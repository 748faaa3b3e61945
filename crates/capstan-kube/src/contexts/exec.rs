//! Exec credential plugins: finding the binary a GUI may not see on its PATH,
//! running one under a deadline (a connection check must be able to give up
//! on a plugin that hangs, and then the plugin must not live on), and turning
//! plugin errors into messages without secrets.

use std::path::Path;
use std::time::Duration;

use kube::config::{AuthInfo, ExecConfig, ExecInteractiveMode};
use secrecy::SecretString;
use serde::Deserialize;
use tokio::io::AsyncReadExt;

use crate::login_path::{self, find_in, is_executable};
use crate::Error;

/// Makes `exec` safe for an app without a terminal and points its command at
/// a binary that exists. `file`/`field` name where the plugin was configured.
pub(crate) fn prepare(exec: &mut ExecConfig, file: &Path, field: &str) -> Result<(), Error> {
    // A GUI has no terminal: a plugin that waits for stdin would hang the
    // check, and its stderr would vanish. `Never` pipes stdin (closed at once)
    // and lets kube capture stderr, which we show instead.
    exec.interactive_mode = Some(ExecInteractiveMode::Never);
    let missing = |plugin: &str| Error::ExecPluginMissing {
        plugin: plugin.to_string(),
        path: file.to_path_buf(),
        field: format!("{field}.command"),
        hint: exec.install_hint.clone().map(|h| h.trim().to_string()),
    };
    let Some(command) = exec.command.clone().filter(|c| !c.is_empty()) else {
        return Err(Error::KubeconfigEntry {
            path: file.to_path_buf(),
            field: format!("{field}.command"),
            detail: "an exec plugin needs a command".into(),
        });
    };
    if command.contains(std::path::MAIN_SEPARATOR) {
        return if is_executable(Path::new(&command)) {
            Ok(())
        } else {
            Err(missing(&command))
        };
    }
    if find_in(&command, std::env::var_os("PATH").as_deref()).is_some() {
        return Ok(());
    }
    // Started from a desktop menu, PATH may lack ~/.local/bin, Homebrew or
    // the cloud SDK: the login shell's PATH has them.
    match login_path::find(&command) {
        Some(found) => {
            exec.command = Some(found.display().to_string());
            Ok(())
        }
        None => Err(missing(&command)),
    }
}

/// What a plugin prints: an ExecCredential's status.
#[derive(Deserialize)]
struct ExecCredential {
    status: Option<CredentialStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialStatus {
    token: Option<String>,
    client_certificate_data: Option<String>,
    client_key_data: Option<String>,
}

/// Runs the exec plugin of `auth` as kube would (same arguments,
/// environment and `KUBERNETES_EXEC_INFO`, no terminal) and puts the
/// credential it prints in place of the plugin, so building the client runs
/// nothing. None when it did not finish within `limit`: it has been killed
/// and reaped by then.
pub(crate) async fn run_plugin(auth: &mut AuthInfo, limit: Duration) -> Result<Option<()>, Error> {
    let Some(exec) = auth.exec.clone() else {
        return Ok(Some(()));
    };
    let name = exec.command.clone().unwrap_or_else(|| "exec".into());
    let failed = |message: String| Error::ExecPluginFailed {
        plugin: name.clone(),
        message,
    };
    // What the plugin runs (gcloud, aws, az) may live on the login shell's
    // PATH only; a PATH in the kubeconfig's env still wins. Asking the shell
    // blocks (once per process), so not on this task's thread.
    let search_path = tokio::task::spawn_blocking(login_path::search_path)
        .await
        .ok()
        .flatten();
    let mut command = tokio::process::Command::new(&name);
    command
        .envs(search_path.map(|p| ("PATH", p)))
        .args(exec.args.iter().flatten())
        .envs(
            exec.env
                .iter()
                .flatten()
                .filter_map(|e| e.get("name").zip(e.get("value"))),
        )
        .env("KUBERNETES_EXEC_INFO", exec_info(&exec))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        // Belt and braces: a cancelled check kills it too.
        .kill_on_drop(true);
    for var in exec.drop_env.iter().flatten() {
        command.env_remove(var);
    }
    let mut child = command
        .spawn()
        .map_err(|e| failed(format!("it could not be started: {e}")))?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let finished = tokio::time::timeout(limit, async {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let (_, _, status) = tokio::join!(
            read_all(stdout.as_mut(), &mut out),
            read_all(stderr.as_mut(), &mut err),
            child.wait()
        );
        (status, out, err)
    })
    .await;
    let (status, stdout, stderr) = match finished {
        Ok(done) => done,
        Err(_) => {
            tracing::debug!(plugin = %name, "exec plugin timed out; killing it");
            // kill() also waits, so no zombie is left.
            if let Err(e) = child.kill().await {
                tracing::warn!(plugin = %name, error = %e, "exec plugin could not be killed");
            }
            return Ok(None);
        }
    };
    let status = status.map_err(|e| failed(format!("it could not be waited for: {e}")))?;
    if !status.success() {
        return Err(failed(stderr_message(&stderr, status.code())));
    }
    let parsed: Option<CredentialStatus> = serde_yaml::from_slice::<ExecCredential>(&stdout)
        .ok()
        .and_then(|c| c.status);
    let Some(credential) = parsed else {
        return Err(failed(
            "it printed no valid ExecCredential; run it in a terminal to see why".into(),
        ));
    };
    apply(auth, credential).map_err(failed)?;
    Ok(Some(()))
}

async fn read_all<R: tokio::io::AsyncRead + Unpin>(from: Option<&mut R>, into: &mut Vec<u8>) {
    if let Some(from) = from {
        let _ = from.read_to_end(into).await;
    }
}

/// What kube passes in `KUBERNETES_EXEC_INFO`.
fn exec_info(exec: &ExecConfig) -> String {
    let mut spec = serde_json::json!({ "interactive": false });
    if exec.provide_cluster_info {
        if let Some(cluster) = &exec.cluster {
            spec["cluster"] = serde_json::to_value(cluster).unwrap_or_default();
        }
    }
    serde_json::json!({
        "apiVersion": exec.api_version,
        "kind": "ExecCredential",
        "spec": spec,
    })
    .to_string()
}

fn apply(auth: &mut AuthInfo, credential: CredentialStatus) -> Result<(), String> {
    use base64::Engine;
    match credential {
        CredentialStatus {
            token: Some(token), ..
        } => auth.token = Some(SecretString::from(token)),
        CredentialStatus {
            client_certificate_data: Some(cert),
            client_key_data: Some(key),
            ..
        } => {
            // A kubeconfig holds these as base64 of the PEM text.
            let b64 = base64::engine::general_purpose::STANDARD;
            auth.client_certificate_data = Some(b64.encode(cert));
            auth.client_key_data = Some(SecretString::from(b64.encode(key)));
        }
        _ => {
            return Err(
                "its ExecCredential holds neither a token nor a client certificate and key".into(),
            )
        }
    }
    auth.exec = None;
    Ok(())
}

/// If `err`'s chain holds a plugin failure, our own wording of it: the
/// plugin's stderr only, since kube's message quotes stdout (the token).
pub(crate) fn plugin_failure(
    err: &(dyn std::error::Error + 'static),
    command: Option<&str>,
) -> Option<Error> {
    let name = command.unwrap_or("exec").to_string();
    use kube::client::AuthError;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(auth) = e.downcast_ref::<AuthError>() {
            return Some(match auth {
                AuthError::AuthExecRun { cmd, out } => Error::ExecPluginFailed {
                    plugin: plugin_name(cmd),
                    message: stderr_message(&out.stderr, out.status.code()),
                },
                AuthError::AuthExecStart(io) => Error::ExecPluginFailed {
                    plugin: name.clone(),
                    message: format!("it could not be started: {io}"),
                },
                AuthError::AuthExecParse(_) | AuthError::ExecPluginFailed => {
                    Error::ExecPluginFailed {
                        plugin: name.clone(),
                        message:
                            "it printed no valid ExecCredential; run it in a terminal to see why"
                                .into(),
                    }
                }
                other => Error::ExecPluginFailed {
                    plugin: name.clone(),
                    message: other.to_string(),
                },
            });
        }
        cur = e.source();
    }
    None
}

/// kube renders the command as `Command`'s Debug (`"aws" "eks" ...`); the
/// program is the first quoted word.
fn plugin_name(cmd: &str) -> String {
    cmd.split('"').nth(1).unwrap_or(cmd).to_string()
}

fn stderr_message(stderr: &[u8], code: Option<i32>) -> String {
    const MAX: usize = 600;
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    let status = code.map_or_else(
        || "it was killed".to_string(),
        |c| format!("exit status {c}"),
    );
    if text.is_empty() {
        return format!("{status}, no message on stderr");
    }
    let mut msg: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        msg.push('…');
    }
    format!("{msg} ({status})")
}
