// Pure logic of the local-clusters section: the create form (defaults,
// validation, request), the create progress reducer, and how clusters and the
// engine are described. No IPC here, so all of it is unit-tested.
import type { ClusterInfo } from "../bindings/ClusterInfo";
import { CLUSTER_NAME_MAX } from "../bindings/localRules";
import { LABEL_PATTERN, LABEL_RULE } from "../bindings/nameRules";
import type { CreatedLocalCluster } from "../bindings/CreatedLocalCluster";
import type { EngineStatus } from "../bindings/EngineStatus";
import type { IpcError } from "../bindings/IpcError";
import type { LocalClusterRequest } from "../bindings/LocalClusterRequest";
import type { NodeImage } from "../bindings/NodeImage";
import type { Step } from "../bindings/Step";
import type { PullView } from "./pull";
import { pulledLabel, pullingLabel, pullView } from "./pull";
import type { PortRow } from "./advanced";
import { argsProblem, parseArgs, portRowsToMappings } from "./advanced";

/** capstan-local's limit, generated from Rust. */
export const NAME_MAX = CLUSTER_NAME_MAX;

/** The rule, as the form states it (the same the backend enforces). */
export const NAME_RULE = `${LABEL_RULE.charAt(0).toUpperCase()}${LABEL_RULE.slice(1)}; at most ${NAME_MAX.toString()} characters.`;

/** A DNS-1123 label short enough for `capstan-<name>-server-0`: null when valid, else why not. */
export function nameProblem(name: string, existing: readonly string[] = []): string | null {
  if (name === "") return "Enter a name.";
  if (name.length > NAME_MAX) return `At most ${NAME_MAX.toString()} characters.`;
  if (/[A-Z]/.test(name)) return "Use lowercase letters only.";
  if (!/^[a-z0-9-]+$/.test(name)) return 'Only lowercase letters, digits and "-".';
  if (name.startsWith("-") || name.endsWith("-")) return 'Start and end with a letter or digit, not "-".';
  // The specific hints above name the usual slips; the generated rule decides.
  if (!LABEL_PATTERN.test(name)) return `Use ${LABEL_RULE}.`;
  if (existing.includes(name)) return `A local cluster named "${name}" exists: pick another name.`;
  return null;
}

export type CreateForm = {
  name: string;
  /** 1, or 3 for HA. */
  servers: 1 | 3;
  agents: number;
  /** Blank = a free port. */
  apiPort: string;
  makeCurrent: boolean;
  /** Blank = the default node image. */
  image: string;
  /** Advanced: host port mappings on 127.0.0.1 (rows left blank are ignored). */
  ports: PortRow[];
  /** Advanced: extra k3s arguments, one per line. */
  serverArgs: string;
  agentArgs: string;
  /** Advanced: a `docker save` tarball to load first; blank = none. */
  imageTarball: string;
  /** Advanced: k3s's airgap images archive copied into every node; blank = none. */
  airgapImages: string;
  /** A k3s tag not in the list, used when `image` is CUSTOM_VERSION. */
  k3sVersion: string;
  /** An image registry on 127.0.0.1 for the cluster. */
  registry: "none" | "own" | "shared";
  /** Blank = a free port (shared: the existing registry's). */
  registryPort: string;
  /** Host paths mounted into nodes, `HOST:NODE[:ro][@nodes]`, one per line. */
  volumes: string;
};

/** The image select's value for "type a k3s tag". */
export const CUSTOM_VERSION = "__custom__";

/** `capstan`, else `capstan-2`, `capstan-3` … : the first name not taken. */
export function defaultName(existing: readonly string[]): string {
  if (!existing.includes("capstan")) return "capstan";
  for (let i = 2; ; i++) {
    const name = `capstan-${i.toString()}`;
    if (!existing.includes(name)) return name;
  }
}

/**
 * Defaults that make "Create" alone work: a free name, 1 server, 1 agent,
 * a free API port; made current only when the kubeconfig has no current
 * context (so an existing choice is never switched silently).
 */
export function defaultForm(existing: readonly string[], hasCurrentContext: boolean): CreateForm {
  return {
    name: defaultName(existing),
    servers: 1,
    agents: 1,
    apiPort: "",
    makeCurrent: !hasCurrentContext,
    image: "",
    ports: [],
    serverArgs: "",
    agentArgs: "",
    imageTarball: "",
    airgapImages: "",
    k3sVersion: "",
    registry: "none",
    registryPort: "",
    volumes: "",
  };
}

