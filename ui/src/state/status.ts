import type { ContextSummary } from "../bindings/ContextSummary";
import type { NamespaceSelection } from "../bindings/NamespaceSelection";
import type { ConnectionView } from "./connection";
import { connectionText, connectionTone } from "./connection";
import type { ContextsState } from "./contexts";
import { namespaceOf } from "./contexts";
import { selectionLabel } from "./namespace";

export type Tone = "idle" | "busy" | "ok" | "warn" | "error";

export type StatusText = {
  context: string;
  namespace: string;
  connection: string;
  tone: Tone;
};

/**
 * The three status-bar fields, derived from the kubeconfig state, the
 * selection, its connection check and the namespace chosen in the app.
 */
export function deriveStatus(
  state: ContextsState,
  selected: ContextSummary | null,
  connection: ConnectionView | null = null,
  namespace: NamespaceSelection | null = null,
): StatusText {
  const context = selected?.name ?? "no context";
  let ns = "—";
  if (selected !== null) ns = namespace !== null ? selectionLabel(namespace) : namespaceOf(selected);
  switch (state.status) {
    case "loading":
      return { context, namespace: ns, connection: "reading kubeconfig…", tone: "busy" };
    case "empty":
      return { context, namespace: ns, connection: "no kubeconfig", tone: "warn" };
    case "error":
      return {
        context,
        namespace: ns,
        connection: state.error.kind === "kubeconfig" ? "kubeconfig error" : `error: ${state.error.message}`,
        tone: "error",
      };
    case "ok":
      if (state.overview.contexts.length === 0) {
        return { context, namespace: ns, connection: "no contexts", tone: "warn" };
      }
      if (selected === null || connection === null) {
        return { context, namespace: ns, connection: "not connected", tone: "idle" };
      }
      return {
        context,
        namespace: ns,
        connection: connectionText(connection),
        tone: connectionTone(connection.state),
      };
  }
}

export function versionLabel(version: string | null): string {
  return version === null ? "" : `Capstan ${version}`;
}
