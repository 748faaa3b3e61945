// Fixtures of the resource browser for `?mock`: discovery, fake live views
// that emit columns, a snapshot, then deltas, and object details/actions.
// Imported only behind `import.meta.env.DEV` (via ./mock.ts).
import type { Cell } from "../bindings/Cell";
import type { Column } from "../bindings/Column";
import type { CreateResult } from "../bindings/CreateResult";
import type { EventInfo } from "../bindings/EventInfo";
import type { IpcError } from "../bindings/IpcError";
import type { KindInfo } from "../bindings/KindInfo";
import type { NavSection } from "../bindings/NavSection";
import type { ObjectDetails } from "../bindings/ObjectDetails";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { ObjectYaml } from "../bindings/ObjectYaml";
import type { Row } from "../bindings/Row";
import type { ViewEvent } from "../bindings/ViewEvent";

const RESOURCE_COMMANDS = new Set([
  "discover_kinds",
  "open_view",
  "close_view",
  "object_details",
  "object_yaml",
  "object_events",
  "apply_yaml",
  "create_yaml",
  "delete_object",
  "scale_object",
  "restart_rollout",
  "cordon_node",
  "drain_node",
]);

export function isResourceCommand(command: string): boolean {
  return RESOURCE_COMMANDS.has(command);
}

const k = (group: string, kind: string, plural: string, namespaced = true): KindInfo => ({
  group,
  version: group === "" ? "v1" : group === "example.com" ? "v1alpha1" : "v1",
  kind,
  plural,
  singular: "",
  shortNames: [],
  namespaced,
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
});

const sections: NavSection[] = [
  {
    title: "Workloads",
    custom: false,
    kinds: [
      k("", "Pod", "pods"),
      k("apps", "Deployment", "deployments"),
      k("apps", "StatefulSet", "statefulsets"),
      k("apps", "DaemonSet", "daemonsets"),
      k("apps", "ReplicaSet", "replicasets"),
      k("batch", "Job", "jobs"),
      k("batch", "CronJob", "cronjobs"),
    ],
  },
  {
    title: "Network",
    custom: false,
    kinds: [k("", "Service", "services"), k("", "Endpoints", "endpoints"), k("networking.k8s.io", "Ingress", "ingresses")],
  },
  { title: "Config", custom: false, kinds: [k("", "ConfigMap", "configmaps"), k("", "Secret", "secrets")] },
  {
    title: "Storage",
    custom: false,
    kinds: [k("", "PersistentVolumeClaim", "persistentvolumeclaims"), k("", "PersistentVolume", "persistentvolumes", false)],
  },
  {
    title: "Cluster",
    custom: false,
    kinds: [k("", "Node", "nodes", false), k("", "Namespace", "namespaces", false), k("", "Event", "events")],
  },
  { title: "example.com", custom: true, kinds: [k("example.com", "Widget", "widgets")] },
];

const NAMESPACES = ["default", "kube-system", "capstan-e2e"];
const text = (t: string): Cell => ({ type: "text", text: t });

function podColumns(): Column[] {
  return [
    { name: "NAME", priority: 0 },
    { name: "READY", priority: 0 },
    { name: "STATUS", priority: 0 },
    { name: "RESTARTS", priority: 0 },
    { name: "AGE", priority: 0 },
    { name: "IP", priority: 1 },
    { name: "NODE", priority: 1 },
  ];
}

/** How many pods the fake view lists: `?rows=50000` to try a large table. */
function podCount(): number {
  const n = Number(new URLSearchParams(globalThis.location.search).get("rows") ?? "60");
  return Number.isFinite(n) && n > 0 ? Math.min(n, 200_000) : 60;
}

const STATES = ["Running", "Running", "Running", "Pending", "CrashLoopBackOff", "Completed"];

function pod(i: number, namespace: string, now: number, restarts = i % 7): Row {
  const name = `web-${String(i)}-${(i * 7919).toString(36).slice(-5)}`;
  const status = STATES[i % STATES.length] ?? "Running";
  return {
    uid: `pod-${namespace}-${String(i)}`,
    name,
    namespace,
    created: now - i * 37_000,
    cells: [
      text(name),
      text(status === "Running" ? "1/1" : "0/1"),
      text(status),
      { type: "restarts", count: restarts, lastMs: restarts > 0 ? now - i * 11_000 : null },
      { type: "age", sinceMs: now - i * 37_000 },
      text(`10.1.${String(Math.floor(i / 250))}.${String(i % 250)}`),
      text("capstan-node"),
    ],
  };
}

