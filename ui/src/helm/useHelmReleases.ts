import { useEffect, useReducer } from "react";

import type { ViewEvent } from "../bindings/ViewEvent";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import type { RowsState } from "../resources/rows";
import { INITIAL_ROWS, rowsReducer } from "../resources/rows";
import { closeHelmReleases, openHelmReleases } from "./ipc";

export type ReleasesState = RowsState & { error: IpcError | null };

type Action = ViewEvent | { type: "reset" } | { type: "failed"; error: IpcError };

function reducer(state: ReleasesState, action: Action): ReleasesState {
  switch (action.type) {
    case "reset":
      return { ...INITIAL_ROWS, error: null };
    case "failed":
      return { ...state, error: action.error };
    default:
      return { ...rowsReducer(state, action), error: state.error };
  }
}

/** The live release table of `context` over `namespaces` ([] = all); closed on unmount. */
export function useHelmReleases(context: string, namespaces: readonly string[]): ReleasesState {
  const [state, dispatch] = useReducer(reducer, { ...INITIAL_ROWS, error: null });
  const key = JSON.stringify([context, namespaces]);
  useEffect(() => {
    const [ctx, ns] = JSON.parse(key) as [string, string[]];
    let live = true;
    let id: number | null = null;
    dispatch({ type: "reset" });
    openHelmReleases(ctx, ns, (event) => {
      if (live) dispatch(event);
    }).then(
      (opened) => {
        if (live) id = opened;
        else void closeHelmReleases(opened).catch(() => undefined);
      },
      (err: unknown) => {
        if (live) dispatch({ type: "failed", error: toIpcError(err) });
      },
    );
    return () => {
      live = false;
      if (id !== null) void closeHelmReleases(id).catch(() => undefined);
    };
  }, [key]);
  return state;
}
