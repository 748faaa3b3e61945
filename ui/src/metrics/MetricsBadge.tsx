import type { MetricsStatus } from "./store";
import { describeSource } from "./store";

/**
 * Where a table's CPU/MEM figures come from, or why there are none (the
 * reason in full as the title). Nothing while the first reading is awaited.
 */
export function MetricsBadge({ status }: { status: MetricsStatus }) {
  switch (status.state) {
    case "waiting":
      return null;
    case "live":
      return (
        <span className="badge badge--muted" data-testid="metrics-source" data-state="live" title="Source of the CPU and MEM figures">
          {`metrics: ${describeSource(status.source)}`}
        </span>
      );
    case "unavailable":
      return (
        <span className="badge badge--warn" data-testid="metrics-source" data-state="unavailable" title={status.reason}>
          no metrics
        </span>
      );
  }
}
