// What the command palette offers for a query, ranked: k9s-style `:`
// commands, then kinds, pinned things, objects of open or recent views,
// contexts, namespaces and actions on the best-matching objects.
import type { KindInfo } from "../bindings/KindInfo";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { Pin } from "../bindings/Pin";
import { pinLabel } from "../state/pins";
import { resolveAlias, parseColon, type NamespaceScope } from "./command";
import { fuzzyMatch } from "./fuzzy";
import type { IndexedKind } from "./objectIndex";

export type ObjectAction = "logs" | "shell" | "forward" | "scale" | "editYaml";

export type PaletteRun =
  | { type: "kind"; kindId: string; scope: NamespaceScope }
  | { type: "object"; context: string; kindId: string | null; ref: ObjectRef }
  | { type: "context"; name: string }
  | { type: "namespace"; name: string }
  | { type: "action"; action: ObjectAction; context: string; kindId: string | null; ref: ObjectRef };

export type PaletteItem = {
  id: string;
  /** What it is, shown beside the label: "Pod · web", "Context", "Kind". */
  detail: string;
  label: string;
  positions: number[];
  run: PaletteRun | null;
  /** Alt+Enter: the default action of an object. */
  alt: PaletteRun | null;
  score: number;
};

export type PaletteKind = { id: string; label: string; info: KindInfo };

export type PaletteSources = {
  context: string | null;
  kinds: readonly PaletteKind[];
  objects: readonly IndexedKind[];
  contexts: readonly string[];
  namespaces: readonly string[];
  pins: readonly Pin[];
};

/** Results shown at most. */
export const MAX_ITEMS = 50;
/** Objects whose actions are listed ("Logs of …"). */
const ACTION_OBJECTS = 5;

const ACTION_LABELS: Record<ObjectAction, string> = {
  logs: "Logs of",
  shell: "Shell into",
  forward: "Port-forward",
  scale: "Scale",
  editYaml: "Edit",
};

const LOGS = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job"]);
const FORWARD = new Set(["Pod", "Service", "Deployment", "StatefulSet"]);
const SCALE = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);

/** The actions the palette offers on an object, the default (Alt+Enter) first. */
export function actionsOf(ref: ObjectRef): ObjectAction[] {
  const builtIn = ref.group === "" || ref.group === "apps" || ref.group === "batch";
  const out: ObjectAction[] = [];
  if (builtIn && LOGS.has(ref.kind)) out.push("logs");
  if (ref.group === "" && ref.kind === "Pod") out.push("shell");
  if (builtIn && FORWARD.has(ref.kind)) out.push("forward");
  if (ref.group === "apps" && SCALE.has(ref.kind)) out.push("scale");
  out.push("editYaml");
  return out;
}

export function refOf(info: KindInfo, namespace: string | null, name: string): ObjectRef {
  return { group: info.group, version: info.version, kind: info.kind, plural: info.plural, namespace, name };
}

function where(ref: ObjectRef): string {
  return ref.namespace !== null ? `${ref.kind} · ${ref.namespace}` : ref.kind;
}

// Sections weigh in so that, for equal matches, kinds come before objects before the rest.
const WEIGHT = { kind: 30, pin: 25, object: 10, context: 5, namespace: 0, action: -5 } as const;

