// The toolbar's option values and how they become the backend's LogOptions.
import type { ContainerChoice } from "../bindings/ContainerChoice";
import type { LogOptions } from "../bindings/LogOptions";

export type Since = { kind: "none" } | { kind: "seconds"; seconds: number } | { kind: "time"; time: string };

export type ToolbarOptions = {
  tailLines: number | null;
  since: Since;
  timestamps: boolean;
  previous: boolean;
  container: ContainerChoice;
};

export const DEFAULT_TAIL = 500;

export const DEFAULT_OPTIONS: ToolbarOptions = {
  tailLines: DEFAULT_TAIL,
  since: { kind: "none" },
  timestamps: false,
  previous: false,
  container: { kind: "default" },
};

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Reads a "since" the user typed: a duration (`90s`, `5m`, `1h30m`, `2d`) or
 * an RFC 3339 time. Empty means no limit; anything else is an error message.
 */
export function parseSince(input: string): Since | { error: string } {
  const text = input.trim();
  if (text === "") return { kind: "none" };
  if (/^(\d+[smhd])+$/.test(text)) {
    let seconds = 0;
    for (const m of text.matchAll(/(\d+)([smhd])/g)) {
      seconds += Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1);
    }
    if (seconds <= 0) return { error: "the duration must be longer than zero" };
    return { kind: "seconds", seconds };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    return { kind: "time", time: text };
  }
  return { error: "use a duration like 5m, 1h or 2h30m, or a time like 2024-05-01T10:00:00Z" };
}

/** Reads the tail field: empty means the whole log. */
export function parseTail(input: string): number | null | { error: string } {
  const text = input.trim();
  if (text === "") return null;
  if (!/^\d+$/.test(text)) return { error: "the number of lines must be a whole number" };
  return Number(text);
}

export function toLogOptions(namespace: string, o: ToolbarOptions): LogOptions {
  return {
    namespace,
    // The stream always follows; "follow off" in the view pauses appending.
    follow: true,
    tailLines: o.tailLines,
    sinceSeconds: o.since.kind === "seconds" ? o.since.seconds : null,
    sinceTime: o.since.kind === "time" ? o.since.time : null,
    timestamps: o.timestamps,
    previous: o.previous,
    container: o.container,
  };
}
