// Port-forward fixtures for `npm run dev` with `?mock=…`: a few forwards in
// different states (IPv4+IPv6, https, exposed, reconnecting), traffic that
// grows, a saved forward that failed to come back, and the save toggle per
// context, so the "Port forwards" panel can be looked at without a cluster.
import type { FailedForward } from "../bindings/FailedForward";
import type { IpcError } from "../bindings/IpcError";
import type { ForwardStatus } from "../bindings/ForwardStatus";
import type { OfferedPort } from "../bindings/OfferedPort";
import type { PortMapping } from "../bindings/PortMapping";
import type { RestoreOutcome } from "../bindings/RestoreOutcome";
import type { SavedForwardsView } from "../bindings/SavedForwardsView";
import type { TargetRef } from "../bindings/TargetRef";

function status(id: number, extra: Partial<ForwardStatus>): ForwardStatus {
  return {
    id,
    namespace: "shop",
    target: "svc/web",
    pod: "web-7d9f8c-abcde",
    listeners: [],
    state: "active",
    reason: null,
    activeConnections: 0,
    totalConnections: 0,
    bytesSent: 0,
    bytesReceived: 0,
    ...extra,
  };
}

const forwards = new Map<number, ForwardStatus>([
  [
    1,
    status(1, {
      listeners: [
        { local: "127.0.0.1:8080", remote: 8080, remoteName: "http" },
        { local: "[::1]:8080", remote: 8080, remoteName: "http" },
      ],
      activeConnections: 2,
      totalConnections: 17,
      bytesSent: 48_213,
      bytesReceived: 1_283_112,
    }),
  ],
  [
    2,
    status(2, {
      target: "deploy/api",
      pod: "api-5c8b7d-q2w3e",
      listeners: [{ local: "127.0.0.1:8443", remote: 8443, remoteName: null }],
      totalConnections: 3,
      bytesSent: 2_048,
      bytesReceived: 9_210,
    }),
  ],
  [
    3,
    status(3, {
      target: "pod/db-0",
      pod: null,
      listeners: [{ local: "127.0.0.1:5432", remote: 5432, remoteName: null }],
      state: "reconnecting",
      reason: "target gone: pod db-0 was deleted; waiting for a pod of the same name",
    }),
  ],
  [
    4,
    status(4, {
      target: "svc/metrics",
      pod: "metrics-0",
      listeners: [{ local: "0.0.0.0:9090", remote: 9090, remoteName: "metrics" }],
    }),
  ],
]);
let nextId = 5;

const saved = new Map<string, boolean>([["kind-capstan", true]]);
const failed = new Map<number, FailedForward>([
  [
    1,
    {
      id: 1,
      context: "kind-capstan",
      forward: {
        namespace: "shop",
        target: { kind: "service", name: "old-admin" },
        ports: [{ local: 9000, remote: { type: "number", value: 9000 } }],
        address: null,
      },
      reason: 'target gone: service "old-admin" not found in namespace "shop"; it may have been deleted or renamed',
    },
  ],
]);

function view(context: string): SavedForwardsView {
  return {
    enabled: saved.get(context) === true,
    failed: [...failed.values()].filter((f) => f.context === context),
  };
}

function tick(): void {
  // Traffic grows on the active forwards so the numbers move.
  for (const f of forwards.values()) {
    if (f.state !== "active") continue;
    f.bytesReceived += Math.round(Math.random() * 4096);
    f.bytesSent += Math.round(Math.random() * 512);
  }
}

function start(args: Record<string, unknown>): ForwardStatus {
  const target = args.target as TargetRef;
  const ports = args.ports as PortMapping[];
  const first = ports[0];
  const remote = first?.remote.type === "number" ? first.remote.value : 8080;
  const local = first?.local === 0 || first?.local === undefined || first.local === null ? 40000 + nextId : first.local;
  const prefix = { pod: "pod", service: "svc", deployment: "deploy", statefulSet: "sts" }[target.kind];
  const s = status(nextId++, {
    namespace: args.namespace as string,
    target: `${prefix}/${target.name}`,
    pod: `${target.name}-0`,
    listeners: [
      { local: `127.0.0.1:${local.toString()}`, remote, remoteName: first?.remote.type === "name" ? first.remote.value : null },
    ],
  });
  forwards.set(s.id, s);
  return s;
}

const offered: OfferedPort[] = [
  { name: "http", remote: 80, detail: "8080", protocol: "TCP" },
  { name: "https", remote: 443, detail: "8443", protocol: "TCP" },
];

export async function mockForwardInvoke(command: string, args: Record<string, unknown>): Promise<unknown> {
  await new Promise((r) => setTimeout(r, 30));
  const context = typeof args.context === "string" ? args.context : "";
  switch (command) {
    case "forward_ports":
      return offered;
    case "start_forward":
      return start(args);
    case "list_forwards":
      tick();
      return structuredClone([...forwards.values()]);
    case "watch_forwards": {
      // One push of the current list; the fixtures change nothing by themselves.
      const channel = args.channel as { onmessage: (list: ForwardStatus[]) => void };
      channel.onmessage(structuredClone([...forwards.values()]));
      return 1;
    }
    case "close_forward_watch":
      return null;
    case "stop_forward":
      return forwards.delete(args.id as number);
    case "stop_all_forwards":
      forwards.clear();
      return null;
    case "saved_forwards":
      return view(context);
    case "set_saved_forwards":
      saved.set(context, args.enabled === true);
      if (args.enabled !== true) for (const [id, f] of failed) if (f.context === context) failed.delete(id);
      return view(context);
    case "restore_saved_forwards":
      return { restored: 0, failed: view(context).failed.length } satisfies RestoreOutcome;
    case "retry_saved_forward": {
      const error: IpcError = { kind: "notFound", message: "The target is still gone", detail: null };
      throw error;
    }
    case "dismiss_saved_forward":
      failed.delete(args.id as number);
      return null;
    case "plugin:opener|open_url":
      // A plain browser has no opener; a new tab shows what would open.
      globalThis.open(args.url as string, "_blank", "noopener");
      return null;
    case "plugin:clipboard-manager|write_text":
      await navigator.clipboard.writeText(args.text as string);
      return null;
    default:
      throw new Error(`no fixture for ${command}`);
  }
}
