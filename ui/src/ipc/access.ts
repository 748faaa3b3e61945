// Typed wrappers over the access commands (capstan_kube::access).
import type { AccessMatrix } from "../bindings/AccessMatrix";
import type { AccessQuery } from "../bindings/AccessQuery";
import type { Decision } from "../bindings/Decision";
import type { KindInfo } from "../bindings/KindInfo";
import { invokeCommand, loadDevMock } from "./index";

export type { AccessMatrix, AccessQuery, Decision };

export const ACCESS_COMMANDS = {
  matrix: "access_matrix",
  check: "access_check",
  refresh: "access_refresh",
} as const;

type AccessCommand = (typeof ACCESS_COMMANDS)[keyof typeof ACCESS_COMMANDS];

function call<T>(command: AccessCommand, args: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadDevMock : undefined);
}

/** What the user may do with `kinds` in `namespace` (null: all namespaces). */
export function accessMatrix(context: string, namespace: string | null, kinds: readonly KindInfo[]): Promise<AccessMatrix> {
  return call<AccessMatrix>(ACCESS_COMMANDS.matrix, { context, namespace, kinds });
}

/** Single checks through SelfSubjectAccessReview, answered in order. */
export function accessCheck(context: string, queries: readonly AccessQuery[]): Promise<Decision[]> {
  return call<Decision[]>(ACCESS_COMMANDS.check, { context, queries });
}

/** Drops the cached answers of `context` (after a 403). */
export async function accessRefresh(context: string): Promise<void> {
  await call<null>(ACCESS_COMMANDS.refresh, { context });
}
