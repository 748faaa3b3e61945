import type { ErrorKind } from "../bindings/ErrorKind";
import type { IpcError } from "../bindings/IpcError";

const ERROR_KINDS: ReadonlySet<string> = new Set<ErrorKind>([
  "invalidInput",
  "kubeconfig",
  "connection",
  "auth",
  "tls",
  "notFound",
  "conflict",
  "docker",
  "io",
  "internal",
  "noShell",
  "cancelled",
  "forbidden",
]);

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && ERROR_KINDS.has(value);
}

/** True when `value` already has the `{kind, message, detail}` shape the Rust side sends. */
export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isErrorKind(v.kind) &&
    typeof v.message === "string" &&
    (v.detail === null || typeof v.detail === "string")
  );
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === "string") return err;
  if (typeof err === "object" && err !== null) {
    try {
      return JSON.stringify(err);
    } catch {
      // fall through to String()
    }
  }
  return String(err);
}

/**
 * Turn whatever a rejected `invoke` produced into an `IpcError`.
 * Structured errors from the backend pass through unchanged (a missing
 * `detail` becomes null); anything else is an "internal" error.
 */
export function toIpcError(err: unknown): IpcError {
  if (isIpcError(err)) {
    const out: IpcError = { kind: err.kind, message: err.message, detail: err.detail };
    // A 403 of a list or watch says what was refused.
    if (err.denial != null) out.denial = err.denial;
    return out;
  }
  if (typeof err === "object" && err !== null) {
    const v = err as Record<string, unknown>;
    if (isErrorKind(v.kind) && typeof v.message === "string" && v.detail === undefined) {
      return { kind: v.kind, message: v.message, detail: null };
    }
  }
  return { kind: "internal", message: describe(err), detail: null };
}

const TITLES: Record<ErrorKind, string> = {
  invalidInput: "Invalid input",
  kubeconfig: "Kubeconfig could not be read",
  connection: "Cannot reach the cluster",
  auth: "Authentication failed",
  tls: "TLS error",
  notFound: "Not found",
  conflict: "Conflict",
  docker: "Docker error",
  io: "File error",
  internal: "Something went wrong",
  noShell: "No shell in the container",
  cancelled: "Cancelled",
  forbidden: "Not allowed",
};

/** Short heading for an error panel. */
export function errorTitle(kind: ErrorKind): string {
  return TITLES[kind];
}
