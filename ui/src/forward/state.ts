// Pure helpers for the port-forward panel: the list reducer, byte
// formatting and local-port validation.
import type { ForwardStatus } from "../bindings/ForwardStatus";
import { forwardUrl } from "./urls";

export type ForwardAction =
  | { type: "status"; status: ForwardStatus }
  | { type: "list"; statuses: ForwardStatus[] }
  | { type: "removed"; id: number }
  | { type: "clear" };

/** Forwards by id, in start order (ids grow). A stopped forward leaves the list. */
export function forwardsReducer(state: ForwardStatus[], action: ForwardAction): ForwardStatus[] {
  switch (action.type) {
    case "list":
      return [...action.statuses].sort((a, b) => a.id - b.id);
    case "removed":
      return state.filter((f) => f.id !== action.id);
    case "clear":
      return [];
    case "status": {
      const s = action.status;
      if (s.state === "stopped") return state.filter((f) => f.id !== s.id);
      const i = state.findIndex((f) => f.id === s.id);
      if (i < 0) return [...state, s].sort((a, b) => a.id - b.id);
      const next = [...state];
      next[i] = s;
      return next;
    }
  }
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "–";
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/**
 * A local port typed by the user: "" = same as remote (null), "0" = OS-picked,
 * else 1–65535. Returns an error message for anything else.
 */
export function parseLocalPort(text: string): { ok: true; port: number | null } | { ok: false; error: string } {
  const t = text.trim();
  if (t === "") return { ok: true, port: null };
  if (!/^\d+$/.test(t)) return { ok: false, error: `"${t}" is not a port number` };
  const n = Number(t);
  if (n > 65535) return { ok: false, error: `${n} is above 65535` };
  return { ok: true, port: n };
}

/** The forward's local URL (what the panel opens and copies); see ./urls. */
export function localUrl(status: ForwardStatus): string | null {
  return forwardUrl(status);
}

/** True when some listener is reachable from beyond this machine. */
export function exposed(status: ForwardStatus): boolean {
  return status.listeners.some((l) => !l.local.startsWith("127.") && !l.local.startsWith("[::1]"));
}
