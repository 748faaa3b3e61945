// The metrics of one open table, kept apart from its rows: a Map of cells by
// row key with a listener set per key, so an update re-renders only the
// cells of rows whose figures changed (useSyncExternalStore per cell), and
// a version that moves on every update for sorting by a metrics column.
import type { MetricCells } from "../bindings/MetricCells";
import type { MetricsEvent } from "../bindings/MetricsEvent";
import type { MetricsSource } from "../bindings/MetricsSource";

export type MetricsStatus =
  | { state: "waiting" }
  | { state: "live"; source: MetricsSource }
  | { state: "unavailable"; reason: string };

type Listener = () => void;

export class MetricsStore {
  // Replaced (not mutated) on each update: a snapshot is a stable value.
  private cells: ReadonlyMap<string, MetricCells> = new Map();
  private byKey = new Map<string, Set<Listener>>();
  private general = new Set<Listener>();
  private statusValue: MetricsStatus = { state: "waiting" };
  private versionValue = 0;

  /** `view` names the table the figures are for (in logs and tests). */
  constructor(readonly view = "") {}

  get(key: string): MetricCells | undefined {
    return this.cells.get(key);
  }

  status(): MetricsStatus {
    return this.statusValue;
  }

  /** Moves on every update. */
  version(): number {
    return this.versionValue;
  }

  /** Every row's cells as of now; a new Map after each update, for sorting. */
  snapshot(): ReadonlyMap<string, MetricCells> {
    return this.cells;
  }

  /** Calls `listener` when `key`'s cells change. */
  subscribeKey(key: string, listener: Listener): () => void {
    let set = this.byKey.get(key);
    if (set === undefined) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byKey.delete(key);
    };
  }

  /** Calls `listener` on every update and status change. */
  subscribe(listener: Listener): () => void {
    this.general.add(listener);
    return () => {
      this.general.delete(listener);
    };
  }

  apply(event: MetricsEvent): void {
    const changed: string[] = [];
    if (event.type === "update") {
      const next = new Map(this.cells);
      for (const key of event.removes) {
        if (next.delete(key)) changed.push(key);
      }
      for (const { key, cells } of event.upserts) {
        next.set(key, cells);
        changed.push(key);
      }
      this.cells = next;
      const was = this.statusValue;
      if (was.state !== "live" || JSON.stringify(was.source) !== JSON.stringify(event.source)) {
        this.statusValue = { state: "live", source: event.source };
      }
    } else {
      // No figures now: cells would be stale, so they go.
      changed.push(...this.cells.keys());
      this.cells = new Map();
      this.statusValue = { state: "unavailable", reason: event.reason };
    }
    this.versionValue += 1;
    for (const key of changed) {
      this.byKey.get(key)?.forEach((l) => {
        l();
      });
    }
    this.general.forEach((l) => {
      l();
    });
  }
}

/** A source's short label. */
export function describeSource(source: MetricsSource): string {
  switch (source.kind) {
    case "metricsApi":
      return "metrics.k8s.io";
    case "kubeletSummary":
      return "kubelet Summary API";
    case "prometheus":
      return `Prometheus ${source.namespace}/${source.service}`;
  }
}
