// Fixture data for looking at the UI in a plain browser (`npm run dev`, then
// open http://localhost:5173/?mock=ok). Imported only behind
// `import.meta.env.DEV`, so it never reaches a production bundle.
import type { AddedClusters } from "../bindings/AddedClusters";
import type { AppInfo } from "../bindings/AppInfo";
import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { ContextSummary } from "../bindings/ContextSummary";
import type { IpcError } from "../bindings/IpcError";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";
import type { MakeCurrentOutcome } from "../bindings/MakeCurrentOutcome";
import type { MakeCurrentPreview } from "../bindings/MakeCurrentPreview";
import type { NamespaceSelection } from "../bindings/NamespaceSelection";
import { isLocalCommand, mockLocalInvoke } from "./mockLocal";
import { isShellCommand, mockShellInvoke } from "./mockShell";
import { isLogCommand, mockLogInvoke } from "./mockLogs";
import { isResourceCommand, mockResourceInvoke } from "./mockResources";

const home = "/home/dev";
const userFile = `${home}/.kube/config`;
const managedFile = `${home}/.config/capstan/kubeconfig.yaml`;

function ctx(extra: Partial<ContextSummary> & { name: string }): ContextSummary {
  return {
    cluster: extra.name,
    user: extra.name,
    namespace: null,
    server: null,
    source: userFile,
    isCurrent: false,
    managed: false,
    problem: null,
    ...extra,
  };
}

const contexts: ContextSummary[] = [
  ctx({
    name: "kind-capstan",
    namespace: "kube-system",
    server: "https://127.0.0.1:40123",
    isCurrent: true,
  }),
  ctx({
    name: "prod-eu-west-1",
    cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
    user: "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
    server: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
  }),
  ctx({
    name: "staging",
    user: "oidc-alice",
    namespace: "payments",
    server: "https://staging.k8s.example.internal:6443",
  }),
  ctx({
    name: "capstan-local",
    user: "admin@capstan-local",
    server: "https://127.0.0.1:39021",
  }),
  ctx({
    name: "lab",
    user: "lab-admin",
    namespace: "dev",
    server: "https://10.20.0.5:6443",
    source: managedFile,
    managed: true,
  }),
  ctx({
    name: "old-ci",
    cluster: "ci",
    user: "ci-bot",
    source: managedFile,
    managed: true,
    problem: 'cluster "ci" is not defined in any kubeconfig file',
  }),
];

/** How each fixture context answers check_connection (unknown ones are reachable). */
const checks: Record<string, { delay: number; check: Omit<ConnectionCheck, "context"> }> = {
  "kind-capstan": {
    delay: 250,
    check: { state: "reachable", message: null, serverVersion: "v1.20.2" },
  },
  "prod-eu-west-1": {
    delay: 600,
    check: {
      state: "authFailed",
      message: "Unauthorized: the server has asked for the client to provide credentials (401)",
      serverVersion: null,
    },
  },
  staging: {
    delay: 400,
    check: {
      state: "dnsError",
      message: "failed to lookup address information: Name or service not known (staging.k8s.example.internal)",
      serverVersion: null,
    },
  },
  "capstan-local": {
    delay: 5000,
    check: { state: "timeout", message: "no answer from https://127.0.0.1:39021 within 5 s", serverVersion: null },
  },
  lab: {
    delay: 350,
    check: {
      state: "tlsError",
      message: "invalid peer certificate: UnknownIssuer",
      serverVersion: null,
    },
  },
  "old-ci": {
    delay: 100,
    check: { state: "error", message: 'cluster "ci" is not defined', serverVersion: null },
  },
};

const namespaces: Record<string, string[]> = {
  "kind-capstan": ["default", "kube-node-lease", "kube-public", "kube-system", "capstan-e2e"],
};

const remembered = new Map<string, NamespaceSelection>([["kind-capstan", { kind: "named", name: "kube-system" }]]);

function overview(scenario: string): KubeconfigOverview {
  return {
    files: [userFile, managedFile],
    searched: [userFile, managedFile],
    currentContext: contexts.find((c) => c.isCurrent)?.name ?? null,
    credentialStore: scenario === "keyring" ? "secretService" : "file",
    contexts: structuredClone(contexts),
  };
}

