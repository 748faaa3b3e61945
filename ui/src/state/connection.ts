import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { ConnectionState } from "../bindings/ConnectionState";
import type { IpcError } from "../bindings/IpcError";

/** What the UI knows about one context's connection: still checking, or the check's result. */
export type ConnectionView = { state: "checking" } | ConnectionCheck;

export type ViewState = ConnectionState | "checking";

export const CHECKING: ConnectionView = { state: "checking" };

/** Tone of the dot in the sidebar and the status bar. */
export type ConnectionTone = "busy" | "ok" | "warn" | "error";

const LABELS: Record<ViewState, string> = {
  checking: "checking…",
  reachable: "reachable",
  authFailed: "auth failed",
  tlsError: "TLS error",
  dnsError: "DNS error",
  timeout: "timeout",
  unreachable: "unreachable",
  error: "error",
};

/** Short text for a connection state, as shown in the status bar. */
export function connectionLabel(state: ViewState): string {
  return LABELS[state];
}

export function connectionTone(state: ViewState): ConnectionTone {
  switch (state) {
    case "checking":
      return "busy";
    case "reachable":
      return "ok";
    case "timeout":
      return "warn";
    case "authFailed":
    case "tlsError":
    case "dnsError":
    case "unreachable":
    case "error":
      return "error";
  }
}

/** True when the check finished and found a problem worth explaining. */
export function isFailure(view: ConnectionView): view is ConnectionCheck {
  return view.state !== "checking" && view.state !== "reachable";
}

/** Status-bar text: the label, plus the server version when reachable. */
export function connectionText(view: ConnectionView): string {
  if (view.state === "reachable" && view.serverVersion !== null && view.serverVersion !== "") {
    return `reachable · ${view.serverVersion}`;
  }
  return connectionLabel(view.state);
}

/** Tooltip of a context's state dot: the label, the version or the message. */
export function connectionTooltip(view: ConnectionView): string {
  if (view.state === "checking") return "Checking the connection…";
  const lines = [`Connection: ${connectionLabel(view.state)}`];
  if (view.serverVersion !== null && view.serverVersion !== "") {
    lines.push(`Server version: ${view.serverVersion}`);
  }
  if (view.message !== null && view.message !== "") lines.push(view.message);
  return lines.join("\n");
}

/**
 * A rejected check_connection call (e.g. the context vanished between the list
 * and the check) becomes an "error" result carrying the error's text.
 */
export function checkFromError(context: string, error: IpcError): ConnectionCheck {
  const message =
    error.detail !== null && error.detail !== "" ? `${error.message}: ${error.detail}` : error.message;
  return { context, state: "error", message, serverVersion: null };
}

/** Heading of the main-area notice for a failed check. */
export function failureTitle(state: ConnectionState): string {
  switch (state) {
    case "reachable":
      return "Connected";
    case "authFailed":
      return "The cluster rejected the credentials";
    case "tlsError":
      return "TLS handshake failed";
    case "dnsError":
      return "The server's name does not resolve";
    case "timeout":
      return "The server did not answer in time";
    case "unreachable":
      return "The server is unreachable";
    case "error":
      return "The connection check failed";
  }
}
