// Figures of the cluster overview, as kubectl top writes them.

/** Cores as millicores below one core (`250m`), else cores (`1.5`). */
export function formatCores(cores: number): string {
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  return `${Number(cores.toFixed(2))}`;
}

const UNITS = ["Ki", "Mi", "Gi", "Ti", "Pi"] as const;

/** Bytes in binary multiples (`512Mi`, `1.5Gi`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)}B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(value >= 100 ? 0 : 1))}${UNITS[unit]}`;
}

/** Whole percent of allocatable in use, or null without a figure. */
export function usageShare(used: number | null, allocatable: number): number | null {
  if (used === null || !(allocatable > 0)) return null;
  return Math.round((used / allocatable) * 100);
}
