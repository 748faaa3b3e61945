// Where the user is (context, kind, open object) and the back/forward
// history through those places, as a browser keeps it.
import type { ObjectRef } from "../bindings/ObjectRef";

export type Place = {
  context: string | null;
  /** Sidebar kind id ("pods" before discovery, "Pod" after: resolveKind takes both). */
  kind: string;
  /** The local clusters page instead of a kind. */
  local: boolean;
  /** The Helm releases page instead of a kind. */
  helm: boolean;
  /** The Cluster overview page instead of a kind (absent: false). */
  overview?: boolean;
  /** The object in the details panel; `row` is its table key when known. */
  object: { ref: ObjectRef; row: string | null } | null;
};

export type History = { entries: readonly Place[]; index: number };

/** How many places back the history reaches. */
export const HISTORY_LIMIT = 50;

export type HistoryAction =
  /** A new place: pushed (back returns here), or replacing the current one (selection moves in a table). */
  | { type: "go"; to: Partial<Place>; push: boolean }
  | { type: "back" }
  | { type: "forward" };

export function initialHistory(place: Place): History {
  return { entries: [place], index: 0 };
}

export function currentPlace(h: History): Place {
  // index is always within entries; the fallback only satisfies the type.
  return h.entries[h.index] ?? h.entries[0] ?? { context: null, kind: "pods", local: false, helm: false, object: null };
}

function sameObject(a: Place["object"], b: Place["object"]): boolean {
  if (a === null || b === null) return a === b;
  const x = a.ref;
  const y = b.ref;
  return x.group === y.group && x.kind === y.kind && x.namespace === y.namespace && x.name === y.name;
}

export function samePlace(a: Place, b: Place): boolean {
  return (
    a.context === b.context &&
    a.kind === b.kind &&
    a.local === b.local &&
    a.helm === b.helm &&
    (a.overview ?? false) === (b.overview ?? false) &&
    sameObject(a.object, b.object)
  );
}

export function historyReducer(h: History, action: HistoryAction): History {
  switch (action.type) {
    case "back":
      return h.index > 0 ? { ...h, index: h.index - 1 } : h;
    case "forward":
      return h.index < h.entries.length - 1 ? { ...h, index: h.index + 1 } : h;
    case "go": {
      const here = currentPlace(h);
      const to: Place = { ...here, ...action.to };
      if (samePlace(here, to)) {
        // Same place: keep the newer row key without a new entry.
        return to.object?.row !== here.object?.row ? replaceCurrent(h, to) : h;
      }
      if (!action.push) return replaceCurrent(h, to);
      const kept = h.entries.slice(0, h.index + 1);
      kept.push(to);
      const dropped = Math.max(0, kept.length - HISTORY_LIMIT);
      return { entries: kept.slice(dropped), index: kept.length - 1 - dropped };
    }
  }
}

function replaceCurrent(h: History, to: Place): History {
  const entries = h.entries.slice();
  entries[h.index] = to;
  return { entries, index: h.index };
}

export function canGoBack(h: History): boolean {
  return h.index > 0;
}

export function canGoForward(h: History): boolean {
  return h.index < h.entries.length - 1;
}
