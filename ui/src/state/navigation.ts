import { BUILT_IN_NAVIGATION } from "../bindings/builtInNavigation";

export type ResourceKind = {
  /** Stable id used in selection state (and later in routes). */
  id: string;
  label: string;
};

export type ResourceGroup = {
  id: string;
  label: string;
  kinds: readonly ResourceKind[];
};

/** A plural display label from a kind and its plural: "Pods", "Endpoints", "NetworkPolicies". */
export function pluralLabel(kind: string, plural: string): string {
  if (plural === kind.toLowerCase()) return kind;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  return `${kind}s`;
}

/**
 * The resource navigation, grouped as in Lens, shown until the cluster's own
 * discovery answers: capstan-kube's built-in sections (generated into the
 * bindings, so the list lives in Rust only; custom resource definitions are
 * in its Cluster section, as discovery shows them).
 */
export const RESOURCE_GROUPS: readonly ResourceGroup[] = BUILT_IN_NAVIGATION.map((section) => ({
  id: section.title.toLowerCase(),
  label: section.title,
  kinds: section.kinds.map((k) => ({ id: k.plural, label: pluralLabel(k.kind, k.plural) })),
}));

export const DEFAULT_KIND = "pods";

export function findKind(id: string): ResourceKind | null {
  for (const group of RESOURCE_GROUPS) {
    const kind = group.kinds.find((k) => k.id === id);
    if (kind !== undefined) return kind;
  }
  return null;
}

/** Main-area text until the resource browser lands. */
export function placeholderFor(kind: ResourceKind): string {
  return `${kind.label} — live table arrives with the resource browser`;
}

/** Prefix for sidebar item keys, so context names and kinds never collide. */
export const contextKey = (name: string): string => `context:${name}`;
export const kindKey = (id: string): string => `kind:${id}`;
