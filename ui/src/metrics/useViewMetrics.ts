import { useEffect, useMemo, useSyncExternalStore } from "react";

import type { KindInfo } from "../bindings/KindInfo";
import type { MetricCells } from "../bindings/MetricCells";
import { closeViewMetrics, openViewMetrics } from "../ipc/metrics";
import type { MetricKey } from "./cells";
import type { MetricsStatus } from "./store";
import { MetricsStore } from "./store";

/**
 * The metrics of a table of `kind` over `namespaces`: opened with the view,
 * closed with it (Rust samples only while it is open). A kind without
 * metrics, or a backend that cannot give them, leaves the store waiting.
 */
export function useViewMetrics(context: string, kind: KindInfo, namespaces: readonly string[]): MetricsStore {
  const key = JSON.stringify([context, kind, namespaces]);
  // A new store per view: figures of another view never show.
  const store = useMemo(() => new MetricsStore(key), [key]);
  useEffect(() => {
    const [ctx, k, ns] = JSON.parse(key) as [string, KindInfo, string[]];
    let live = true;
    let id: number | null = null;
    openViewMetrics({ context: ctx, kind: k, namespaces: ns }, (event) => {
      if (live) store.apply(event);
    }).then(
      (opened) => {
        if (opened === null) return;
        if (live) id = opened;
        else void closeViewMetrics(opened).catch(() => undefined);
      },
      // Metrics are extra: the table works without them.
      () => undefined,
    );
    return () => {
      live = false;
      if (id !== null) void closeViewMetrics(id).catch(() => undefined);
    };
  }, [key, store]);
  return store;
}

/** The store's status, re-rendering on changes. */
export function useMetricsStatus(store: MetricsStore): MetricsStatus {
  return useSyncExternalStore(
    (l) => store.subscribe(l),
    () => store.status(),
  );
}

const NONE: ReadonlyMap<string, MetricCells> = new Map();

/** Every row's cells, re-rendering on each update while `active` (sorting by a metric). */
export function useMetricsSnapshot(store: MetricsStore, active: boolean): ReadonlyMap<string, MetricCells> {
  return useSyncExternalStore(
    (l) => (active ? store.subscribe(l) : () => undefined),
    () => (active ? store.snapshot() : NONE),
  );
}

export type { MetricKey };
