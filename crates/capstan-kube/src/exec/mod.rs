//! Running things in containers through kube's WebSocket (`v5.channel.k8s.io`,
//! falling back to v4): exec with a TTY or pipes, attach to the main process,
//! ephemeral debug containers, and file copy as tar over exec (kubectl cp's
//! protocol). The app and the CLI both use [`open`], [`attach`], [`debug`]
//! and [`copy`]; neither holds any of this logic.

mod container;
pub mod copy;
mod debug;
mod errors;
mod session;
mod shell;
mod status;
mod tar_paths;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams};

pub use container::{choose_container, DEFAULT_CONTAINER_ANNOTATION};
pub use debug::{debug, DebugRequest, DEFAULT_DEBUG_IMAGE};
pub use session::{Batching, InputWriter, Output, OutputStream, Resizer, TerminalSession};
pub use shell::FIRST_SHELL;

use crate::Error;

/// How long opening the WebSocket may take before the request fails:
/// nothing hangs on a dead cluster.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// What to run, where, and how.
#[derive(Debug, Clone)]
pub struct ExecRequest {
    pub namespace: String,
    pub pod: String,
    /// `None`: the `kubectl.kubernetes.io/default-container` annotation,
    /// else the first container.
    pub container: Option<String>,
    /// `None`: the first shell found (bash, else sh).
    pub command: Option<Vec<String>>,
    pub tty: bool,
    pub stdin: bool,
    /// Initial terminal size (cols, rows), sent once the TTY exists.
    pub size: Option<(u16, u16)>,
    pub batching: Batching,
}

impl ExecRequest {
    /// An interactive shell (TTY, stdin) in the default container.
    pub fn shell(namespace: &str, pod: &str) -> Self {
        ExecRequest {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            container: None,
            command: None,
            tty: true,
            stdin: true,
            size: None,
            batching: Batching::default(),
        }
    }

    /// `command` without TTY or stdin (stdout and stderr apart).
    pub fn command(namespace: &str, pod: &str, command: &[&str]) -> Self {
        ExecRequest {
            command: Some(command.iter().map(|s| s.to_string()).collect()),
            tty: false,
            stdin: false,
            ..Self::shell(namespace, pod)
        }
    }
}

/// Opens an exec session: the container is checked to be running first, so
/// a stopped container gets its own error rather than the server's.
pub async fn open(client: kube::Client, request: ExecRequest) -> Result<TerminalSession, Error> {
    let purpose = match &request.command {
        Some(c) => status::Purpose::Command(c.first().cloned().unwrap_or_default()),
        None => status::Purpose::Shell,
    };
    open_as(client, request, purpose).await
}

/// [`open`], with what the command is for (so a missing `tar` is `NoTar`).
pub(crate) async fn open_as(
    client: kube::Client,
    request: ExecRequest,
    purpose: status::Purpose,
) -> Result<TerminalSession, Error> {
    let pods: Api<Pod> = Api::namespaced(client, &request.namespace);
    let pod = get_pod(&pods, &request.namespace, &request.pod).await?;
    let container = choose_container(&pod, request.container.as_deref())?;
    container::ensure_running(&pod, &container)?;
    let command = request
        .command
        .clone()
        .unwrap_or_else(shell::first_shell_command);
    let params = params(&container, request.tty, request.stdin);
    let target = errors::Target::new(&request.namespace, &request.pod, &container);
    let process = connect(
        &target,
        "create",
        "pods/exec",
        pods.exec(&request.pod, command, &params),
    )
    .await?;
    Ok(TerminalSession::start(process, &request, target, purpose))
}

/// Attaches to the container's main process. Stdin and TTY are used only
/// when the container spec has them (`stdin: true`, `tty: true`), as
/// kubectl attach does.
pub async fn attach(
    client: kube::Client,
    namespace: &str,
    pod_name: &str,
    container: Option<&str>,
    size: Option<(u16, u16)>,
    batching: Batching,
) -> Result<TerminalSession, Error> {
    let pods: Api<Pod> = Api::namespaced(client, namespace);
    let pod = get_pod(&pods, namespace, pod_name).await?;
    let container = choose_container(&pod, container)?;
    container::ensure_running(&pod, &container)?;
    let (stdin, tty) = container::stdin_tty(&pod, &container);
    let params = params(&container, tty, stdin);
    let target = errors::Target::new(namespace, pod_name, &container);
    let process = connect(
        &target,
        "create",
        "pods/attach",
        pods.attach(pod_name, &params),
    )
    .await?;
    let request = ExecRequest {
        namespace: namespace.to_string(),
        pod: pod_name.to_string(),
        container: Some(container.clone()),
        command: None,
        tty,
        stdin,
        size,
        batching,
    };
    Ok(TerminalSession::start(
        process,
        &request,
        target,
        status::Purpose::Attach,
    ))
}

fn params(container: &str, tty: bool, stdin: bool) -> AttachParams {
    AttachParams {
        container: Some(container.to_string()),
        stdin,
        stdout: true,
        // With a TTY the server merges stderr into stdout (kubectl asks the same).
        stderr: !tty,
        tty,
        // kube's pipes default to 1 KiB: larger ones keep bulk copies fast.
        max_stdin_buf_size: Some(64 * 1024),
        max_stdout_buf_size: Some(64 * 1024),
        max_stderr_buf_size: Some(64 * 1024),
    }
}

async fn get_pod(pods: &Api<Pod>, namespace: &str, pod: &str) -> Result<Pod, Error> {
    pods.get(pod)
        .await
        .map_err(|e| errors::from_kube(e, &errors::Target::new(namespace, pod, ""), "get", "pods"))
}

/// Opens the WebSocket within [`CONNECT_TIMEOUT`], mapping the server's
/// refusals to errors that say what to do.
async fn connect(
    target: &errors::Target,
    verb: &'static str,
    resource: &'static str,
    connecting: impl std::future::Future<Output = Result<kube::api::AttachedProcess, kube::Error>>,
) -> Result<kube::api::AttachedProcess, Error> {
    match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Ok(Ok(process)) => Ok(process),
        Ok(Err(e)) => Err(errors::from_kube(e, target, verb, resource)),
        Err(_) => Err(Error::ExecConnect {
            target: target.to_string(),
            detail: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        }),
    }
}