function genericRows(kind: KindInfo, namespaces: string[], now: number): { columns: Column[]; rows: Row[] } {
  const columns: Column[] = [
    { name: "NAME", priority: 0 },
    { name: "STATUS", priority: 0 },
    { name: "AGE", priority: 0 },
  ];
  const spaces = kind.namespaced ? (namespaces.length > 0 ? namespaces : NAMESPACES) : [null];
  const rows: Row[] = [];
  for (const ns of spaces) {
    for (let i = 0; i < 4; i++) {
      const name = `${kind.plural.slice(0, -1)}-${String(i)}`;
      rows.push({
        uid: `${kind.kind}-${ns ?? ""}-${String(i)}`,
        name,
        namespace: ns,
        created: now - i * 3_600_000,
        cells: [text(name), text(i === 3 ? "Degraded" : "Ok"), { type: "age", sinceMs: now - (i + 1) * 3_600_000 * 5 }],
      });
    }
  }
  return { columns, rows };
}

type Sink = { onmessage: (event: ViewEvent) => void };
const views = new Map<number, ReturnType<typeof setInterval>>();
let nextView = 1;

function openView(args: Record<string, unknown>): number {
  const id = nextView++;
  const kind = args.kind as KindInfo;
  const namespaces = (args.namespaces as string[] | undefined) ?? [];
  const selector = args.labelSelector as string | null;
  const channel = args.channel as Sink;
  const send = (event: ViewEvent) => {
    if (views.has(id)) channel.onmessage(event);
  };
  const now = Date.now();
  let columns: Column[];
  let rows: Row[];
  if (kind.kind === "Pod") {
    columns = podColumns();
    const spaces = namespaces.length > 0 ? namespaces : NAMESPACES;
    const count = podCount();
    rows = Array.from({ length: count }, (_, i) => pod(i, spaces[i % spaces.length] ?? "default", now));
  } else {
    ({ columns, rows } = genericRows(kind, namespaces, now));
  }
  // A selector narrows the fixture a little so the effect is visible.
  if (selector !== null) rows = rows.filter((_, i) => i % 3 === 0);
  views.set(
    id,
    setInterval(() => {
      // Live changes: a pod restarts, one is replaced now and then.
      if (rows.length === 0) return;
      const i = Math.floor(Math.random() * rows.length);
      const row = rows[i];
      if (row === undefined) return;
      if (kind.kind === "Pod" && Math.random() < 0.2) {
        const fresh = pod(rows.length + nextView * 1000 + i, row.namespace ?? "default", Date.now(), 0);
        rows[i] = fresh;
        send({ type: "deltas", upserts: [fresh], deletes: [row.uid] });
      } else {
        const cells = row.cells.map((c) => (c.type === "restarts" ? { ...c, count: c.count + 1, lastMs: Date.now() } : c));
        const updated = { ...row, cells };
        rows[i] = updated;
        send({ type: "deltas", upserts: [updated], deletes: [] });
      }
    }, 1500),
  );
  setTimeout(() => {
    send({ type: "status", status: { state: "listing" } });
    send({ type: "columns", columns });
    send({ type: "snapshot", rows: [...rows] });
    send({ type: "status", status: { state: "live" } });
  }, 120);
  return id;
}

function closeView(id: number): null {
  const timer = views.get(id);
  if (timer !== undefined) clearInterval(timer);
  views.delete(id);
  return null;
}