/**
 * Why a `HOST:NODE[:ro][@nodes]` line cannot be used, or null (capstan-local's
 * `VolumeMount` decides; this catches the usual slips before the round trip,
 * and whether the host path exists is checked there).
 */
export function volumeProblem(line: string): string | null {
  const at = line.lastIndexOf("@");
  const paths = at >= 0 ? line.slice(0, at) : line;
  const nodes = at >= 0 ? line.slice(at + 1).trim() : "all";
  const colon = paths.indexOf(":");
  if (colon < 0) return `"${line}": write HOST:NODE, e.g. /srv/data:/data.`;
  const host = paths.slice(0, colon);
  const node = paths.slice(colon + 1).replace(/:(ro|rw)$/, "");
  if (!host.startsWith("/") || !node.startsWith("/")) return `"${line}": both paths must be absolute.`;
  const part = /^(all|(server|agent)s?(:(\*|\d+(,\d+)*))?)$/;
  if (!nodes.split(";").every((p) => part.test(p.trim()))) return `"${line}": nodes are all, server:*, agent:*, server:0 or agent:0,1.`;
  return null;
}

export type FormErrors = {
  name?: string;
  agents?: string;
  apiPort?: string;
  /** By row index. */
  ports?: Record<number, string>;
  serverArgs?: string;
  agentArgs?: string;
  k3sVersion?: string;
  registryPort?: string;
  volumes?: string;
};

/** The request for a valid form, else the problems per field. */
export function formToRequest(
  form: CreateForm,
  existing: readonly string[] = [],
): { request: LocalClusterRequest } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const name = form.name.trim();
  const problem = nameProblem(name, existing);
  if (problem !== null) errors.name = problem;
  if (!Number.isInteger(form.agents) || form.agents < 0 || form.agents > 9) errors.agents = "Choose 0 to 9 agents.";
  let apiPort: number | null = null;
  const port = form.apiPort.trim();
  if (port !== "") {
    const n = /^\d+$/.test(port) ? Number(port) : NaN;
    if (!Number.isInteger(n) || n < 1024 || n > 65535) errors.apiPort = "A port from 1024 to 65535, or blank for a free one.";
    else apiPort = n;
  }
  const ports = portRowsToMappings(form.ports, apiPort);
  if ("problems" in ports) errors.ports = ports.problems;
  const serverArgs = parseArgs(form.serverArgs);
  const serverProblem = argsProblem(serverArgs);
  if (serverProblem !== null) errors.serverArgs = serverProblem;
  const agentArgs = parseArgs(form.agentArgs);
  const agentProblem = argsProblem(agentArgs);
  if (agentProblem !== null) errors.agentArgs = agentProblem;
  const custom = form.image === CUSTOM_VERSION;
  const k3sVersion = custom ? form.k3sVersion.trim() : "";
  if (custom && !/^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$/.test(k3sVersion)) errors.k3sVersion = "Type a k3s tag such as v1.33.5+k3s1.";
  let registryPort: number | null = null;
  if (form.registry !== "none" && form.registryPort.trim() !== "") {
    const n = /^\d+$/.test(form.registryPort.trim()) ? Number(form.registryPort.trim()) : NaN;
    if (!Number.isInteger(n) || n < 1024 || n > 65535) errors.registryPort = "A port from 1024 to 65535, or blank for a free one.";
    else if (n === apiPort) errors.registryPort = "That is the API port: choose another.";
    else registryPort = n;
  }
  const volumes = parseArgs(form.volumes);
  const volumeError = volumes.map(volumeProblem).find((p): p is string => p !== null);
  if (volumeError !== undefined) errors.volumes = volumeError;
  if (Object.keys(errors).length > 0 || !("mappings" in ports)) return { errors };
  const image = custom || form.image.trim() === "" ? null : form.image.trim();
  const imageTarball = form.imageTarball.trim() === "" ? null : form.imageTarball.trim();
  const airgapImages = form.airgapImages.trim() === "" ? null : form.airgapImages.trim();
  return {
    request: {
      name,
      servers: form.servers,
      agents: form.agents,
      apiPort,
      makeCurrent: form.makeCurrent,
      image,
      ports: ports.mappings,
      serverArgs,
      agentArgs,
      imageTarball,
      airgapImages,
      k3sVersion: custom ? k3sVersion : null,
      registry: form.registry === "none" ? null : { mode: form.registry, port: registryPort, image: null },
      volumes,
    },
  };
}

// ---- create progress ----

