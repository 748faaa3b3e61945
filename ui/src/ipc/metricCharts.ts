// Typed wrappers over the metrics-chart commands: Rust opens a CPU and a
// memory chart of a target and keeps their data current; the page is told
// over a Channel when to ask for frames, or why there is nothing to draw.
import { Channel } from "@tauri-apps/api/core";

import type { MetricsChartEvent } from "../bindings/MetricsChartEvent";
import type { MetricsCharts } from "../bindings/MetricsCharts";
import type { MetricsRange } from "../bindings/MetricsRange";
import type { MetricsTarget } from "../bindings/MetricsTarget";
import { invokeCommand, mockScenario } from "./index";

export type { MetricsChartEvent, MetricsCharts };

export const METRIC_CHART_COMMANDS = {
  openMetricsCharts: "open_metrics_charts",
  closeMetricsCharts: "close_metrics_charts",
} as const;

export function openMetricsCharts(
  params: { context: string; target: MetricsTarget; range: MetricsRange },
  onEvent: (event: MetricsChartEvent) => void,
): Promise<MetricsCharts> {
  const channel = mockScenario() !== null ? { onmessage: onEvent } : new Channel<MetricsChartEvent>(onEvent);
  return invokeCommand<MetricsCharts>(METRIC_CHART_COMMANDS.openMetricsCharts, { ...params, channel });
}

/** Stops the feed and closes both of its charts. */
export async function closeMetricsCharts(id: number): Promise<void> {
  await invokeCommand<null>(METRIC_CHART_COMMANDS.closeMetricsCharts, { id });
}