function details(reference: ObjectRef): ObjectDetails {
  const now = Date.now();
  const isPod = reference.kind === "Pod";
  return {
    reference,
    uid: "0a1b2c3d-0000-4000-8000-000000000001",
    resourceVersion: "4711",
    createdMs: now - 3 * 3_600_000,
    status: isPod ? "Running" : "Available",
    labels: { app: "web", "app.kubernetes.io/part-of": "capstan-demo" },
    annotations: { "kubernetes.io/description": "Fixture object for the UI" },
    conditions: [
      { type: "Ready", status: "True", reason: null, message: null, lastTransitionMs: now - 3_000_000 },
      { type: "PodScheduled", status: "True", reason: null, message: null, lastTransitionMs: now - 3_100_000 },
    ],
    owners: isPod
      ? [
          {
            reference: { group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespace: reference.namespace, name: "web-5d9f7" },
            state: "3/3",
          },
        ]
      : [],
    owned:
      reference.kind === "ReplicaSet"
        ? [
            {
              reference: { group: "", version: "v1", kind: "Pod", plural: "pods", namespace: reference.namespace, name: "web-5d9f7-abcde" },
              state: "Running",
            },
          ]
        : [],
    containers: isPod
      ? [
          {
            name: "web",
            image: "capstan.local/busybox:1",
            role: "app",
            ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
            state: "Running",
            ready: true,
            restarts: 2,
            requests: { cpu: "50m", memory: "32Mi" },
            limits: { memory: "64Mi" },
          },
        ]
      : [],
    node: isPod ? "capstan-node" : null,
  };
}

let resourceVersion = 4711;

function yamlOf(reference: ObjectRef): ObjectYaml {
  return {
    yaml: `apiVersion: ${reference.group === "" ? "" : `${reference.group}/`}${reference.version}
kind: ${reference.kind}
metadata:
  name: ${reference.name}
${reference.namespace !== null ? `  namespace: ${reference.namespace}\n` : ""}  resourceVersion: "${String(resourceVersion)}"
  labels:
    app: web
spec: {}
`,
    managedFields: `- manager: kubectl-client-side-apply
  operation: Update
  apiVersion: v1
  fieldsType: FieldsV1
`,
    resourceVersion: String(resourceVersion),
  };
}

function events(): EventInfo[] {
  const now = Date.now();
  return [
    { type: "Normal", reason: "Scheduled", message: "Successfully assigned to capstan-node", count: 1, firstMs: now - 600_000, lastMs: now - 600_000, source: "default-scheduler" },
    { type: "Warning", reason: "BackOff", message: "Back-off restarting failed container", count: 4, firstMs: now - 300_000, lastMs: now - 20_000, source: "kubelet, capstan-node" },
  ];
}

function createYaml(yaml: string): CreateResult[] {
  return yaml
    .split(/^---\s*$/m)
    .filter((d) => d.trim() !== "")
    .map((doc, index) => {
      const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1];
      const name = /^\s+name:\s*(\S+)/m.exec(doc)?.[1];
      if (kind === undefined || name === undefined) {
        return { index, label: `${kind ?? "?"}/${name ?? "?"}`, created: null, error: "the document needs kind and metadata.name" };
      }
      return {
        index,
        label: `${kind}/${name}`,
        created: { group: "", version: "v1", kind, plural: `${kind.toLowerCase()}s`, namespace: "default", name },
        error: null,
      };
    });
}

export function mockResourceInvoke(command: string, args: Record<string, unknown> = {}): unknown {
  const reference = args.reference as ObjectRef;
  switch (command) {
    case "discover_kinds":
      return sections;
    case "open_view":
      return openView(args);
    case "close_view":
      return closeView(args.id as number);
    case "object_details":
      return details(reference);
    case "object_yaml":
      return yamlOf(reference);
    case "object_events":
      return events();
    case "apply_yaml": {
      const yaml = args.yaml as string;
      // Editing the resourceVersion to "0" shows the conflict view.
      if (/resourceVersion:\s*"0"/.test(yaml)) {
        return { outcome: "conflict", yours: yaml, theirs: yamlOf(reference).yaml, server_resource_version: String(resourceVersion) };
      }
      if (!/^kind:/m.test(yaml)) {
        const error: IpcError = { kind: "invalidInput", message: "The YAML is not a Kubernetes object", detail: "missing field `kind` at line 1 column 1" };
        throw error;
      }
      resourceVersion++;
      return { outcome: "applied", resource_version: String(resourceVersion) };
    }
    case "create_yaml":
      return createYaml(args.yaml as string);
    case "drain_node":
      return { node: args.name, evicted: ["default/web-1", "default/web-2"], skipped: [{ pod: "kube-system/kube-proxy-x", reason: "DaemonSet-managed" }] };
    case "scale_object":
    case "restart_rollout":
    case "cordon_node":
    case "delete_object":
      return null;
  }
  throw new Error(`mock: unknown command ${command}`);
}
