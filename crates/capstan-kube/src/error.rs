use std::path::PathBuf;

/// Every way `capstan-kube` can fail, each phrased so the user knows what to do.
///
/// No variant ever carries a secret: kube's own messages that may quote a
/// plugin's stdout (tokens) are re-worded before they get here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read kubeconfig {path}: {source}")]
    KubeconfigRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `detail` carries the parser's own message (line and column), never file content.
    #[error("kubeconfig {path} is not valid: {detail}")]
    KubeconfigInvalid { path: PathBuf, detail: String },

    /// One entry of a kubeconfig cannot be used: a context naming a missing
    /// cluster or user, a certificate file that does not exist, a bad URL.
    /// `field` is the YAML path, e.g. `users[alice].client-key`.
    #[error("kubeconfig {path}, {field}: {detail}")]
    KubeconfigEntry {
        path: PathBuf,
        field: String,
        detail: String,
    },

    /// The context name is in none of the loaded files.
    #[error("context \"{context}\" is not in your kubeconfig ({searched}): pick one `capstan contexts` lists")]
    ContextNotFound { context: String, searched: String },

    /// An exec credential plugin's binary cannot be found (checked before
    /// running it, and again if starting it fails).
    #[error("the credential plugin \"{plugin}\" named in {path} ({field}) was not found: install it or put it on PATH{}", hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    ExecPluginMissing {
        plugin: String,
        path: PathBuf,
        field: String,
        hint: Option<String>,
    },

    /// An exec credential plugin ran and failed. `message` is the plugin's
    /// stderr (trimmed); its stdout may hold a token and is never kept.
    #[error("the credential plugin \"{plugin}\" failed: {message}")]
    ExecPluginFailed { plugin: String, message: String },

    /// kube could not make a client from a valid-looking entry (bad key
    /// material, TLS set-up).
    #[error("cannot connect with context \"{context}\": {detail}")]
    ClientSetup { context: String, detail: String },

    /// Writing a file failed; the original is untouched.
    #[error("cannot write {path}: {source}; the file was left unchanged")]
    WriteFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Another program holds kubectl's lock on the kubeconfig (`<file>.lock`)
    /// and did not let go; nothing was written.
    #[error("the kubeconfig is locked by another program ({lock} exists): try again, or remove that file if no kubectl or Capstan is writing")]
    KubeconfigLocked { lock: PathBuf },

    /// Neither KUBECONFIG nor a home directory says where the kubeconfig is.
    #[error("no home directory found: set KUBECONFIG to the kubeconfig file to use")]
    NoHomeDir,

    /// The platform has no config directory and `CAPSTAN_CONFIG_DIR` is unset.
    #[error("no configuration directory found: set CAPSTAN_CONFIG_DIR to a writable folder")]
    NoConfigDir,

    /// The app settings file exists but is not what Capstan wrote.
    #[error("settings file {path} is not valid: {detail}; fix or delete it")]
    SettingsInvalid { path: PathBuf, detail: String },

    /// "Add cluster" refused a name that is already in the merged kubeconfig.
    #[error("a {kind} named \"{name}\" already exists in {existing}: rename it in the pasted kubeconfig first")]
    DuplicateName {
        kind: &'static str,
        name: String,
        existing: PathBuf,
    },

    /// "Add cluster" could not reach the server or list namespaces with the
    /// pasted kubeconfig; nothing was saved.
    #[error("the pasted kubeconfig does not work for context \"{context}\": {detail}; nothing was saved")]
    ValidationFailed { context: String, detail: String },

    /// Rename or delete of a context Capstan did not add.
    #[error(
        "context \"{context}\" was not added in Capstan (it is in {path}): edit that file instead"
    )]
    NotManaged { context: String, path: PathBuf },

    /// The OS keyring or the fallback credential file failed.
    #[error("cannot {action} the stored credentials: {detail}")]
    Credentials {
        action: &'static str,
        detail: String,
    },

    /// A pasted or supplied value is not acceptable (empty name, no contexts).
    #[error("{0}")]
    InvalidInput(String),

    /// "Make current" on a context that only the app-managed file holds:
    /// kubectl does not read that file, so it cannot be its current context.
    #[error("context \"{context}\" was added in Capstan and is not in your kubeconfig files, so kubectl could not use it as its current context; open it in Capstan instead")]
    NotInUserKubeconfig { context: String },

    /// The system clipboard refused the text.
    #[error("the clipboard could not be written: {detail}")]
    Clipboard { detail: String },

    /// kube could not form a request from names we hold (a bug, not the
    /// user's input).
    #[error("cannot build the request for {what}: {detail}")]
    RequestBuild { what: String, detail: String },

    /// A request to a reachable-looking cluster failed; `detail` is the
    /// server's or the system's own words.
    #[error("cannot {action} in context \"{context}\": {detail}")]
    ClusterRequest {
        context: String,
        action: &'static str,
        detail: String,
    },

    /// Listing objects failed; `detail` is the server's words (a bad label
    /// selector, a missing permission).
    #[error("cannot list {what} in context \"{context}\": {detail}")]
    ListFailed {
        context: String,
        what: String,
        detail: String,
    },

    /// Watching kubeconfig files for outside edits could not start.
    #[error("cannot watch kubeconfig files for changes ({0}); use Reload after editing them")]
    Watch(String),

    // Logs
    /// A log request failed (pod or container gone, no previous instance,
    /// server unreachable); `detail` is the server's words.
    #[error("cannot read the log of {pod}/{container}: {detail}")]
    LogRequest {
        pod: String,
        container: String,
        detail: String,
    },

    // Discovery
    /// A resource argument (`capstan get <name>`) that names no kind the
    /// server lists; `near` holds names close to it, written like it.
    #[error(
        "the server doesn't have a resource type \"{name}\"{}",
        near_hint(near)
    )]
    UnknownResourceType { name: String, near: Vec<String> },

    // Objects (details and actions of one object).
    /// The object (or the kind) is not on the server.
    #[error(
        "{what} was not found in context \"{context}\": it may have been deleted; refresh the list"
    )]
    ObjectNotFound { context: String, what: String },

    /// RBAC refused the request; `reason` is the server's words.
    #[error("not allowed: you may not {verb} {what} in context \"{context}\" ({reason}); ask a cluster admin for the \"{verb}\" permission")]
    Forbidden {
        context: String,
        verb: String,
        what: String,
        reason: String,
    },

    /// RBAC refused a list or watch of a kind (a table): what was asked and
    /// the server's reason, for the UI's "Not allowed".
    #[error("not allowed: you may not {} in context \"{context}\" ({}); ask a cluster admin for a Role that grants it", denial.describe(), denial.reason)]
    NotAllowed {
        context: String,
        /// Boxed: five strings would make every `Result` of this crate larger.
        denial: Box<crate::access::Denial>,
    },

    /// The server rejected what was sent (invalid name, bad field, wrong
    /// YAML); `detail` is the server's or the parser's own message.
    #[error("{what} is not valid: {detail}")]
    Invalid { what: String, detail: String },

    /// An object of that name already exists.
    #[error("{what} already exists in context \"{context}\": pick another name or edit the existing one")]
    AlreadyExists { context: String, what: String },

    /// The action does not apply to this kind (scale on a ConfigMap …).
    #[error("cannot {action} {what}: {reason}")]
    NotSupported {
        action: String,
        what: String,
        reason: String,
    },

    /// A drain could not finish: pods it may not evict without force, or
    /// pods still there when the time ran out. The node stays cordoned.
    #[error(
        "cannot drain node \"{node}\": {detail}; the node stays cordoned (uncordon it to undo)"
    )]
    DrainFailed { node: String, detail: String },

    // Secrets
    /// The secret was saved by someone else after it was read: nothing was
    /// written.
    #[error("secret {namespace}/{name} was changed by someone else since it was read (version {expected}); nothing was saved: reload it and apply your change again")]
    SecretConflict {
        namespace: String,
        name: String,
        expected: String,
    },

    /// A secret request failed. `detail` is the server's reason and field
    /// paths only: its message can quote a submitted value, so it is dropped.
    #[error("cannot {action} secret {namespace}/{name}: {detail}")]
    SecretRequest {
        /// The HTTP status (0 when the server was not reached), for the
        /// error's kind in the UI.
        code: u16,
        action: &'static str,
        namespace: String,
        name: String,
        detail: String,
    },

    // port-forward
    /// The local port is held by another program (or another forward).
    #[error("local port {port} on {address} is already in use: choose another (LOCAL:REMOTE) or let the system pick one (:REMOTE)")]
    PortInUse { address: String, port: u16 },

    /// Listening failed for another reason (address not on this machine,
    /// no permission for a port below 1024).
    #[error("cannot listen on {address}: {detail}; pick another local port or address")]
    ListenFailed { address: String, detail: String },

    /// The pod, service or workload is not in the namespace (any more).
    #[error("target gone: {kind} \"{name}\" not found in namespace \"{namespace}\"; it may have been deleted or renamed")]
    TargetNotFound {
        kind: &'static str,
        name: String,
        namespace: String,
    },

    /// The forwarded pod exists but does not serve yet.
    #[error("pod \"{pod}\" is not running and ready: wait for it, or forward to its service or workload")]
    PodNotReady { pod: String },

    /// No pod behind a service or workload is Running and Ready.
    #[error("{target} has no ready pod: wait until one is Running and Ready (its events say why not), then start the forward again")]
    NoReadyPod { target: String },

    /// Port-forward goes to a pod; a service without selector names none.
    #[error("service \"{service}\" has no selector, so it has no pods to forward to: forward to a pod instead")]
    ServiceWithoutSelector { service: String },

    /// A service port (number or name) the service does not declare.
    #[error("service \"{service}\" has no port {port}: use one of its ports ({available})")]
    UnknownServicePort {
        service: String,
        port: String,
        available: String,
    },

    /// A port name none of the pod's containers declares.
    #[error("pod \"{pod}\" has no container port named \"{name}\": use a number or one of its named ports ({available})")]
    UnknownPortName {
        pod: String,
        name: String,
        available: String,
    },

    /// The saved-forwards file exists but is not what Capstan wrote; it is
    /// left as it is.
    #[error("saved port-forwards file {path} is not valid: {detail}; fix or delete it (it was left unchanged)")]
    SavedForwardsInvalid { path: PathBuf, detail: String },

    // exec, attach, debug, copy
    /// The pod is not in the namespace (any more).
    #[error("pod \"{pod}\" not found in namespace \"{namespace}\": it may have been deleted; pick a pod `capstan get pods -n {namespace}` lists")]
    PodNotFound { namespace: String, pod: String },

    /// `-c` named a container the pod does not have.
    #[error("pod \"{pod}\" has no container \"{container}\": use one of {available}")]
    ContainerNotFound {
        pod: String,
        container: String,
        available: String,
    },

    /// The container exists but does not run, so nothing can be run in it.
    #[error("container \"{container}\" of pod \"{pod}\" is not running ({state}): wait until it runs, read its logs (with --previous after a crash), or debug it with an ephemeral container")]
    ContainerNotRunning {
        pod: String,
        container: String,
        state: String,
    },

    /// RBAC refused the exec, attach or debug request.
    #[error("you may not {verb} {resource} for pod {namespace}/{pod}: ask a cluster admin for a Role granting \"{verb}\" on \"{resource}\"")]
    ExecForbidden {
        verb: &'static str,
        resource: &'static str,
        namespace: String,
        pod: String,
    },

    /// Neither bash nor sh is in the image (distroless).
    #[error("container \"{container}\" of pod \"{pod}\" has no shell (neither bash nor sh): start a debug container (`capstan debug {pod} --target {container} -it`) to get one that sees its processes")]
    NoShell { pod: String, container: String },

    /// The command to run is not in the image.
    #[error("\"{command}\" was not found in container \"{container}\": {detail}; check the command, or use a debug container with the tools you need")]
    CommandNotFound {
        container: String,
        command: String,
        detail: String,
    },

    /// `cp` needs tar in the container, as kubectl cp does.
    #[error("container \"{container}\" of pod \"{pod}\" has no tar, which copying files needs: install tar in the image, or copy through a debug container that has it")]
    NoTar { pod: String, container: String },

    /// The WebSocket to the pod could not be opened in time, or failed.
    #[error("cannot open a connection to {target}: {detail}; check that the cluster is reachable and try again")]
    ExecConnect { target: String, detail: String },

    /// The WebSocket dropped while the process ran.
    #[error("the connection to {target} was lost: {detail}; reconnect to start a new session (the process in the container may have ended with it)")]
    ExecConnectionLost { target: String, detail: String },

    /// The server ended the exec with a failure that is not an exit code.
    #[error("the command in {target} failed: {detail}")]
    ExecFailed { target: String, detail: String },

    /// The server does not offer ephemeral containers (older than 1.23, or
    /// the feature disabled).
    #[error("the server refused an ephemeral container for pod {namespace}/{pod} ({detail}): it may not support ephemeral containers; exec into a container that has the tools you need instead")]
    EphemeralUnsupported {
        namespace: String,
        pod: String,
        detail: String,
    },

    /// The debug container did not reach Running before the deadline.
    #[error("debug container \"{container}\" in pod {namespace}/{pod} did not start within {seconds} s ({reason}): check the image name and that the node can pull it")]
    DebugNotStarted {
        namespace: String,
        pod: String,
        container: String,
        seconds: u64,
        reason: String,
    },

    /// A downloaded archive entry would land outside the destination.
    #[error("refused archive entry \"{entry}\": it would write outside {dest} ({why}); nothing outside the destination was written")]
    CopyPathEscapes {
        entry: String,
        dest: PathBuf,
        why: &'static str,
    },

    /// A local file could not be read or written during a copy.
    #[error("cannot {action} {path}: {source}")]
    CopyLocal {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// tar in the container failed (no such file, no permission); `detail`
    /// is its stderr.
    #[error("tar in container \"{container}\" failed with exit code {code}: {detail}")]
    CopyRemote {
        container: String,
        code: i32,
        detail: String,
    },

    /// The copy was cancelled; what was written so far stays.
    #[error("the copy was cancelled")]
    CopyCancelled,

    /// One Helm storage record (a `sh.helm.release.v1.*` Secret or
    /// ConfigMap) could not be decoded; other records are unaffected.
    #[error("helm release record {namespace}/{record} cannot be read: {detail}")]
    HelmRecord {
        namespace: String,
        record: String,
        detail: String,
    },

    /// No storage record holds that release (or that revision).
    #[error("helm release \"{name}\"{} was not found in namespace \"{namespace}\" of context \"{context}\": it may have been uninstalled; refresh the list", revision.map(|r| format!(" revision {r}")).unwrap_or_default())]
    HelmReleaseNotFound {
        context: String,
        namespace: String,
        name: String,
        revision: Option<i64>,
    },

    /// No `helm` binary: reads still work, actions need it.
    #[error("helm was not found ({searched}): install helm (https://helm.sh/docs/intro/install/) or set its path in Capstan's settings to enable rollback, upgrade and uninstall")]
    HelmNotFound { searched: String },

    /// `helm` could not be started at all.
    #[error("cannot run {program}: {source}")]
    HelmSpawn {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `helm` ran and failed; `stderr` is its own explanation.
    #[error("helm {action} failed ({status}): {stderr}")]
    HelmFailed {
        action: String,
        status: String,
        stderr: String,
    },
}

/// The way out of an unknown resource type: the near names, else what to check.
fn near_hint(near: &[String]) -> String {
    if near.is_empty() {
        ": check the name (plural, singular, short name or kind, optionally .group), or that the CRD defining it is installed".to_string()
    } else {
        format!(": did you mean {}?", near.join(", "))
    }
}
