// The forwards the panel shows live in the query cache: list_forwards fills
// it, each forward's status Channel (start_forward) updates it as states
// change, and actions invalidate it.
import type { ForwardStatus } from "../bindings/ForwardStatus";
import { queryClient } from "../query/client";
import { forwardsReducer } from "./state";

export const FORWARDS_KEY = ["forwards"] as const;

export const savedForwardsKey = (context: string | null) => ["savedForwards", context] as const;

/** A status from a forward's Channel (or a command's answer), into the shown list. */
export function recordForwardStatus(status: ForwardStatus): void {
  queryClient.setQueryData<ForwardStatus[]>(FORWARDS_KEY, (old) => forwardsReducer(old ?? [], { type: "status", status }));
}

/** Fetch the list and the saved forwards again (a forward started, stopped or restored). */
export function invalidateForwards(): void {
  void queryClient.invalidateQueries({ queryKey: FORWARDS_KEY });
  void queryClient.invalidateQueries({ queryKey: ["savedForwards"] });
}
