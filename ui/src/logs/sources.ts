// What the view shows for sources and markers: a stable colour per pod and
// one line of text per marker.
import type { LogSource } from "../bindings/LogSource";
import type { MarkerKind } from "../bindings/MarkerKind";

// Distinct hues readable on the dark and the light theme.
const PALETTE = ["#4e9af1", "#e5a50a", "#33b679", "#e66100", "#c061cb", "#26a1a6", "#e01b24", "#9a9996"];

/** A colour for a source index (0, 1, 2 ...); the same index always gets the same colour. */
export function sourceColor(index: number): string {
  const fixed = PALETTE[index];
  if (fixed !== undefined) return fixed;
  // Beyond the palette: spread hues by the golden angle.
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue.toString()} 65% 55%)`;
}

/** The tag shown before a line: pod, plus the container when a pod has several streamed. */
export function sourceTag(source: LogSource, showContainer: boolean): string {
  return showContainer ? `${source.pod}/${source.container}` : source.pod;
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms.toString()} ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s.toString()} s` : `${Math.round(s / 60).toString()} min`;
}

export function markerText(marker: MarkerKind): string {
  switch (marker.kind) {
    case "started":
      return "stream started";
    case "reconnecting":
      return `connection lost, reconnecting: ${marker.reason}`;
    case "resumed":
      return marker.gap_ms > 0 ? `resumed after a gap of ${duration(marker.gap_ms)}` : "resumed";
    case "containerRestarted":
      return `container restarted (restart count ${marker.restart_count.toString()})`;
    case "ended":
      return `stream ended: ${marker.reason}`;
    case "failed":
      return `failed: ${marker.message}`;
  }
}
