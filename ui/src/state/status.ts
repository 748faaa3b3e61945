import type { ContextSummary } from "../bindings/ContextSummary";
import type { ContextsState } from "./contexts";
import { namespaceOf } from "./contexts";

export type Tone = "idle" | "busy" | "warn" | "error";

export type StatusText = {
  context: string;
  namespace: string;
  connection: string;
  tone: Tone;
};

/** The three status-bar fields, derived from the kubeconfig state and the selection. */
export function deriveStatus(state: ContextsState, selected: ContextSummary | null): StatusText {
  const context = selected?.name ?? "no context";
  const namespace = selected !== null ? namespaceOf(selected) : "—";
  switch (state.status) {
    case "loading":
      return { context, namespace, connection: "reading kubeconfig…", tone: "busy" };
    case "empty":
      return { context, namespace, connection: "no kubeconfig", tone: "warn" };
    case "error":
      return {
        context,
        namespace,
        connection: state.error.kind === "kubeconfig" ? "kubeconfig error" : `error: ${state.error.message}`,
        tone: "error",
      };
    case "ok":
      if (state.overview.contexts.length === 0) {
        return { context, namespace, connection: "no contexts", tone: "warn" };
      }
      return { context, namespace, connection: "not connected", tone: "idle" };
  }
}

export function versionLabel(version: string | null): string {
  return version === null ? "" : `Capstan ${version}`;
}
