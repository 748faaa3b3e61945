// What a metrics chart feed shows, from the events Rust sends: pure, so the
// states (opening, waiting, drawn, failed) are tested without a window.
import type { IpcError } from "../bindings/IpcError";
import type { MetricsChartEvent } from "../bindings/MetricsChartEvent";
import type { MetricsRange } from "../bindings/MetricsRange";
import type { MetricsSource } from "../bindings/MetricsSource";
import type { MetricsTarget } from "../bindings/MetricsTarget";

export const RANGES: readonly { id: MetricsRange; label: string; title: string }[] = [
  { id: "Live", label: "Live", title: "Sampled by Capstan while shown" },
  { id: "H1", label: "1 h", title: "The last hour, from Prometheus" },
  { id: "H6", label: "6 h", title: "The last 6 hours, from Prometheus" },
  { id: "H24", label: "24 h", title: "The last day, from Prometheus" },
  { id: "D7", label: "7 d", title: "The last week, from Prometheus" },
];

/** The source in use, as the tab names it. */
export function sourceLabel(source: MetricsSource): string {
  switch (source.kind) {
    case "metricsApi":
      return "metrics.k8s.io";
    case "kubeletSummary":
      return "kubelet Summary API (node proxy)";
    case "prometheus":
      return `Prometheus ${source.namespace}/${source.service}:${source.port}`;
  }
}

export type FeedView =
  | { state: "opening" }
  | { state: "failed"; error: IpcError }
  | { state: "waiting"; source: MetricsSource }
  | { state: "drawn"; source: MetricsSource; revision: number };

/** The view after the latest event. */
export function feedView(openError: IpcError | null, last: MetricsChartEvent | null): FeedView {
  if (openError !== null) return { state: "failed", error: openError };
  if (last === null) return { state: "opening" };
  if (last.type === "failed") return { state: "failed", error: last.error };
  // A line needs two points; until then the chart would be empty.
  if (last.points < 2) return { state: "waiting", source: last.source };
  return { state: "drawn", source: last.source, revision: last.revision };
}

/** A stable key for a target, so a feed is reopened only when it changes. */
export function targetKey(target: MetricsTarget): string {
  switch (target.kind) {
    case "pod":
      return `pod/${target.namespace}/${target.name}`;
    case "node":
      return `node/${target.name}`;
    case "workload":
      return `workload/${target.workload}/${target.namespace}/${target.name}`;
    case "cluster":
      return "cluster";
  }
}

/** The chart target of an object, or null when its kind has no Metrics tab. */
export function metricsTargetOf(ref: {
  group: string;
  kind: string;
  namespace: string | null;
  name: string;
}): MetricsTarget | null {
  if (ref.group === "" && ref.kind === "Pod" && ref.namespace !== null)
    return { kind: "pod", namespace: ref.namespace, name: ref.name };
  if (ref.group === "" && ref.kind === "Node") return { kind: "node", name: ref.name };
  if (ref.group === "apps" && ref.namespace !== null) {
    if (ref.kind === "Deployment" || ref.kind === "StatefulSet" || ref.kind === "DaemonSet")
      return { kind: "workload", workload: ref.kind, namespace: ref.namespace, name: ref.name };
  }
  return null;
}
