//! The test world's `helm` (built by `tests/cluster/cluster.sh build` from
//! its Go module, `CAPSTAN_TEST_HELM`) and a local chart for it: `helm
//! create`'s chart set to the local busybox image, kept running by `sleep`
//! (the default is nginx), probes removed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::TestCluster;

/// `CAPSTAN_TEST_HELM`, else `<cache>/bin/helm` beside the test kubectl.
pub fn default_helm() -> PathBuf {
    match std::env::var_os("CAPSTAN_TEST_HELM").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => crate::default_kubectl().with_file_name("helm"),
    }
}

/// How to get helm when it is missing, for [`crate::require`].
pub const HOW_TO_GET_HELM: &str =
    "run `tests/cluster/cluster.sh build` (it builds helm 4 from its Go module into ~/.cache/capstan-k8s/bin) and `eval \"$(tests/cluster/cluster.sh env)\"`";

/// The test helm bound to the test cluster's admin kubeconfig.
#[derive(Debug, Clone)]
pub struct Helm {
    pub path: PathBuf,
    kubeconfig: PathBuf,
}

impl Helm {
    /// The helm to use, or why there is none.
    pub fn find() -> std::result::Result<Helm, String> {
        let path = default_helm();
        if crate::prerequisites::on_path(&path).is_none() {
            return Err(format!("no helm at {}", path.display()));
        }
        Ok(Helm {
            path,
            kubeconfig: TestCluster::get().kubeconfig_path().to_path_buf(),
        })
    }

    /// Runs helm (with `HELM_DRIVER=driver` when given); stdout on success.
    pub fn run(&self, driver: Option<&str>, args: &[&str]) -> Result<String> {
        let mut cmd = Command::new(&self.path);
        cmd.args(args).env("KUBECONFIG", &self.kubeconfig);
        if let Some(d) = driver {
            cmd.env("HELM_DRIVER", d);
        }
        let out = cmd
            .output()
            .with_context(|| format!("running {}", self.path.display()))?;
        if !out.status.success() {
            bail!(
                "helm {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// [`Helm::run`] parsed as JSON.
    pub fn json(&self, driver: Option<&str>, args: &[&str]) -> Result<serde_json::Value> {
        let out = self.run(driver, args)?;
        serde_json::from_str(&out).with_context(|| format!("helm {} printed {out}", args.join(" ")))
    }

    /// `helm create demo` in `dir`, set to `capstan.local/busybox:1`
    /// (pull policy Never) running `sleep`, without probes. Returns the
    /// chart's directory.
    pub fn busybox_chart(&self, dir: &Path) -> Result<PathBuf> {
        let dir_text = dir.to_str().context("utf-8 temp dir")?;
        let out = Command::new(&self.path)
            .args(["create", "demo"])
            .current_dir(dir_text)
            .output()
            .context("helm create")?;
        if !out.status.success() {
            bail!("helm create: {}", String::from_utf8_lossy(&out.stderr));
        }
        let chart = dir.join("demo");
        edit(&chart.join("values.yaml"), |s| {
            let mut s = s
                .replace("repository: nginx", "repository: capstan.local/busybox")
                .replace("pullPolicy: IfNotPresent", "pullPolicy: Never")
                .replace("tag: \"\"", "tag: \"1\"");
            for probe in ["livenessProbe", "readinessProbe"] {
                s = drop_block(&s, probe);
            }
            s
        })?;
        edit(&chart.join("templates/deployment.yaml"), |s| {
            s.replace(
                "imagePullPolicy: {{ .Values.image.pullPolicy }}\n",
                "imagePullPolicy: {{ .Values.image.pullPolicy }}\n          command: [\"sleep\", \"86400\"]\n",
            )
        })?;
        Ok(chart)
    }
}

fn edit(path: &Path, f: impl FnOnce(&str) -> String) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let changed = f(&text);
    if changed == text {
        bail!(
            "{} did not change: helm create's chart is not as expected",
            path.display()
        );
    }
    std::fs::write(path, changed).with_context(|| format!("writing {}", path.display()))
}

/// `key:` at the top level and its indented lines -> `key: {}`.
fn drop_block(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with(&format!("{key}:")) {
            out.push_str(&format!("{key}: {{}}\n"));
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.is_empty()) {
            continue;
        }
        skipping = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}
