// The metrics columns of a table: which ones a kind has, their text as
// kubectl top writes it, how they sort, and when a percentage is high.
// Pure, tested in cells.test.ts.
import type { MetricCells } from "../bindings/MetricCells";
import type { Row } from "../bindings/Row";

export type MetricKey = "cpu" | "memory" | "cpuOfRequest" | "cpuOfLimit" | "memoryOfRequest" | "memoryOfLimit";

export const METRIC_COLUMNS: readonly { key: MetricKey; name: string }[] = [
  { key: "cpu", name: "CPU" },
  { key: "memory", name: "MEM" },
  { key: "cpuOfRequest", name: "%CPU/R" },
  { key: "cpuOfLimit", name: "%CPU/L" },
  { key: "memoryOfRequest", name: "%MEM/R" },
  { key: "memoryOfLimit", name: "%MEM/L" },
];

/** The metric columns of a table: all six for pods, CPU and MEM otherwise. */
export function metricColumns(kind: { group: string; plural: string }): readonly { key: MetricKey; name: string }[] {
  return kind.group === "" && kind.plural === "pods" ? METRIC_COLUMNS : METRIC_COLUMNS.slice(0, 2);
}

/** The key Rust sends a row's cells under: namespace/name, or the name. */
export function metricsKey(row: Pick<Row, "namespace" | "name">): string {
  return row.namespace !== null ? `${row.namespace}/${row.name}` : row.name;
}

/** CPU as kubectl top writes it: millicores rounded up. */
export function formatCpu(cores: number): string {
  return `${String(Math.ceil(cores * 1000 - 1e-9))}m`;
}

/** Memory as kubectl top writes it: whole MiB rounded down. */
export function formatMemory(bytes: number): string {
  return `${String(Math.floor(bytes / (1024 * 1024)))}Mi`;
}

export type Level = "ok" | "warn" | "over";

/** A percentage's level: at 80 % a warning, at 100 % over. */
export function level(percent: number): Level {
  return percent >= 100 ? "over" : percent >= 80 ? "warn" : "ok";
}

/** A cell's text and level; "n/a" where the pod sets no request/limit. */
export function metricText(cells: MetricCells | undefined, key: MetricKey): { text: string; level: Level | null } {
  if (cells === undefined) return { text: "", level: null };
  switch (key) {
    case "cpu":
      return { text: formatCpu(cells.cpu), level: null };
    case "memory":
      return { text: formatMemory(cells.memory), level: null };
    default: {
      const value = cells[key];
      if (value === null) return { text: "n/a", level: null };
      return { text: `${String(Math.round(value))}%`, level: level(value) };
    }
  }
}

/** A cell's sort value; rows without figures sort last. */
export function metricSortValue(cells: MetricCells | undefined, key: MetricKey): number | null {
  if (cells === undefined) return null;
  return cells[key];
}
