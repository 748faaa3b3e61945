//! Extra k3s arguments the user adds to the servers or the agents. Each is
//! one argv element (`--disable=traefik`, or `--disable` then `traefik`).
//! Flags Capstan sets itself are refused: changing them would break joining,
//! the kubeconfig read-back or the published API.

/// Flags Capstan manages, with what it uses them for. k3s accepts the
/// `--flag=value` and `--flag value` forms; both are caught by the name.
pub(crate) const MANAGED: &[(&str, &str)] = &[
    ("--token", "the cluster token is generated per cluster"),
    ("-t", "the cluster token is generated per cluster"),
    ("--token-file", "the cluster token is generated per cluster"),
    (
        "--agent-token",
        "the cluster token is generated per cluster",
    ),
    (
        "--agent-token-file",
        "the cluster token is generated per cluster",
    ),
    ("--server", "nodes join the first server"),
    ("-s", "nodes join the first server"),
    ("--cluster-init", "set for 3 servers (embedded etcd)"),
    ("--cluster-reset", "it would wipe the cluster's members"),
    ("--node-name", "each node is named after its container"),
    (
        "--write-kubeconfig",
        "Capstan reads the kubeconfig from a fixed place",
    ),
    ("-o", "Capstan reads the kubeconfig from a fixed place"),
    (
        "--https-listen-port",
        "the API listens on 6443 in the container; choose the API port instead",
    ),
];

/// Why an extra argument was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgProblem {
    #[error("an empty argument: remove it")]
    Empty,
    #[error("`{flag}` is set by Capstan ({why}): remove it")]
    Managed { flag: String, why: &'static str },
}

/// The flag name of an argument: `--disable` of `--disable=traefik`.
fn flag_name(arg: &str) -> &str {
    arg.split_once('=').map_or(arg, |(name, _)| name)
}

/// Checks one extra argument (the same flags are managed for servers and agents).
pub fn check(arg: &str) -> Result<(), ArgProblem> {
    if arg.trim().is_empty() {
        return Err(ArgProblem::Empty);
    }
    let name = flag_name(arg.trim());
    match MANAGED.iter().find(|(flag, _)| *flag == name) {
        Some((flag, why)) => Err(ArgProblem::Managed {
            flag: (*flag).to_owned(),
            why,
        }),
        None => Ok(()),
    }
}