export function paletteItems(query: string, s: PaletteSources): PaletteItem[] {
  const colon = parseColon(query);
  if (colon !== null) return colonItems(colon, s);
  const q = query.trim();
  const items: PaletteItem[] = [];

  for (const k of s.kinds) {
    const names = [k.label, k.info.kind, ...k.info.shortNames];
    let best: ReturnType<typeof fuzzyMatch> = null;
    for (const [i, n] of names.entries()) {
      const m = fuzzyMatch(q, n);
      // Only matches on the label can be highlighted in it.
      if (m !== null && (best === null || m.score > best.score)) best = i === 0 ? m : { score: m.score, positions: [] };
    }
    if (best === null) continue;
    const short = k.info.shortNames.length > 0 ? ` (${k.info.shortNames.join(", ")})` : "";
    items.push({
      id: `kind:${k.id}`,
      detail: `Kind${short}`,
      label: k.label,
      positions: best.positions,
      run: { type: "kind", kindId: k.id, scope: { type: "current" } },
      alt: null,
      score: best.score + WEIGHT.kind,
    });
  }

  for (const pin of s.pins) {
    const label = pinLabel(pin);
    const m = fuzzyMatch(q, label);
    if (m === null) continue;
    const run: PaletteRun =
      pin.type === "context"
        ? { type: "context", name: pin.context }
        : { type: "object", context: pin.context, kindId: kindIdOf(s.kinds, pin.object), ref: pin.object };
    items.push({
      id: `pin:${label}:${pin.context}`,
      detail: pin.type === "context" ? "Pinned context" : `Pinned · ${pin.context}`,
      label,
      positions: m.positions,
      run,
      alt: null,
      score: m.score + WEIGHT.pin,
    });
  }

  // Objects only once something is typed: all of them would drown the rest.
  const objects: PaletteItem[] = [];
  if (q !== "" && s.context !== null) {
    const seen = new Set<string>();
    for (const entry of s.objects) {
      for (const row of entry.rows.values()) {
        const m = fuzzyMatch(q, row.name);
        if (m === null) continue;
        const ref = refOf(entry.info, row.namespace, row.name);
        const id = `object:${ref.group}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const actions = actionsOf(ref);
        const first = actions[0];
        objects.push({
          id,
          detail: where(ref),
          label: row.name,
          positions: m.positions,
          run: { type: "object", context: entry.context, kindId: entry.kindId, ref },
          alt: first !== undefined ? { type: "action", action: first, context: entry.context, kindId: entry.kindId, ref } : null,
          score: m.score + WEIGHT.object,
        });
      }
    }
    objects.sort(byScore);
    objects.splice(MAX_ITEMS);
    items.push(...objects);
    for (const o of objects.slice(0, ACTION_OBJECTS)) {
      if (o.run?.type !== "object") continue;
      const { context, kindId, ref } = o.run;
      for (const action of actionsOf(ref)) {
        const label = `${ACTION_LABELS[action]} ${ref.name}`;
        items.push({
          id: `action:${action}:${o.id}`,
          detail: `Action · ${where(ref)}`,
          label,
          positions: o.positions.map((p) => p + ACTION_LABELS[action].length + 1),
          run: { type: "action", action, context, kindId, ref },
          alt: null,
          score: o.score - WEIGHT.object + WEIGHT.action,
        });
      }
    }
  }

  for (const name of s.contexts) {
    const m = fuzzyMatch(q, name);
    if (m === null) continue;
    items.push({
      id: `context:${name}`,
      detail: name === s.context ? "Context (current)" : "Context",
      label: name,
      positions: m.positions,
      run: { type: "context", name },
      alt: null,
      score: m.score + WEIGHT.context,
    });
  }

  if (q !== "") {
    for (const name of s.namespaces) {
      const m = fuzzyMatch(q, name);
      if (m === null) continue;
      items.push({
        id: `namespace:${name}`,
        detail: "Namespace",
        label: name,
        positions: m.positions,
        run: { type: "namespace", name },
        alt: null,
        score: m.score + WEIGHT.namespace,
      });
    }
  }

  items.sort(byScore);
  return items.slice(0, MAX_ITEMS);
}

function byScore(a: PaletteItem, b: PaletteItem): number {
  return b.score - a.score || a.label.localeCompare(b.label);
}

/** The sidebar id of the kind an object is of, when the navigation has it. */
export function kindIdOf(kinds: readonly PaletteKind[], ref: ObjectRef): string | null {
  return kinds.find((k) => k.info.group === ref.group && k.info.kind === ref.kind)?.id ?? null;
}

function colonItems(colon: NonNullable<ReturnType<typeof parseColon>>, s: PaletteSources): PaletteItem[] {
  const one = (item: Omit<PaletteItem, "positions" | "alt" | "score">): PaletteItem[] => [
    { ...item, positions: [], alt: null, score: 0 },
  ];
  switch (colon.type) {
    case "invalid":
      return one({ id: "colon:invalid", detail: "Command", label: colon.message, run: null });
    case "context":
      return s.contexts.includes(colon.name)
        ? one({ id: `colon:ctx:${colon.name}`, detail: "Switch context", label: colon.name, run: { type: "context", name: colon.name } })
        : one({ id: "colon:ctx:unknown", detail: "Command", label: `No context named ${colon.name}`, run: null });
    case "namespace":
      return one({
        id: `colon:ns:${colon.name}`,
        detail: s.namespaces.includes(colon.name) ? "Switch namespace" : "Switch namespace (not listed by the cluster)",
        label: colon.name,
        run: { type: "namespace", name: colon.name },
      });
    case "kind": {
      const kind = resolveAlias(s.kinds, colon.alias);
      if (kind === null) {
        return one({ id: "colon:kind:unknown", detail: "Command", label: `No kind called ${colon.alias} on this cluster`, run: null });
      }
      const scope =
        colon.scope.type === "all" ? " in all namespaces" : colon.scope.type === "named" ? ` in ${colon.scope.name}` : "";
      return one({
        id: `colon:kind:${kind.id}`,
        detail: "Kind",
        label: `${kind.label}${kind.info.namespaced ? scope : ""}`,
        run: { type: "kind", kindId: kind.id, scope: colon.scope },
      });
    }
  }
}
