import type { ContextSummary } from "../bindings/ContextSummary";
import type { IpcError } from "../bindings/IpcError";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";

/** What the sidebar knows about the user's kubeconfig. */
export type ContextsState =
  | { status: "loading" }
  /** No kubeconfig file was found (`files` is empty). */
  | { status: "empty"; overview: KubeconfigOverview }
  /** list_contexts rejected, e.g. a malformed kubeconfig. */
  | { status: "error"; error: IpcError }
  | { status: "ok"; overview: KubeconfigOverview };

export const LOADING: ContextsState = { status: "loading" };

export function fromOverview(overview: KubeconfigOverview): ContextsState {
  return overview.files.length === 0 ? { status: "empty", overview } : { status: "ok", overview };
}

export function fromError(error: IpcError): ContextsState {
  return { status: "error", error };
}

export function contextsOf(state: ContextsState): ContextSummary[] {
  return state.status === "ok" ? state.overview.contexts : [];
}

/**
 * Which context is selected after a (re)load: keep the previous choice while
 * it still exists, else the kubeconfig's current context, else the first one.
 */
export function chooseSelection(
  overview: KubeconfigOverview,
  previous: string | null,
): string | null {
  const names = overview.contexts.map((c) => c.name);
  if (previous !== null && names.includes(previous)) return previous;
  const current =
    overview.contexts.find((c) => c.isCurrent)?.name ??
    (overview.currentContext !== null && names.includes(overview.currentContext)
      ? overview.currentContext
      : undefined);
  return current ?? names[0] ?? null;
}

export function findContext(state: ContextsState, name: string | null): ContextSummary | null {
  if (name === null) return null;
  return contextsOf(state).find((c) => c.name === name) ?? null;
}

/** The namespace a context starts in: its own, else "default". */
export function namespaceOf(context: ContextSummary): string {
  return context.namespace !== null && context.namespace !== "" ? context.namespace : "default";
}

/** Secondary line under a context's name. */
export function contextSubtitle(context: ContextSummary): string {
  const parts = [context.cluster];
  if (context.user !== "" && context.user !== context.cluster) parts.push(context.user);
  parts.push(namespaceOf(context));
  return parts.join(" · ");
}

/** Tooltip with everything the kubeconfig says about a context. */
export function contextTooltip(context: ContextSummary): string {
  return [
    `Context: ${context.name}${context.isCurrent ? " (current)" : ""}`,
    `Cluster: ${context.cluster}`,
    `User: ${context.user}`,
    `Namespace: ${namespaceOf(context)}`,
    `Server: ${context.server ?? "unknown"}`,
    `From: ${context.source}`,
  ].join("\n");
}

const AVATAR_COLOURS = 8;

/** Two-letter badge and a stable colour slot for a context, Lens-style. */
export function avatarFor(name: string): { initials: string; colour: number } {
  const words = name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .slice(0, 2);
  let initials = words.map((w) => w.charAt(0)).join("");
  if (initials.length < 2 && words[0] !== undefined) initials = words[0].slice(0, 2);
  if (initials === "") initials = "?";
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return { initials: initials.toUpperCase(), colour: hash % AVATAR_COLOURS };
}
