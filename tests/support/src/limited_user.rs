//! A user who may do little: a ServiceAccount in a test namespace bound to
//! a namespace-scoped Role, reached through a kubeconfig of its own with a
//! token from the TokenRequest API (`kubectl create token`). The file is
//! created 0600 in the temp dir and removed on drop; the ServiceAccount,
//! Role and binding go with the namespace.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::TestCluster;

/// The Role of issue 23's new user: read pods, deployments, services and
/// configmaps in one namespace, nothing else.
pub const READ_ONLY_RULES: &str = r#"
- apiGroups: [""]
  resources: ["pods", "services", "configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch"]
"#;

/// See the module docs.
#[derive(Debug)]
pub struct LimitedUser {
    /// The kubeconfig (one context, `context`, namespace preset).
    pub kubeconfig: PathBuf,
    /// The context's name in that kubeconfig.
    pub context: String,
    /// The namespace the Role is in.
    pub namespace: String,
    /// `system:serviceaccount:<ns>:<name>`.
    pub user: String,
}

impl LimitedUser {
    /// Creates ServiceAccount `name`, a Role with `rules` (YAML list of
    /// PolicyRules) and its RoleBinding in `namespace` (which must exist),
    /// then writes the kubeconfig. Panics when the cluster refuses: no test
    /// can go on without it.
    pub fn create(namespace: &str, name: &str, rules: &str) -> Self {
        match Self::try_create(namespace, name, rules) {
            Ok(user) => user,
            Err(e) => panic!("creating the limited user {name} in {namespace}: {e:#}"),
        }
    }

    fn try_create(namespace: &str, name: &str, rules: &str) -> Result<Self> {
        let cluster = TestCluster::get();
        let rules = rules
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("  {l}\n"))
            .collect::<String>();
        let manifest = format!(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n---\n\
             apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\nrules:\n{rules}---\n\
             apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\n\
             roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {name}\n\
             subjects:\n- kind: ServiceAccount\n  name: {name}\n  namespace: {namespace}\n"
        );
        let file =
            std::env::temp_dir().join(format!("{namespace}-{name}-{}.yaml", std::process::id()));
        std::fs::write(&file, manifest).context("writing the RBAC manifest")?;
        let applied =
            cluster.kubectl_ok(["-n", namespace, "apply", "-f", &file.display().to_string()]);
        let _ = std::fs::remove_file(&file);
        applied?;
        // TokenRequest: a bound, expiring token, as a real user would get.
        let token = cluster
            .kubectl_ok(["-n", namespace, "create", "token", name, "--duration=1h"])?
            .trim()
            .to_string();
        let context = format!("limited-{name}");
        let ca = cluster.ca_path().display().to_string();
        let yaml = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: {context}\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
             users:\n- name: {context}\n  user:\n    token: {token}\n\
             contexts:\n- name: {context}\n  context:\n    cluster: {context}\n    user: {context}\n    namespace: {namespace}\n\
             current-context: {context}\n",
            server = cluster.server_url(),
        );
        let kubeconfig = std::env::temp_dir().join(format!(
            "capstan-limited-{namespace}-{name}-{}.yaml",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&kubeconfig);
        write_private(&kubeconfig, yaml.as_bytes())?;
        Ok(Self {
            kubeconfig,
            context,
            namespace: namespace.to_string(),
            user: format!("system:serviceaccount:{namespace}:{name}"),
        })
    }

    /// Runs the test cluster's kubectl as this user.
    pub fn kubectl_ok<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let out = std::process::Command::new(TestCluster::get().kubectl_path())
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .context("running kubectl")?;
        if !out.status.success() {
            anyhow::bail!(
                "kubectl failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for LimitedUser {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.kubeconfig);
    }
}

/// Creates `path` readable by its owner only: it holds a token.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))
}
