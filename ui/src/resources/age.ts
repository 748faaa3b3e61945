// Durations as kubectl prints them (its HumanDuration), so ages read the same
// in Capstan as in a terminal.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${String(seconds)}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${String(minutes)}m` : `${String(minutes)}m${String(s)}s`;
  }
  if (minutes < 180) return `${String(minutes)}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${String(hours)}h` : `${String(hours)}h${String(m)}m`;
  }
  if (hours < 48) return `${String(hours)}h`;
  const days = Math.floor(ms / DAY);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${String(days)}d` : `${String(days)}d${String(h)}h`;
  }
  if (hours < 24 * 365 * 2) return `${String(days)}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${String(years)}y` : `${String(years)}y${String(d)}d`;
  }
  return `${String(years)}y`;
}

/** An age cell: time since `sinceMs`, or kubectl's "<unknown>". */
export function formatAge(sinceMs: number | null, nowMs: number): string {
  return sinceMs === null ? "<unknown>" : humanDuration(nowMs - sinceMs);
}

/** A restarts cell: "4 (2m ago)", or just the count when there is no last restart time. */
export function formatRestarts(count: number, lastMs: number | null, nowMs: number): string {
  if (count === 0 || lastMs === null) return String(count);
  return `${String(count)} (${humanDuration(nowMs - lastMs)} ago)`;
}
