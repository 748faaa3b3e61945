// Sidebar navigation from the server's discovery: one group per NavSection,
// items keyed by kind name (qualified by API group only when two groups
// serve the same kind name).
import { BUILT_IN_NAVIGATION } from "../bindings/builtInNavigation";
import type { KindInfo } from "../bindings/KindInfo";
import type { NavSection } from "../bindings/NavSection";
import type { ResourceGroup, ResourceKind } from "../state/navigation";
import { pluralLabel, RESOURCE_GROUPS } from "../state/navigation";

export type Navigation = {
  groups: readonly ResourceGroup[];
  /** KindInfo by sidebar id; empty before discovery answers (static fallback). */
  kinds: ReadonlyMap<string, KindInfo>;
};

export const STATIC_NAVIGATION: Navigation = { groups: RESOURCE_GROUPS, kinds: new Map() };

/** Group ids of custom resource sections start with this. */
export const CUSTOM_PREFIX = "custom:";

/** A plural display label, e.g. "Pods", "NetworkPolicies", "Ingresses". */
export function kindLabel(kind: KindInfo): string {
  return pluralLabel(kind.kind, kind.plural);
}

export function navigationFrom(sections: readonly NavSection[]): Navigation {
  const counts = new Map<string, number>();
  for (const s of sections) for (const k of s.kinds) counts.set(k.kind, (counts.get(k.kind) ?? 0) + 1);
  const kinds = new Map<string, KindInfo>();
  const groups: ResourceGroup[] = sections.map((section) => ({
    id: section.custom ? `${CUSTOM_PREFIX}${section.title}` : section.title.toLowerCase(),
    label: section.title,
    kinds: section.kinds.map((info): ResourceKind => {
      const id = (counts.get(info.kind) ?? 0) > 1 && info.group !== "" ? `${info.kind}.${info.group}` : info.kind;
      kinds.set(id, info);
      return { id, label: kindLabel(info) };
    }),
  }));
  return { groups, kinds };
}

/**
 * The selected kind in `nav`: by id, or by plural so a selection made in the
 * static fallback ("pods") carries over to discovery ("Pod").
 */
export function resolveKind(nav: Navigation, id: string): { kind: ResourceKind; info: KindInfo | null } | null {
  for (const group of nav.groups) {
    for (const kind of group.kinds) {
      const info = nav.kinds.get(kind.id) ?? null;
      if (kind.id === id || (info !== null && info.plural === id && isBuiltIn(info))) {
        return { kind, info };
      }
    }
  }
  return null;
}

// A plural alone ("pods") means the sidebar's built-in kind (Rust's list), not
// a CRD that reuses the plural.
function isBuiltIn(info: KindInfo): boolean {
  return BUILT_IN_KINDS.has(`${info.group}/${info.plural}`);
}

const BUILT_IN_KINDS: ReadonlySet<string> = new Set(
  BUILT_IN_NAVIGATION.flatMap((s) => s.kinds.map((k) => `${k.group}/${k.plural}`)),
);
