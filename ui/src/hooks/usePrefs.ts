import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";

import type { ObjectRef } from "../bindings/ObjectRef";
import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import type { KindLayout, Pin, UiPrefs } from "../ipc/prefs";
import * as ipc from "../ipc/prefs";
import { queryClient } from "../query/client";

const KEY = ["ui-prefs"];

export type Prefs = {
  /** Empty until read (and when the settings file cannot be read: `error` says why). */
  prefs: UiPrefs;
  loaded: boolean;
  error: IpcError | null;
  setPins: (pins: Pin[]) => Promise<void>;
  rememberView: (context: string, kind: string, object: ObjectRef | null) => void;
  setLayout: (kind: string, layout: KindLayout) => void;
  setDockHeight: (height: number) => void;
};

function patch(change: (p: UiPrefs) => UiPrefs): void {
  queryClient.setQueryData<UiPrefs>(KEY, (p) => change(p ?? ipc.EMPTY_PREFS));
}

function report(what: string) {
  return (err: unknown) => {
    // The change applies for this run; only remembering it failed.
    console.warn(`Capstan could not remember ${what}:`, toIpcError(err).message);
  };
}

/** Pins, last views and panel sizes, read once and changed through Rust. */
export function usePrefs(): Prefs {
  const query = useQuery({ queryKey: KEY, queryFn: ipc.uiPrefs, staleTime: Infinity }, queryClient);
  const setPins = useCallback(async (pins: Pin[]) => {
    const stored = await ipc.setPins(pins);
    queryClient.setQueryData(KEY, stored);
  }, []);
  const rememberView = useCallback((context: string, kind: string, object: ObjectRef | null) => {
    patch((p) => ({ ...p, lastViews: { ...p.lastViews, [context]: { kind, object } } }));
    ipc.rememberView(context, kind, object).catch(report("the last view"));
  }, []);
  const setLayout = useCallback((kind: string, layout: KindLayout) => {
    patch((p) => ({ ...p, layouts: { ...p.layouts, [kind]: layout } }));
    ipc.setLayout(kind, layout).catch(report("the panel sizes"));
  }, []);
  const setDockHeight = useCallback((height: number) => {
    patch((p) => ({ ...p, dockHeight: height }));
    ipc.setDockHeight(height).catch(report("the dock height"));
  }, []);
  const data = query.data;
  const error = query.error;
  return useMemo(
    () => ({
      prefs: data ?? ipc.EMPTY_PREFS,
      loaded: data !== undefined || error !== null,
      error: error !== null ? toIpcError(error) : null,
      setPins,
      rememberView,
      setLayout,
      setDockHeight,
    }),
    [data, error, setPins, rememberView, setLayout, setDockHeight],
  );
}
