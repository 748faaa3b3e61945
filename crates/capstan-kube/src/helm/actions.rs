//! Changes go through the real `helm` binary: Capstan does not reimplement
//! Helm. Each run gets the context as a 0600 one-context kubeconfig (removed
//! after), the release's storage driver in `HELM_DRIVER`, and streams its
//! output lines to a sink.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};
#[cfg(any(test, feature = "ts"))]
use ts_rs::TS;

use super::storage::Driver;
use crate::contexts::{write_context_kubeconfig, LoadedKubeconfig};
use crate::Error;

/// What to do to a release.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmAction"))]
pub enum HelmAction {
    /// `helm rollback NAME REVISION`.
    Rollback {
        #[cfg_attr(any(test, feature = "ts"), ts(type = "number"))]
        revision: i64,
    },
    /// `helm upgrade NAME <the release's own chart> -f <values>`: the values
    /// replace the user-supplied ones.
    #[serde(rename_all = "camelCase")]
    Upgrade { values_yaml: String },
    /// `helm uninstall NAME`.
    Uninstall,
}

impl HelmAction {
    pub fn verb(&self) -> &'static str {
        match self {
            HelmAction::Rollback { .. } => "rollback",
            HelmAction::Upgrade { .. } => "upgrade",
            HelmAction::Uninstall => "uninstall",
        }
    }
}

/// One line helm printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmOutputLine"))]
pub struct OutputLine {
    pub stderr: bool,
    pub text: String,
}

/// Receives helm's output as it comes.
pub trait OutputSink: Send + Sync {
    fn line(&self, line: OutputLine);
}

/// A finished, successful run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(test, feature = "ts"), derive(TS))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(any(test, feature = "ts"), ts(export, rename = "HelmActionOutcome"))]
pub struct ActionOutcome {
    pub action: String,
    /// The command as a user could type it (temporary paths shown as names).
    pub command: String,
    pub stdout: String,
}

/// Where and on what to run.
pub struct ActionTarget<'a> {
    pub helm: &'a Path,
    pub kubeconfig: &'a LoadedKubeconfig,
    pub context: &'a str,
    pub namespace: &'a str,
    pub release: &'a str,
}

/// Values as the user edited them: YAML whose top level is a mapping (an
/// empty text is no values). Checked before helm is run.
pub fn validate_values(yaml: &str) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
    let invalid = |detail: String| Error::Invalid {
        what: "the values".into(),
        detail,
    };
    let value: serde_json::Value = if yaml.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_yaml::from_str(yaml).map_err(|e| invalid(e.to_string()))?
    };
    match value {
        serde_json::Value::Null => Ok(Default::default()),
        serde_json::Value::Object(m) => Ok(m),
        other => Err(invalid(format!(
            "the top level must be a mapping of keys to values, not {}",
            match other {
                serde_json::Value::Array(_) => "a list",
                _ => "a single value",
            }
        ))),
    }
}

/// Runs `action` on the release. The release's latest record gives its
/// driver and, for an upgrade, its chart. Fails with helm's stderr.
pub async fn run_action(
    client: &kube::Client,
    target: &ActionTarget<'_>,
    action: &HelmAction,
    sink: &dyn OutputSink,
) -> Result<ActionOutcome, Error> {
    if let HelmAction::Upgrade { values_yaml } = action {
        validate_values(values_yaml)?;
    }
    if let HelmAction::Rollback { revision } = action {
        if *revision < 1 {
            return Err(Error::InvalidInput(format!(
                "revision {revision} does not exist: pick one from the history"
            )));
        }
    }
    let record =
        super::read::latest_record(client, target.context, target.namespace, target.release)
            .await?;
    // Chart, values and kubeconfig live in one private directory removed
    // when this returns, whatever happens.
    let work = tempfile::Builder::new()
        .prefix("capstan-helm-")
        .tempdir()
        .map_err(|source| Error::WriteFile {
            path: std::env::temp_dir(),
            source,
        })?;
    let kubeconfig = write_context_kubeconfig(
        target.kubeconfig,
        target.context,
        Some(target.namespace),
        work.path(),
    )?;
    let mut args: Vec<String> = vec![action.verb().to_string(), target.release.to_string()];
    let mut shown: Vec<String> = args.clone();
    match action {
        HelmAction::Rollback { revision } => {
            args.push(revision.to_string());
            shown.push(revision.to_string());
        }
        HelmAction::Upgrade { values_yaml } => {
            let chart_dir = work.path().join("chart");
            let payload = record.payload().ok_or_else(|| Error::HelmRecord {
                namespace: record.namespace.clone(),
                record: record.object.clone(),
                detail: "it has no release key".into(),
            })?;
            super::chart::write_chart(payload, &chart_dir, target.release)?;
            let values = work.path().join("values.yaml");
            std::fs::write(&values, values_yaml).map_err(|source| Error::WriteFile {
                path: values.clone(),
                source,
            })?;
            args.extend([path_arg(&chart_dir), "-f".into(), path_arg(&values)]);
            shown.extend(["<its chart>".into(), "-f".into(), "<edited values>".into()]);
        }
        HelmAction::Uninstall => {}
    }
    args.extend(["--namespace".into(), target.namespace.to_string()]);
    shown.extend(["--namespace".into(), target.namespace.to_string()]);
    args.extend(["--kubeconfig".into(), path_arg(kubeconfig.path())]);
    let driver = match record.driver {
        Driver::Secret => "secret",
        Driver::ConfigMap => "configmap",
    };
    let command = format!("HELM_DRIVER={driver} helm {}", shown.join(" "));
    tracing::info!(%command, context = target.context, "running helm");
    let result = run(target.helm, &args, driver, kubeconfig.path(), sink).await;
    drop(kubeconfig);
    drop(work);
    let (status, stdout, stderr) = result?;
    if status.success() {
        Ok(ActionOutcome {
            action: action.verb().to_string(),
            command,
            stdout,
        })
    } else {
        Err(Error::HelmFailed {
            action: action.verb().to_string(),
            status: status
                .code()
                .map_or_else(|| status.to_string(), |c| format!("exit code {c}")),
            stderr: stderr.trim().to_string(),
        })
    }
}

