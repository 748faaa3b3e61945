import { useCallback, useEffect, useState } from "react";

import type { ContextSummary } from "../bindings/ContextSummary";
import type { IpcError, NamespaceSelection } from "../ipc";
import { getNamespace, listNamespaces, setNamespace, toIpcError } from "../ipc";
import { resolveNamespace } from "../state/namespace";

export type NamespaceList =
  | { status: "loading" }
  | { status: "ok"; names: string[] }
  | { status: "error"; error: IpcError };

export type Namespace = {
  /** The namespace the selected context is viewed in (null without a context). */
  selection: NamespaceSelection | null;
  /** The cluster's namespaces, for the switcher. */
  list: NamespaceList;
  /** set_namespace failed: the choice applies now but will not be remembered. */
  saveError: IpcError | null;
  choose: (selection: NamespaceSelection) => void;
  retryList: () => void;
};

type Keyed<T> = { context: string; value: T };

/**
 * The namespace of the selected context: on selection, the remembered one
 * (get_namespace), else the context's own, else "default"; the cluster's
 * namespaces are listed alongside. Choosing one remembers it (set_namespace).
 */
export function useNamespace(context: ContextSummary | null): Namespace {
  const name = context?.name ?? null;
  const [chosen, setChosen] = useState<Keyed<NamespaceSelection> | null>(null);
  const [listed, setListed] = useState<Keyed<NamespaceList> | null>(null);
  const [saveError, setSaveError] = useState<Keyed<IpcError> | null>(null);
  const [listRound, setListRound] = useState(0);

  useEffect(() => {
    if (name === null) return;
    let live = true;
    getNamespace(name).then(
      (remembered) => {
        if (!live || remembered === null) return;
        // A choice made while this was in flight wins.
        setChosen((prev) => (prev?.context === name ? prev : { context: name, value: remembered }));
      },
      () => {
        // Nothing remembered that we can read: the context's own namespace applies.
      },
    );
    return () => {
      live = false;
    };
  }, [name]);

  useEffect(() => {
    if (name === null) return;
    let live = true;
    listNamespaces(name).then(
      (names) => {
        if (live) setListed({ context: name, value: { status: "ok", names } });
      },
      (err: unknown) => {
        if (live) setListed({ context: name, value: { status: "error", error: toIpcError(err) } });
      },
    );
    return () => {
      live = false;
    };
  }, [name, listRound]);

  const choose = useCallback(
    (selection: NamespaceSelection) => {
      if (name === null) return;
      setChosen({ context: name, value: selection });
      setSaveError(null);
      setNamespace(name, selection).catch((err: unknown) => {
        setSaveError({ context: name, value: toIpcError(err) });
      });
    },
    [name],
  );

  const retryList = useCallback(() => {
    setListed(null);
    setListRound((n) => n + 1);
  }, []);

  if (context === null) {
    return { selection: null, list: { status: "loading" }, saveError: null, choose, retryList };
  }
  const remembered = chosen?.context === context.name ? chosen.value : null;
  return {
    selection: resolveNamespace(remembered, context),
    list: listed?.context === context.name ? listed.value : { status: "loading" },
    saveError: saveError?.context === context.name ? saveError.value : null,
    choose,
    retryList,
  };
}
