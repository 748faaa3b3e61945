// Fixture data for looking at the UI in a plain browser (`npm run dev`, then
// open http://localhost:5173/?mock=ok). Imported only behind
// `import.meta.env.DEV`, so it never reaches a production bundle.
import type { AppInfo } from "../bindings/AppInfo";
import type { IpcError } from "../bindings/IpcError";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";

const home = "/home/dev";

const ok: KubeconfigOverview = {
  files: [`${home}/.kube/config`],
  searched: [`${home}/.kube/config`],
  currentContext: "kind-capstan",
  credentialStore: null,
  contexts: [
    {
      name: "kind-capstan",
      cluster: "kind-capstan",
      user: "kind-capstan",
      namespace: "kube-system",
      server: "https://127.0.0.1:40123",
      source: `${home}/.kube/config`,
      isCurrent: true,
      managed: false,
      problem: null,
    },
    {
      name: "prod-eu-west-1",
      cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
      user: "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
      namespace: null,
      server: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      source: `${home}/.kube/config`,
      isCurrent: false,
      managed: false,
      problem: null,
    },
    {
      name: "staging",
      cluster: "staging",
      user: "oidc-alice",
      namespace: "payments",
      server: "https://staging.k8s.example.internal:6443",
      source: `${home}/.kube/config`,
      isCurrent: false,
      managed: false,
      problem: null,
    },
    {
      name: "capstan-local",
      cluster: "capstan-local",
      user: "admin@capstan-local",
      namespace: null,
      server: "https://127.0.0.1:39021",
      source: `${home}/.kube/config`,
      isCurrent: false,
      managed: false,
      problem: null,
    },
  ],
};

const empty: KubeconfigOverview = {
  files: [],
  searched: [`${home}/.kube/config`],
  currentContext: null,
  credentialStore: null,
  contexts: [],
};

const malformed: IpcError = {
  kind: "kubeconfig",
  message: `The kubeconfig file ${home}/.kube/config is not valid YAML`,
  detail: "contexts[1]: missing field `cluster` at line 14 column 5",
};

const info: AppInfo = { version: "0.1.0-dev", logDir: `${home}/.local/share/capstan/logs` };

export async function mockInvoke(command: string, scenario: string): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, scenario === "slow" ? 1500 : 80));
  if (command === "app_info") return info;
  if (command === "list_contexts") {
    if (scenario === "empty") return empty;
    if (scenario === "error") throw malformed;
    return ok;
  }
  throw new Error(`mock: unknown command ${command}`);
}
