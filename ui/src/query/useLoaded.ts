import type { QueryKey } from "@tanstack/react-query";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { queryClient } from "./client";

export type Loaded<T> =
  | { status: "loading" }
  | { status: "ok"; value: T }
  | { status: "error"; error: IpcError };

/**
 * One backend answer through the query cache, as the panels render it:
 * loading, the value, or an IpcError. `key` names what is loaded (a new key
 * shows its cached value at once, else "loading"); `revision` changing (the
 * table's row of the object changed) fetches again without blanking the value
 * shown, as `reload` does.
 */
export function useLoaded<T>(
  key: QueryKey,
  load: () => Promise<T>,
  revision: unknown = null,
): Loaded<T> & { reload: () => void } {
  const query = useQuery({ queryKey: key, queryFn: load }, queryClient);
  const { refetch } = query;
  const reload = useCallback(() => {
    void refetch();
  }, [refetch]);

  // The first render's revision is what the fetch on mount already reads.
  const seen = useRef(revision);
  useEffect(() => {
    if (Object.is(seen.current, revision)) return;
    seen.current = revision;
    void refetch();
  }, [revision, refetch]);

  if (query.status === "error") return { status: "error", error: toIpcError(query.error), reload };
  if (query.status === "pending") return { status: "loading", reload };
  return { status: "ok", value: query.data, reload };
}

/** Every answer cached about one object (details, events, YAML) is stale: fetch again where shown. */
export function invalidateObject(context: string, refKey: string): void {
  void queryClient.invalidateQueries({ queryKey: ["object", context, refKey] });
}