export type RowState = "pending" | "running" | "done" | "failed";
export type ProgressRow = { id: RowId; label: string; state: RowState };
type RowId = "image" | "network" | "servers" | "agents" | "api" | "nodes" | "kubeconfig";

export type Phase = "creating" | "cancelling" | "rollingBack" | "done" | "failed" | "cancelled";

export type Progress = {
  phase: Phase;
  request: LocalClusterRequest;
  rows: ProgressRow[];
  /** The latest pull report, kept after the pull for its summary. */
  pull: PullView | null;
  /** Pre-flight warnings create went on despite (cgroup v1, low limits). */
  warnings: string[];
  created: CreatedLocalCluster | null;
  error: IpcError | null;
};

export type ProgressAction =
  | { type: "step"; step: Step }
  | { type: "cancel" }
  | { type: "succeeded"; created: CreatedLocalCluster }
  | { type: "failed"; error: IpcError };

function plural(n: number, word: string): string {
  return `${n.toString()} ${word}${n === 1 ? "" : "s"}`;
}

/** Every step the request will go through, none started but the first. */
export function startProgress(request: LocalClusterRequest): Progress {
  const rows: ProgressRow[] = [
    { id: "image", label: "Node image", state: "running" },
    { id: "network", label: "Network", state: "pending" },
    { id: "servers", label: `Start ${plural(request.servers, "server")}`, state: "pending" },
  ];
  if (request.agents > 0) rows.push({ id: "agents", label: `Start ${plural(request.agents, "agent")}`, state: "pending" });
  rows.push(
    { id: "api", label: "Kubernetes API ready", state: "pending" },
    { id: "nodes", label: `${plural(request.servers + request.agents, "node")} Ready`, state: "pending" },
    { id: "kubeconfig", label: `Add context capstan-${request.name} to the kubeconfig`, state: "pending" },
  );
  return { phase: "creating", request, rows, pull: null, warnings: [], created: null, error: null };
}

/** The row a step reports, its new label, and whether it is finished. */
function rowFor(step: Step, pull: PullView | null): { id: RowId; label: string; finished: boolean } | null {
  switch (step.step) {
    case "pull":
      return { id: "image", label: step.skipped ? `Image ${step.image} present` : pulledLabel(step.image, pull), finished: true };
    case "pullProgress":
      return { id: "image", label: pullingLabel(pullView(step)), finished: false };
    case "network":
      return { id: "network", label: `Network ${step.name}`, finished: true };
    case "server":
      return { id: "servers", label: `Server ${step.index.toString()}/${step.of.toString()} up`, finished: step.index >= step.of };
    case "agents":
      return { id: "agents", label: `${plural(step.count, "agent")} started`, finished: true };
    case "apiReady":
      return { id: "api", label: `API ready at https://127.0.0.1:${step.port.toString()}`, finished: true };
    case "nodesReady":
      return { id: "nodes", label: `Nodes Ready: ${step.ready.toString()}/${step.of.toString()}`, finished: step.ready >= step.of };
    case "kubeconfig":
      return { id: "kubeconfig", label: `Context ${step.context} added`, finished: true };
    case "warning":
    case "rollingBack":
    case "done":
      return null;
  }
}

function markRunningFailed(rows: ProgressRow[]): ProgressRow[] {
  return rows.map((r) => (r.state === "running" ? { ...r, state: "failed" } : r));
}

export function progressReducer(state: Progress, action: ProgressAction): Progress {
  switch (action.type) {
    case "step": {
      const { step } = action;
      if (step.step === "rollingBack") return { ...state, phase: "rollingBack", rows: markRunningFailed(state.rows) };
      if (step.step === "done") return state;
      if (step.step === "warning") {
        return state.warnings.includes(step.message) ? state : { ...state, warnings: [...state.warnings, step.message] };
      }
      const pull = step.step === "pullProgress" ? pullView(step) : state.pull;
      const hit = rowFor(step, pull);
      if (hit === null) return state;
      const at = state.rows.findIndex((r) => r.id === hit.id);
      if (at < 0) return state;
      const rows = state.rows.map((r, i): ProgressRow => {
        if (i < at) return r.state === "done" ? r : { ...r, state: "done" };
        if (i === at) return { ...r, label: hit.label, state: hit.finished ? "done" : "running" };
        if (i === at + 1 && hit.finished) return { ...r, state: "running" };
        return r;
      });
      return { ...state, rows, pull };
    }
    case "cancel":
      return state.phase === "creating" ? { ...state, phase: "cancelling" } : state;
    case "succeeded":
      return {
        ...state,
        phase: "done",
        created: action.created,
        rows: state.rows.map((r) => ({ ...r, state: "done" })),
      };
    case "failed": {
      const cancelled = state.phase === "cancelling" || /cancelled/i.test(action.error.message);
      return {
        ...state,
        phase: cancelled ? "cancelled" : "failed",
        error: cancelled ? null : action.error,
        rows: markRunningFailed(state.rows),
      };
    }
  }
}

