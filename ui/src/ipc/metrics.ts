// Typed wrappers over the metrics commands: a table's CPU/MEM cells (their
// own Channel, apart from the rows), and for charts and the cluster
// overview, a sampler subscription, series and the overview's figures.
import { Channel } from "@tauri-apps/api/core";

import type { ClusterOverview } from "../bindings/ClusterOverview";
import type { KindInfo } from "../bindings/KindInfo";
import type { MetricsEvent } from "../bindings/MetricsEvent";
import type { MetricsRange } from "../bindings/MetricsRange";
import type { MetricsSeries } from "../bindings/MetricsSeries";
import type { MetricsTarget } from "../bindings/MetricsTarget";
import { invokeCommand, loadDevMock, mockScenario } from "./index";

export type { ClusterOverview, MetricsEvent, MetricsRange, MetricsSeries, MetricsTarget };

export const METRICS_COMMANDS = {
  openViewMetrics: "open_view_metrics",
  closeViewMetrics: "close_view_metrics",
  clusterOverview: "cluster_overview",
} as const;

type MetricsCommand = (typeof METRICS_COMMANDS)[keyof typeof METRICS_COMMANDS];

function call<T>(command: MetricsCommand, args: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadDevMock : undefined);
}

/**
 * Starts the CPU/MEM cells of a table; `onEvent` gets only rows whose
 * figures changed. Resolves with the id for closeViewMetrics, or null when
 * the kind has no metrics columns.
 */
export function openViewMetrics(
  params: { context: string; kind: KindInfo; namespaces: string[] },
  onEvent: (event: MetricsEvent) => void,
): Promise<number | null> {
  const channel = mockScenario() !== null ? { onmessage: onEvent } : new Channel<MetricsEvent>(onEvent);
  return call<number | null>(METRICS_COMMANDS.openViewMetrics, { ...params, channel });
}

export async function closeViewMetrics(id: number): Promise<void> {
  await call<null>(METRICS_COMMANDS.closeViewMetrics, { id });
}

export function clusterOverview(context: string): Promise<ClusterOverview> {
  return call<ClusterOverview>(METRICS_COMMANDS.clusterOverview, { context });
}
