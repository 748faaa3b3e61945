//! A shell in a node container (`capstan cluster shell`), like
//! `docker exec -it <node> sh`: an exec attached both ways, with a TTY when
//! the caller has a terminal.

use std::pin::Pin;

pub use bollard::container::LogOutput as Output;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::ResizeExecOptions;
use bollard::Docker;
use futures_util::Stream;
use tokio::io::AsyncWrite;

use crate::lifecycle::find;
use crate::{engine_err, Error};

/// An attached shell: write to `input`, read `output` until it ends, then
/// [`exit_code`].
pub struct Shell {
    pub exec_id: String,
    /// The container the shell runs in.
    pub node: String,
    pub output: Pin<Box<dyn Stream<Item = Result<Output, bollard::errors::Error>> + Send>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
}

/// The node container `node` names in `cluster`: a container name, or its
/// role-index suffix (`server-0`, `agent-1`); server 0 when None.
fn pick(cluster: &str, nodes: &[String], node: Option<&str>) -> Result<String, Error> {
    let wanted = node.unwrap_or("server-0");
    nodes
        .iter()
        .find(|n| n.as_str() == wanted || n.ends_with(&format!("-{wanted}")))
        .cloned()
        .ok_or_else(|| Error::NodeNotFound {
            cluster: cluster.to_owned(),
            node: wanted.to_owned(),
            nodes: nodes.join(", "),
        })
}

/// Starts `sh` in a running node of `cluster`. `tty`: a terminal of
/// `size` (columns, rows), else plain pipes (scripts, tests).
pub async fn open_shell(
    docker: &Docker,
    cluster: &str,
    node: Option<&str>,
    tty: bool,
    size: Option<(u16, u16)>,
) -> Result<Shell, Error> {
    let info = find(docker, cluster).await?;
    let names: Vec<String> = info.nodes.iter().map(|n| n.container.clone()).collect();
    let container = pick(cluster, &names, node)?;
    let running = info
        .nodes
        .iter()
        .any(|n| n.container == container && n.state == "running");
    if !running {
        return Err(Error::NotRunning {
            name: cluster.to_owned(),
            before: "first",
        });
    }
    let created = docker
        .create_exec(
            &container,
            CreateExecOptions {
                cmd: Some(vec!["sh".to_owned()]),
                attach_stdin: Some(true),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                tty: Some(tty),
                env: tty.then(|| vec!["TERM=xterm-256color".to_owned()]),
                ..Default::default()
            },
        )
        .await
        .map_err(engine_err("open a shell in a node"))?;
    let started = docker
        .start_exec(&created.id, None)
        .await
        .map_err(engine_err("open a shell in a node"))?;
    let StartExecResults::Attached { output, input } = started else {
        return Err(Error::ShellNotAttached { node: container });
    };
    if let (true, Some((w, h))) = (tty, size) {
        resize_shell(docker, &created.id, w, h).await;
    }
    Ok(Shell {
        exec_id: created.id,
        node: container,
        output,
        input,
    })
}

/// Tells the shell's TTY its new size; a failure only means a badly wrapped
/// screen, so it is logged, not returned.
pub async fn resize_shell(docker: &Docker, exec_id: &str, columns: u16, rows: u16) {
    let options = ResizeExecOptions {
        h: i32::from(rows),
        w: i32::from(columns),
    };
    if let Err(e) = docker.resize_exec(exec_id, options).await {
        tracing::debug!(error = %e, "resizing the shell failed");
    }
}

/// The shell's exit code once it has ended (None while it runs or when the
/// engine does not say).
pub async fn exit_code(docker: &Docker, exec_id: &str) -> Option<i64> {
    docker
        .inspect_exec(exec_id)
        .await
        .ok()
        .and_then(|i| i.exit_code)
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn picks_server_zero_by_default_and_nodes_by_suffix_or_name() {
        let nodes = vec![
            "capstan-dev-server-0".to_owned(),
            "capstan-dev-agent-0".to_owned(),
            "capstan-dev-agent-1".to_owned(),
        ];
        assert_eq!(
            pick("dev", &nodes, None).expect("default"),
            "capstan-dev-server-0"
        );
        assert_eq!(
            pick("dev", &nodes, Some("agent-1")).expect("suffix"),
            "capstan-dev-agent-1"
        );
        assert_eq!(
            pick("dev", &nodes, Some("capstan-dev-agent-0")).expect("name"),
            "capstan-dev-agent-0"
        );
        let e = pick("dev", &nodes, Some("agent-7"))
            .expect_err("no such node")
            .to_string();
        assert!(
            e.contains("no node `agent-7`") && e.contains("capstan-dev-agent-1"),
            "{e}"
        );
    }
}
