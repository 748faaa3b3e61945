// Local-cluster fixtures for `npm run dev` with `?mock=…`: one running and one
// stopped cluster, and a create that walks through every step in ~3 s.
// `?mock=noengine` shows the no-engine panel.
import type { ClusterInfo } from "../bindings/ClusterInfo";
import type { CreatedLocalCluster } from "../bindings/CreatedLocalCluster";
import type { IpcError } from "../bindings/IpcError";
import type { LocalClusterRequest } from "../bindings/LocalClusterRequest";
import type { PreflightFinding } from "../bindings/PreflightFinding";
import type { Step } from "../bindings/Step";

const LOCAL_COMMANDS = new Set([
  "engine_status",
  "local_node_images",
  "list_local_clusters",
  "create_local_cluster",
  "local_preflight",
  "cancel_local_create",
  "start_local_cluster",
  "stop_local_cluster",
  "delete_local_cluster",
  "add_local_agent",
  "import_local_image",
  "reset_local_cluster",
  "upgrade_local_cluster",
  "pick_archive",
]);

export function isLocalCommand(command: string): boolean {
  return LOCAL_COMMANDS.has(command);
}

const NO_ENGINE: IpcError = {
  kind: "docker",
  message: "Docker is not running (Socket not found: /var/run/docker.sock): start it or set DOCKER_HOST",
  detail: null,
};

function node(cluster: string, role: string, index: number, state: string) {
  return { container: `capstan-${cluster}-${role}-${index.toString()}`, role, state };
}

const clusters: ClusterInfo[] = [
  {
    name: "dev",
    apiPort: 39021,
    ports: [{ hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80, protocol: "tcp" }],
    nodes: [node("dev", "agent", 0, "running"), node("dev", "server", 0, "running")],
    version: "v1.33.5+k3s1",
    registry: { mode: "own", port: 5001, container: "capstan-dev-registry" },
    volumes: [{ host: "/home/dev/data", node: "/data", readOnly: false, nodes: "all" }],
    services: [{ container: "capstan-dev-registry", role: "registry", state: "running" }],
  },
  {
    name: "ha",
    apiPort: 40111,
    ports: [],
    nodes: [0, 1, 2].map((i) => node("ha", "server", i, "exited")),
    version: "v1.34.6+k3s1",
    registry: null,
    volumes: [],
    services: [{ container: "capstan-ha-lb", role: "loadbalancer", state: "exited" }],
  },
];
const cancelled = new Set<string>();

const cancelledError: IpcError = {
  kind: "docker",
  message: "cluster creation was cancelled; everything created was removed",
  detail: null,
};

