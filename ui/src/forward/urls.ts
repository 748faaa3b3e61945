// The URL of a forward's local end, for the panel's link and Copy button.
// Only loopback URLs are built: the opener's scope (capabilities/main.json)
// allows exactly http(s)://127.0.0.1|localhost|[::1]:PORT/ and nothing else.
import type { ForwardStatus } from "../bindings/ForwardStatus";
import type { ListenerInfo } from "../bindings/ListenerInfo";

/** Remote ports that usually speak TLS. */
const HTTPS_PORTS = new Set([443, 8443]);

/** "https" for 443, 8443 or a port named https (or ending in -https); else "http". */
export function guessScheme(listener: Pick<ListenerInfo, "remote" | "remoteName">): "http" | "https" {
  const name = listener.remoteName?.toLowerCase() ?? "";
  if (HTTPS_PORTS.has(listener.remote) || name === "https" || name.endsWith("-https")) return "https";
  return "http";
}

/** Splits "127.0.0.1:8080" or "[::1]:8080" into host and port. */
export function splitAddress(local: string): { host: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(local);
  if (m === null) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1] ?? "", port };
}

/**
 * The loopback host to browse for a listener: itself when it is loopback,
 * the matching loopback for a wildcard bind, else null.
 */
export function loopbackHost(host: string): string | null {
  switch (host) {
    case "127.0.0.1":
    case "[::1]":
      return host;
    case "0.0.0.0":
      return "127.0.0.1";
    case "[::]":
      return "[::1]";
    default:
      // Other addresses (127.0.0.2, a LAN address) are outside the opener's scope.
      return null;
  }
}

/** The URL for one listener, or null when it is not reachable through loopback. */
export function listenerUrl(listener: ListenerInfo): string | null {
  const a = splitAddress(listener.local);
  if (a === null) return null;
  const host = loopbackHost(a.host);
  if (host === null) return null;
  return `${guessScheme(listener)}://${host}:${a.port.toString()}/`;
}

/**
 * The URL the panel shows, opens and copies: IPv4 loopback first (every
 * browser resolves it the same), then IPv6 loopback, then a wildcard bind.
 */
export function forwardUrl(status: Pick<ForwardStatus, "listeners">): string | null {
  const rank = (l: ListenerInfo) => (l.local.startsWith("127.") ? 0 : l.local.startsWith("[::1]") ? 1 : 2);
  const sorted = [...status.listeners].sort((a, b) => rank(a) - rank(b));
  for (const l of sorted) {
    const url = listenerUrl(l);
    if (url !== null) return url;
  }
  return null;
}