fn path_arg(p: &Path) -> String {
    p.display().to_string()
}

async fn run(
    helm: &Path,
    args: &[String],
    driver: &str,
    kubeconfig: &Path,
    sink: &dyn OutputSink,
) -> Result<(std::process::ExitStatus, String, String), Error> {
    let spawn_err = |source| Error::HelmSpawn {
        program: PathBuf::from(helm),
        source,
    };
    // helm runs the kubeconfig's exec plugins and its own plugins by name:
    // give it the login shell's PATH too (asked once, off this thread).
    let search_path = tokio::task::spawn_blocking(crate::login_path::search_path)
        .await
        .ok()
        .flatten();
    let mut child = tokio::process::Command::new(helm)
        .envs(search_path.map(|p| ("PATH", p)))
        .args(args)
        .env("HELM_DRIVER", driver)
        .env("KUBECONFIG", kubeconfig)
        // The user's environment must not point helm at another cluster.
        .env_remove("HELM_KUBECONTEXT")
        .env_remove("HELM_NAMESPACE")
        .env_remove("HELM_KUBEAPISERVER")
        .env_remove("HELM_KUBETOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(spawn_err)?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let read = |pipe: Option<_>, is_err: bool| async move {
        let mut all = String::new();
        let Some(pipe) = pipe else { return all };
        let mut lines = BufReader::new(pipe).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            sink.line(OutputLine {
                stderr: is_err,
                text: line.clone(),
            });
            all.push_str(&line);
            all.push('\n');
        }
        all
    };
    let (out, err, status) = tokio::join!(
        read(
            stdout
                .map(Box::new)
                .map(|b| b as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
            false
        ),
        read(
            stderr
                .map(Box::new)
                .map(|b| b as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
            true
        ),
        child.wait()
    );
    let status = status.map_err(spawn_err)?;
    Ok((status, out, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_must_be_a_yaml_mapping() {
        assert_eq!(validate_values("").expect("empty is none").len(), 0);
        assert_eq!(
            validate_values("a: 1\nb:\n  c: x\n").expect("valid").len(),
            2
        );
        let e = validate_values("a: [1\n")
            .expect_err("bad yaml")
            .to_string();
        assert!(
            e.contains("the values is not valid") || e.contains("values"),
            "{e}"
        );
        let e = validate_values("- 1\n").expect_err("a list").to_string();
        assert!(e.contains("a list"), "{e}");
    }

    #[test]
    fn actions_come_from_the_ui_as_tagged_json() {
        let a: HelmAction =
            serde_json::from_str(r#"{"kind":"upgrade","valuesYaml":"a: 1"}"#).expect("parses");
        assert_eq!(
            a,
            HelmAction::Upgrade {
                values_yaml: "a: 1".into()
            }
        );
        let r: HelmAction =
            serde_json::from_str(r#"{"kind":"rollback","revision":2}"#).expect("parses");
        assert_eq!(r.verb(), "rollback");
    }
}