export function isBusy(p: Progress | null): boolean {
  return p !== null && (p.phase === "creating" || p.phase === "cancelling" || p.phase === "rollingBack");
}

/** What to do about a failed create, by the kind of error. */
export function failureHint(error: IpcError): string {
  switch (error.kind) {
    case "docker":
      return "Check that the container engine is running and the node image is available, then try again.";
    case "invalidInput":
      return "Change the highlighted setting and try again.";
    case "conflict":
      return "Pick another name (or delete the existing cluster first).";
    case "connection":
      return "The cluster was removed. Try again; if it keeps failing, give the engine more memory or CPU.";
    case "kubeconfig":
      return "Check that your kubeconfig file is writable and not locked by another program.";
    default:
      return "Nothing was left behind; you can try again.";
  }
}

// ---- clusters and engine ----

export type ClusterState = "running" | "stopped" | "degraded";

export function clusterState(c: ClusterInfo): ClusterState {
  if (c.nodes.length > 0 && c.nodes.every((n) => n.state === "running")) return "running";
  if (c.nodes.every((n) => n.state !== "running")) return "stopped";
  return "degraded";
}

/** `server-0`, not `capstan-dev-server-0`. */
export function shortNode(cluster: string, container: string): string {
  const prefix = `capstan-${cluster}-`;
  return container.startsWith(prefix) ? container.slice(prefix.length) : container;
}

export function contextOf(cluster: string): string {
  return `capstan-${cluster}`;
}

export type EngineView =
  | { state: "checking" }
  | { state: "ready"; status: EngineStatus }
  | { state: "absent"; message: string; detail: string | null }
  | { state: "error"; error: IpcError };

/** A `docker` error from engine_status means no engine: a state, not an error. */
export function engineView(result: { ok: EngineStatus } | { err: IpcError }): EngineView {
  if ("ok" in result) return { state: "ready", status: result.ok };
  if (result.err.kind === "docker") return { state: "absent", message: result.err.message, detail: result.err.detail };
  return { state: "error", error: result.err };
}

/** "v1.34.6+k3s1 · Kubernetes 1.34 (stable)", "custom: <image>" for an override. */
export function imageLabel(i: NodeImage, defaultImage: string): string {
  const marks = [i.stable ? "stable" : "", i.latest ? "latest" : "", i.image === defaultImage ? "default" : ""].filter((m) => m !== "");
  const text = i.kubernetes === "custom" ? `custom: ${i.image}` : `${i.version} · Kubernetes ${i.kubernetes}`;
  return marks.length > 0 ? `${text} (${marks.join(", ")})` : text;
}

/** `localhost:5000 (own)`: where to push, for the clusters list. */
export function registryLabel(c: ClusterInfo): string | null {
  return c.registry === null ? null : `localhost:${c.registry.port.toString()} (${c.registry.mode})`;
}

/** Numeric parts of a k3s version (`v1.34.6+k3s1` -> [1, 34, 6, 1]). */
function versionParts(v: string): number[] {
  return (v.match(/\d+/g) ?? []).map(Number);
}

/** Listed versions newer than `current` (a patch or minor up), newest first: what Upgrade offers. */
export function upgradeChoices(images: readonly NodeImage[], current: string | null): NodeImage[] {
  const now = versionParts(current ?? "");
  const newer = (v: string) => {
    const p = versionParts(v);
    for (let i = 0; i < Math.max(p.length, now.length); i++) {
      const a = p[i] ?? 0;
      const b = now[i] ?? 0;
      if (a !== b) return a > b;
    }
    return false;
  };
  return images.filter((i) => i.kubernetes !== "custom" && newer(i.version));
}

export function engineSummary(s: EngineStatus): string {
  const gib = Number(s.memoryBytes) / 1024 ** 3;
  const engine = s.endpoint.source === "Podman" ? "Podman" : "Docker";
  return `${engine} ${s.version} · ${s.os} · ${Number(s.cpus).toString()} CPUs · ${gib.toFixed(1)} GiB`;
}

/** Where the engine was found, for the summary's tooltip. */
export function engineWhere(s: EngineStatus): string {
  return `${s.endpoint.host} (${s.endpoint.source})`;
}
