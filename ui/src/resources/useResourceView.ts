import { useEffect, useReducer } from "react";

import type { KindInfo } from "../bindings/KindInfo";
import type { ViewEvent } from "../bindings/ViewEvent";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { closeView, openView } from "../ipc/resources";
import { refreshAccess } from "../access/useAccess";
import type { RowsState } from "./rows";
import { INITIAL_ROWS, rowsReducer } from "./rows";

export type ViewState = RowsState & { error: IpcError | null };

type Action = ViewEvent | { type: "reset" } | { type: "failed"; error: IpcError };

function reducer(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case "reset":
      return { ...INITIAL_ROWS, error: null };
    case "failed":
      // A refused list ends the view as "not allowed", never "listing…".
      return action.error.denial != null
        ? { ...state, error: action.error, status: { state: "notAllowed", denial: action.error.denial } }
        : { ...state, error: action.error };
    default:
      return { ...rowsReducer(state, action), error: state.error };
  }
}

/**
 * A live view of `kind`: opened on mount and whenever a parameter changes,
 * closed on unmount or before re-opening. One state update per channel message.
 */
export function useResourceView(
  context: string,
  kind: KindInfo,
  namespaces: readonly string[],
  labelSelector: string | null,
): ViewState {
  const [state, dispatch] = useReducer(reducer, { ...INITIAL_ROWS, error: null });
  // Parameters as one string: a new array with the same names must not re-open.
  const key = JSON.stringify([context, kind, namespaces, labelSelector]);
  useEffect(() => {
    const [ctx, k, ns, selector] = JSON.parse(key) as [string, KindInfo, string[], string | null];
    let live = true;
    let id: number | null = null;
    dispatch({ type: "reset" });
    openView({ context: ctx, kind: k, namespaces: ns, labelSelector: selector }, (event) => {
      // Messages of a view being closed must not reach the next one.
      if (!live) return;
      dispatch(event);
      // Rust dropped its answers on the 403; the UI's must go too.
      if (event.type === "status" && event.status.state === "notAllowed") refreshAccess(ctx);
    }).then(
      (opened) => {
        if (live) id = opened;
        else void closeView(opened).catch(() => undefined);
      },
      (err: unknown) => {
        if (!live) return;
        const error = toIpcError(err);
        dispatch({ type: "failed", error });
        if (error.kind === "forbidden") refreshAccess(ctx);
      },
    );
    return () => {
      live = false;
      if (id !== null) void closeView(id).catch(() => undefined);
    };
  }, [key]);
  return state;
}
