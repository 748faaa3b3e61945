// Helm actions in flight and done, for the dock: a small external store
// (useSyncExternalStore) so the Helm section starts a run and the dock tab
// shows its output as it streams.
import { useSyncExternalStore } from "react";

import type { HelmOutputLine } from "../bindings/HelmOutputLine";
import type { IpcError } from "../ipc";

export type HelmRun = {
  id: string;
  /** e.g. "rollback web to 2". */
  title: string;
  lines: readonly HelmOutputLine[];
  state: "running" | "succeeded" | "failed";
  error: IpcError | null;
};

export type RunEvent =
  | { type: "start"; id: string; title: string }
  | { type: "line"; id: string; line: HelmOutputLine }
  | { type: "done"; id: string }
  | { type: "failed"; id: string; error: IpcError };

/** Pure: the runs after one event. */
export function runsReducer(runs: ReadonlyMap<string, HelmRun>, event: RunEvent): ReadonlyMap<string, HelmRun> {
  const next = new Map(runs);
  if (event.type === "start") {
    next.set(event.id, { id: event.id, title: event.title, lines: [], state: "running", error: null });
    return next;
  }
  const run = runs.get(event.id);
  if (run === undefined) return runs;
  switch (event.type) {
    case "line":
      next.set(event.id, { ...run, lines: [...run.lines, event.line] });
      break;
    case "done":
      next.set(event.id, { ...run, state: "succeeded" });
      break;
    case "failed":
      next.set(event.id, { ...run, state: "failed", error: event.error });
      break;
  }
  return next;
}

let runs: ReadonlyMap<string, HelmRun> = new Map();
const listeners = new Set<() => void>();

export function dispatchRun(event: RunEvent): void {
  runs = runsReducer(runs, event);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useHelmRun(id: string): HelmRun | undefined {
  return useSyncExternalStore(subscribe, () => runs.get(id));
}

/** The title of an action's run. */
export function runTitle(release: string, action: { kind: "rollback"; revision: number } | { kind: "upgrade" } | { kind: "uninstall" }): string {
  switch (action.kind) {
    case "rollback":
      return `helm rollback ${release} ${action.revision.toString()}`;
    case "upgrade":
      return `helm upgrade ${release}`;
    case "uninstall":
      return `helm uninstall ${release}`;
  }
}