const empty: KubeconfigOverview = {
  files: [],
  searched: [userFile],
  currentContext: null,
  credentialStore: null,
  contexts: [],
};

const malformed: IpcError = {
  kind: "kubeconfig",
  message: `The kubeconfig file ${userFile} is not valid YAML`,
  detail: "contexts[1]: missing field `cluster` at line 14 column 5",
};

const info: AppInfo = { version: "0.1.0-dev", logDir: `${home}/.local/share/capstan/logs` };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function arg(args: Record<string, unknown> | undefined, name: string): string {
  const value = args?.[name];
  return typeof value === "string" ? value : "";
}

function unreachable(context: string): IpcError {
  return {
    kind: "connection",
    message: `Cannot reach the cluster of context "${context}"`,
    detail: checks[context]?.check.message ?? null,
  };
}

function addCluster(text: string): AddedClusters {
  const name = /^\s*-\s*name:\s*(\S+)/m.exec(text.split(/^contexts:/m)[1] ?? "")?.[1];
  if (!/^\s*clusters:/m.test(text) || name === undefined) {
    const error: IpcError = {
      kind: "kubeconfig",
      message: "The pasted kubeconfig has no usable context",
      detail: "expected `clusters:`, `users:` and `contexts:` sections (line 1 column 1)",
    };
    throw error;
  }
  if (contexts.some((c) => c.name === name)) {
    const error: IpcError = { kind: "conflict", message: `A context named "${name}" already exists`, detail: null };
    throw error;
  }
  contexts.push(ctx({ name, source: managedFile, managed: true, server: "https://203.0.113.7:6443" }));
  checks[name] = { delay: 300, check: { state: "reachable", message: null, serverVersion: "v1.30.1" } };
  namespaces[name] = ["default", "kube-system"];
  return { contexts: [name], file: managedFile, credentialStore: "file" };
}

export async function mockInvoke(
  command: string,
  scenario: string,
  args?: Record<string, unknown>,
): Promise<unknown> {
  await sleep(scenario === "slow" ? 1500 : 80);
  if (isResourceCommand(command)) return mockResourceInvoke(command, args);
  if (isLogCommand(command)) return mockLogInvoke(command, args ?? {});
  if (isLocalCommand(command)) return mockLocalInvoke(command, scenario, args ?? {});
  if (isShellCommand(command)) return mockShellInvoke(command, args ?? {});
  const context = arg(args, "context");
  switch (command) {
    case "app_info":
      return info;
    case "list_contexts":
      if (scenario === "empty") return empty;
      if (scenario === "error") throw malformed;
      return overview(scenario);
    case "check_connection": {
      const known = checks[context];
      await sleep(known?.delay ?? 200);
      return {
        context,
        ...(known?.check ?? { state: "reachable", message: null, serverVersion: "v1.30.1" }),
      } satisfies ConnectionCheck;
    }
    case "list_namespaces": {
      await sleep(150);
      const list = namespaces[context];
      if (list === undefined) throw unreachable(context);
      return list;
    }
    case "get_namespace":
      return remembered.get(context) ?? null;
    case "set_namespace":
      remembered.set(context, args?.selection as NamespaceSelection);
      return null;
    case "make_current_preview": {
      const source = contexts.find((c) => c.name === context)?.source ?? userFile;
      return {
        file: source,
        hasComments: source === userFile,
        formattingMayChange: true,
      } satisfies MakeCurrentPreview;
    }
    case "make_current": {
      await sleep(300);
      const target = contexts.find((c) => c.name === context);
      const file = target?.source ?? userFile;
      const already = target?.isCurrent === true;
      for (const c of contexts) if (c.source === file) c.isCurrent = c.name === context;
      return {
        file,
        backup: already ? null : `${file}.capstan-backup-20250101T120000Z`,
      } satisfies MakeCurrentOutcome;
    }
    case "add_cluster":
      await sleep(1200);
      return addCluster(arg(args, "kubeconfig"));
    case "remove_context": {
      const i = contexts.findIndex((c) => c.name === context && c.managed);
      if (i >= 0) contexts.splice(i, 1);
      return null;
    }
    case "rename_context": {
      const target = contexts.find((c) => c.name === arg(args, "from") && c.managed);
      if (target !== undefined) target.name = arg(args, "to");
      return null;
    }
  }
  throw new Error(`mock: unknown command ${command}`);
}
