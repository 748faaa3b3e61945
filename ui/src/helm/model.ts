// Pure helpers for the Helm section: what a diff and an uninstall show.
import type { HelmPathChange } from "../bindings/HelmPathChange";
import type { KindInfo } from "../bindings/KindInfo";
import type { HelmResource } from "../bindings/HelmResource";
import type { HelmRevision } from "../bindings/HelmRevision";

/** A value in one line: strings as they are, the rest as JSON, long ones cut. */
export function shortValue(value: unknown, max = 80): string {
  if (value === undefined) return "";
  // JSON.stringify gives undefined for what JSON cannot hold (a function).
  const text = (JSON.stringify(value) as string | undefined) ?? "null";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of a path change: `~ spec.replicas: 1 → 2`. */
export function changeLine(change: HelmPathChange): string {
  switch (change.change) {
    case "added":
      return `+ ${change.path}: ${shortValue(change.new)}`;
    case "removed":
      return `- ${change.path}: ${shortValue(change.old)}`;
    case "changed":
      return `~ ${change.path}: ${shortValue(change.old)} → ${shortValue(change.new)}`;
  }
}

/** The two revisions a diff opens on: the one before the newest, and the newest. */
export function defaultDiffPair(history: readonly HelmRevision[]): [number, number] | null {
  const revisions = history.map((h) => h.revision).sort((a, b) => a - b);
  const last = revisions[revisions.length - 1];
  const before = revisions[revisions.length - 2];
  return last !== undefined && before !== undefined ? [before, last] : null;
}

/** What an uninstall deletes, one line each: `Deployment web (in apps)`. */
export function uninstallLines(resources: readonly HelmResource[], namespace: string): string[] {
  return resources.map((r) => `${r.kind} ${r.name}${r.namespace !== null ? ` (in ${r.namespace})` : ` (in ${namespace}, if namespaced)`}`);
}

/** Unified diff lines with a class each: added, removed, hunk, header or context. */
export function diffLineClass(line: string): "add" | "del" | "hunk" | "head" | "ctx" {
  if (line.startsWith("+++") || line.startsWith("---")) return "head";
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return "ctx";
}

/** The sidebar kind of a manifest resource (by kind and API group), or null. */
export function kindOf(
  kinds: ReadonlyMap<string, KindInfo>,
  resource: HelmResource,
): { id: string; info: KindInfo } | null {
  const slash = resource.apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : resource.apiVersion.slice(0, slash);
  for (const [id, info] of kinds) {
    if (info.kind === resource.kind && info.group === group) return { id, info };
  }
  return null;
}

/** What the manifest tab says about a resource in the cluster now. */
export function liveStatusText(known: boolean, pending: boolean, status: string | null, errorKind: string | null): string {
  if (!known) return "kind not served";
  if (errorKind === "notFound") return "missing";
  if (errorKind !== null) return "unknown";
  if (pending) return "…";
  return status ?? "present";
}
