// The access matrix of the context and namespace in view, shared through
// AccessContext so the sidebar, the tables and the actions read one answer.
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext } from "react";

import type { AccessMatrix } from "../bindings/AccessMatrix";
import type { AccessQuery } from "../bindings/AccessQuery";
import type { KindInfo } from "../bindings/KindInfo";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { accessCheck, accessMatrix, accessRefresh } from "../ipc/access";
import { queryClient } from "../query/client";
import type { Gate } from "./model";
import { cellOf, gateOf, OPEN } from "./model";

export type Access = {
  context: string;
  namespace: string | null;
  matrix: AccessMatrix | null;
  error: IpcError | null;
};

/** Null outside a provider (tests of single components): every gate is open. */
export const AccessContext = createContext<Access | null>(null);

const accessKey = (context: string) => ["access", context] as const;

/**
 * Asks for the matrix when the context, the namespace or the kinds change
 * (the Rust cache starts afresh for another scope, so a switch refreshes).
 */
export function useAccessMatrix(
  context: string | null,
  namespace: string | null,
  kinds: readonly KindInfo[],
  enabled: boolean,
): Access | null {
  const names = kinds.map((k) => `${k.group}/${k.plural}`).join(",");
  const query = useQuery(
    {
      queryKey: [...accessKey(context ?? ""), namespace, names],
      queryFn: () => accessMatrix(context ?? "", namespace, kinds),
      enabled: enabled && context !== null && kinds.length > 0,
      // Stays until a switch, a 403 or a refresh asks again.
      staleTime: Infinity,
    },
    queryClient,
  );
  if (context === null) return null;
  return {
    context,
    namespace,
    matrix: query.data ?? null,
    error: query.error !== null ? toIpcError(query.error) : null,
  };
}

/** After a 403: drop the answers in Rust and here, so they are asked again. */
export function refreshAccess(context: string): void {
  void accessRefresh(context)
    .catch(() => undefined)
    .then(() => queryClient.invalidateQueries({ queryKey: accessKey(context) }));
}

/**
 * The gate of one action: the matrix's answer, or for a cell the matrix
 * cannot settle (an incomplete review, a subresource outside it) a single
 * SelfSubjectAccessReview. `what` words the action for the reason.
 */
export function useGate(query: AccessQuery | null, what: string): Gate {
  const access = useContext(AccessContext);
  const cell = access !== null && query !== null ? cellOf(access.matrix, query) : null;
  const ask = access?.matrix != null && query !== null && (cell === null || cell.state === "unknown");
  const checked = useQuery(
    {
      queryKey: [...accessKey(access?.context ?? ""), "check", query],
      queryFn: async () => (await accessCheck(access?.context ?? "", query === null ? [] : [query]))[0] ?? null,
      enabled: ask,
      staleTime: Infinity,
    },
    queryClient,
  );
  if (access === null || query === null) return OPEN;
  return gateOf(ask ? (checked.data ?? null) : cell, what);
}