function notFound(name: string): IpcError {
  return { kind: "notFound", message: `no local cluster named \`${name}\``, detail: null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Sink = { onmessage: (value: unknown) => void };

function mockPull(image: string): Step[] {
  const MiB = 1024 * 1024;
  const sizes = [20 * MiB, 45 * MiB];
  const total = 65 * MiB;
  const steps: Step[] = [0, 0.3, 0.7, 1].map((f) => ({
    step: "pullProgress",
    image,
    layers: [
      { id: "4f4fb700ef54", phase: "exists", current: 0, total: null },
      ...sizes.map((size, i) => ({
        id: ["9d0e31d5c2a1", "b61c2a7e0f13"][i] ?? "",
        phase: f === 0 ? ("waiting" as const) : f < 1 ? ("downloading" as const) : ("complete" as const),
        current: Math.round(size * f),
        total: size,
      })),
    ],
    downloaded: Math.round(total * f),
    total,
  }));
  steps.push({ step: "pull", image, skipped: false });
  return steps;
}

async function create(request: LocalClusterRequest, channel: Sink): Promise<CreatedLocalCluster> {
  const port = request.apiPort ?? 41000 + clusters.length;
  // A chosen image is "pulled" (two layers, one already present); the default is there.
  const steps: Step[] = request.image === null ? [{ step: "pull", image: "rancher/k3s:v1.31.4-k3s1", skipped: true }] : mockPull(request.image);
  steps.push({ step: "network", name: `capstan-${request.name}` });
  for (let i = 1; i <= request.servers; i++) steps.push({ step: "server", index: i, of: request.servers });
  if (request.agents > 0) steps.push({ step: "agents", count: request.agents });
  steps.push({ step: "apiReady", port });
  const total = request.servers + request.agents;
  for (let r = 0; r <= total; r++) steps.push({ step: "nodesReady", ready: r, of: total });
  steps.push({ step: "kubeconfig", context: `capstan-${request.name}` }, { step: "done" });
  cancelled.delete(request.name);
  for (const step of steps) {
    await sleep(250);
    if (cancelled.has(request.name)) {
      channel.onmessage({ step: "rollingBack" } satisfies Step);
      await sleep(400);
      throw cancelledError;
    }
    channel.onmessage(step);
  }
  const nodes = [
    ...Array.from({ length: request.agents }, (_, i) => node(request.name, "agent", i, "running")),
    ...Array.from({ length: request.servers }, (_, i) => node(request.name, "server", i, "running")),
  ];
  clusters.push({
    name: request.name,
    apiPort: port,
    ports: request.ports,
    nodes,
    version: request.k3sVersion ?? "v1.34.6+k3s1",
    registry: request.registry === null ? null : { mode: request.registry.mode, port: request.registry.port ?? 5001, container: `capstan-${request.name}-registry` },
    volumes: request.volumes.map((v) => {
      const [paths = v, nodes = "all"] = v.split("@");
      const [host = "", node = ""] = paths.split(":");
      return { host, node, readOnly: paths.endsWith(":ro"), nodes };
    }),
    services: [],
  });
  return { name: request.name, context: `capstan-${request.name}`, apiPort: port, kubeconfig: "/home/dev/.kube/config", elapsedMs: steps.length * 250 };
}

/** Ports the mock treats as taken: the existing clusters' and 8080. */
function preflight(request: LocalClusterRequest): PreflightFinding[] {
  const taken = new Set([8080, ...clusters.flatMap((c) => [c.apiPort ?? 0, ...c.ports.map((p) => p.hostPort)])]);
  const out: PreflightFinding[] = [
    {
      check: "inotify",
      severity: "warning",
      message:
        "inotify limits are low (max_user_watches 8192, max_user_instances 128); nodes can fail with \"too many open files\": run `sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512`",
    },
  ];
  if (clusters.some((c) => c.name === request.name))
    out.push({ check: "name", severity: "blocking", message: `a local cluster named \`${request.name}\` already exists: pick another name or delete it first` });
  if (request.apiPort !== null && taken.has(request.apiPort))
    out.push({
      check: "apiPort",
      severity: "blocking",
      message: `port ${request.apiPort.toString()} on 127.0.0.1 is already in use: choose another API port or leave it empty for a free one`,
    });
  for (const p of request.ports.filter((m) => taken.has(m.hostPort)))
    out.push({
      check: "ports",
      severity: "blocking",
      message: `port ${p.hostPort.toString()} on 127.0.0.1 (port mapping \`127.0.0.1:${p.hostPort.toString()}:${p.containerPort.toString()}/${p.protocol}\`) cannot be used (Address already in use): choose another host port`,
    });
  return out;
}

function setState(name: string, state: string) {
  const c = clusters.find((x) => x.name === name);
  if (c === undefined) throw notFound(name);
  c.nodes = c.nodes.map((n) => ({ ...n, state }));
}

export async function mockLocalInvoke(command: string, scenario: string, args: Record<string, unknown>): Promise<unknown> {
  if (scenario === "noengine") throw NO_ENGINE;
  const name = typeof args.name === "string" ? args.name : "";
  switch (command) {
    case "engine_status":
      // The i64 fields arrive as JSON numbers, whatever their generated type (bigint) says.
      return { endpoint: { host: "unix:///var/run/docker.sock", source: "Docker" }, version: "27.3.1", os: "Debian GNU/Linux 13", cpus: 8, memoryBytes: 16 * 1024 ** 3 };
    case "local_node_images":
      return {
        default: "rancher/k3s:v1.34.6-k3s1",
        images: [
          { image: "rancher/k3s:v1.35.5-k3s1", kubernetes: "1.35", version: "v1.35.5+k3s1", stable: false, latest: true },
          { image: "rancher/k3s:v1.34.6-k3s1", kubernetes: "1.34", version: "v1.34.6+k3s1", stable: true, latest: false },
          { image: "rancher/k3s:v1.33.5-k3s1", kubernetes: "1.33", version: "v1.33.5+k3s1", stable: false, latest: false },
        ],
      };
    case "list_local_clusters":
      return clusters.map((c) => ({ ...c, nodes: [...c.nodes] }));
    case "create_local_cluster":
      return create(args.request as LocalClusterRequest, args.channel as Sink);
    case "pick_archive":
      // A native dialog cannot open in a browser tab: answer as if one was picked.
      return args.kind === "airgapImages" ? "/home/dev/Downloads/k3s-airgap-images-amd64.tar.zst" : "/home/dev/Downloads/k3s-image.tar";
    case "local_preflight":
      return preflight(args.request as LocalClusterRequest);
    case "cancel_local_create":
      cancelled.add(name);
      return true;
    case "start_local_cluster":
      await sleep(600);
      setState(name, "running");
      return null;
    case "stop_local_cluster":
      await sleep(600);
      setState(name, "exited");
      return null;
    case "add_local_agent": {
      await sleep(900);
      const c = clusters.find((x) => x.name === name);
      if (c === undefined) throw notFound(name);
      const agents = c.nodes.filter((n) => n.role === "agent").length;
      const container = `capstan-${name}-agent-${String(agents)}`;
      c.nodes = [...c.nodes, { container, role: "agent", state: "running" }];
      return container;
    }
    case "reset_local_cluster": {
      await sleep(900);
      const c = clusters.find((x) => x.name === name);
      if (c === undefined) throw notFound(name);
      return { name, context: `capstan-${name}`, apiPort: c.apiPort ?? 0, kubeconfig: "/home/dev/.kube/config", elapsedMs: 900 };
    }
    case "upgrade_local_cluster": {
      await sleep(900);
      const c = clusters.find((x) => x.name === name);
      if (c === undefined) throw notFound(name);
      c.version = typeof args.version === "string" ? args.version : c.version;
      return c.version;
    }
    case "import_local_image": {
      await sleep(700);
      const c = clusters.find((x) => x.name === name);
      if (c === undefined) throw notFound(name);
      return c.nodes.map((n) => n.container);
    }
    case "delete_local_cluster": {
      await sleep(600);
      const i = clusters.findIndex((c) => c.name === name);
      if (i >= 0) clusters.splice(i, 1);
      return null;
    }
  }
  throw new Error(`mock: unknown command ${command}`);
}
