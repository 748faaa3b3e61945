// Pure helpers for the node image pull while creating a local cluster: what
// the backend's (throttled) pull reports add up to, as text and percentages.
import type { LayerPhase } from "../bindings/LayerPhase";
import type { LayerProgress } from "../bindings/LayerProgress";
import type { Step } from "../bindings/Step";
import { formatBytes } from "../forward/state";

export type PullStep = Extract<Step, { step: "pullProgress" }>;

/** The latest pull report: every layer so far and the download bytes. */
export type PullView = { image: string; layers: LayerProgress[]; downloaded: number; total: number | null };

export function pullView(step: PullStep): PullView {
  return { image: step.image, layers: step.layers, downloaded: step.downloaded, total: step.total };
}

const FINISHED: ReadonlySet<LayerPhase> = new Set<LayerPhase>(["complete", "exists"]);

export function layersDone(p: PullView): number {
  return p.layers.filter((l) => FINISHED.has(l.phase)).length;
}

function percent(current: number, total: number): number {
  return total <= 0 ? 0 : Math.min(100, Math.floor((current / total) * 100));
}

/** Of the bytes to download, 0–100; null while a layer's size is unknown. */
export function pullPercent(p: PullView): number | null {
  if (p.total === null) return null;
  // Every layer already present: nothing to download.
  if (p.total === 0) return p.layers.length > 0 && layersDone(p) === p.layers.length ? 100 : 0;
  return percent(p.downloaded, p.total);
}

function layerCount(p: PullView): string {
  return `${layersDone(p).toString()}/${p.layers.length.toString()} layers`;
}

/** The image row while pulling. */
export function pullingLabel(p: PullView): string {
  const pct = pullPercent(p);
  const bytes =
    pct === null || p.total === null
      ? formatBytes(p.downloaded)
      : `${pct.toString()}% of ${formatBytes(p.total)}`;
  return `Pulling ${p.image}: ${bytes}, ${layerCount(p)}`;
}

/** The image row once pulled; what the pull did when it was reported. */
export function pulledLabel(image: string, p: PullView | null): string {
  if (p?.image !== image) return `Pulled ${image}`;
  const present = p.layers.filter((l) => l.phase === "exists").length;
  const layers = `${p.layers.length.toString()} layer${p.layers.length === 1 ? "" : "s"}`;
  const reused = present > 0 ? `, ${present.toString()} already present` : "";
  return `Pulled ${image} (${formatBytes(p.downloaded)}, ${layers}${reused})`;
}

export const PHASE_LABEL: Record<LayerPhase, string> = {
  waiting: "Waiting",
  downloading: "Downloading",
  downloaded: "Downloaded",
  extracting: "Extracting",
  complete: "Done",
  exists: "Already present",
};

/** A layer's share of its current phase, 0–100; null when it has none. */
export function layerPercent(l: LayerProgress): number | null {
  if (l.phase === "complete" || l.phase === "downloaded") return 100;
  if ((l.phase === "downloading" || l.phase === "extracting") && l.total !== null) return percent(l.current, l.total);
  return null;
}

/** One layer, compact: "Downloading 1.2 of 3.0 MiB", "Extracting 40%", "Done". */
export function layerText(l: LayerProgress): string {
  const label = PHASE_LABEL[l.phase];
  switch (l.phase) {
    case "downloading":
      return l.total === null
        ? `${label} ${formatBytes(l.current)}`
        : `${label} ${formatBytes(l.current)} of ${formatBytes(l.total)}`;
    case "extracting":
      return l.total === null ? label : `${label} ${percent(l.current, l.total).toString()}%`;
    case "complete":
    case "downloaded":
      return l.total === null ? label : `${label}, ${formatBytes(l.total)}`;
    case "waiting":
    case "exists":
      return label;
  }
}
