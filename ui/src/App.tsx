import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";

import { AboutDialog } from "./about/AboutDialog";
import { AddClusterDialog } from "./components/AddClusterDialog";
import { CheatSheet } from "./components/CheatSheet";
import { MakeCurrentDialog, RemoveDialog, RenameDialog } from "./components/ContextDialogs";
import { Dock } from "./components/Dock";
import type { Flash } from "./components/MainArea";
import { MainArea } from "./components/MainArea";
import { NamespaceSwitcher } from "./components/NamespaceSwitcher";
import { Sidebar } from "./components/Sidebar";
import { StatusBar } from "./components/StatusBar";
import { useAppInfo } from "./hooks/useAppInfo";
import { useConnections } from "./hooks/useConnections";
import { useGlobalShortcuts } from "./hooks/useGlobalShortcuts";
import { useKubeconfig } from "./hooks/useKubeconfig";
import { useNamespace } from "./hooks/useNamespace";
import { usePrefs } from "./hooks/usePrefs";
import { CommandPalette } from "./palette/CommandPalette";
import type { PaletteKind, PaletteRun } from "./palette/items";
import { objectIndex } from "./palette/objectIndex";
import type { BrowserPlace, Selection } from "./resources/ResourceBrowser";
import { refKey } from "./resources/DetailsPanel";
import type { PanelRequest } from "./resources/rowKeys";
import type { Place } from "./state/history";
import { currentPlace, historyReducer, initialHistory } from "./state/history";
import type { Pin } from "./state/pins";
import { togglePin } from "./state/pins";
import { targetFor, targetTitle } from "./logs/opener";
import { toIpcError } from "./ipc";
import { CHECKING } from "./state/connection";
import { contextsOf, findContext } from "./state/contexts";
import type { DialogState } from "./state/dialogs";
import { makeCurrentResult, NO_DIALOG } from "./state/dialogs";
import { dockReducer, INITIAL_DOCK, shellTab } from "./state/dock";
import type { LogRequest } from "./logs/opener";
import { LogOpenerContext } from "./logs/opener";
import { ForwardPanelOpenerContext } from "./forward/opener";
import type { TerminalTarget } from "./shell/opener";
import { ShellOpenerContext } from "./shell/opener";
import { useRestoreSavedForwards } from "./forward/restore";
import { LocalClusters } from "./local/LocalClusters";
import { HelmSection } from "./helm/HelmSection";
import { ClusterOverview } from "./overview/ClusterOverview";
import { HelmRunOpenerContext } from "./helm/opener";
import type { ViewStatus } from "./bindings/ViewStatus";
import { resolveKind, STATIC_NAVIGATION } from "./resources/nav";
import { useDiscovery } from "./resources/useDiscovery";
import { DEFAULT_KIND, RESOURCE_GROUPS } from "./state/navigation";
import { deriveStatus, versionLabel } from "./state/status";
import { AccessContext, useAccessMatrix } from "./access/useAccess";
import { deniedNavKinds } from "./access/model";

const FALLBACK_KIND = RESOURCE_GROUPS[0]?.kinds[0] ?? { id: DEFAULT_KIND, label: "Pods" };

export function App() {
  const kubeconfig = useKubeconfig();
  const info = useAppInfo();
  const connections = useConnections(kubeconfig.state);
  const prefs = usePrefs();
  const [history, dispatchNav] = useReducer(
    historyReducer,
    { context: null, kind: DEFAULT_KIND, local: false, helm: false, object: null },
    initialHistory,
  );
  const here = currentPlace(history);
  const kindId = here.kind;
  const localOpen = here.local;
  const [request, setRequest] = useState<PanelRequest | null>(null);
  const requests = useRef(0);
  const [overlay, setOverlay] = useState<"palette" | "cheatSheet" | "about" | null>(null);
  const [dock, dispatchDock] = useReducer(dockReducer, INITIAL_DOCK);
  const [dialog, setDialog] = useState<DialogState>(NO_DIALOG);
  const [flash, setFlash] = useState<Flash | null>(null);
  const [viewStatus, setViewStatus] = useState<ViewStatus | null>(null);
  const helmOpen = here.helm;
  const overviewOpen = here.overview === true && !here.local && !here.helm;
  const logTabs = useRef(0);
  const openLogTab = useCallback((request: LogRequest) => {
    logTabs.current++;
    dispatchDock({ type: "add", tab: { id: `logs-${logTabs.current.toString()}`, kind: "logs", title: request.title, logs: request } });
  }, [dispatchDock]);

  const shellTabs = useRef(0);
  const openShellTab = useCallback((request: TerminalTarget) => {
    shellTabs.current++;
    dispatchDock({ type: "add", tab: shellTab(shellTabs.current, request) });
  }, [dispatchDock]);

  const openHelmRunTab = useCallback((id: string, title: string) => {
    dispatchDock({ type: "add", tab: { id, kind: "helm", title, helmRun: id } });
  }, [dispatchDock]);

  const openForwardTab = useCallback(() => {
    dispatchDock({ type: "add", tab: { id: "port-forwards", kind: "portForward", title: "Port forwards" } });
  }, [dispatchDock]);

  /** Moves to a new place; a request for its object's panel goes with it (or none). */
  const go = (to: Partial<Place>, push = true, withRequest: PanelRequest | null = null) => {
    // Every move leaves the overview page unless it says otherwise.
    dispatchNav({ type: "go", to: { overview: false, ...to }, push });
    setRequest(withRequest);
  };

  useGlobalShortcuts({
    commandPalette: () => {
      setOverlay((o) => (o === "palette" ? null : "palette"));
    },
    toggleDock: () => {
      dispatchDock({ type: "toggle" });
    },
    cheatSheet: () => {
      setOverlay("cheatSheet");
    },
    back: () => {
      dispatchNav({ type: "back" });
      setRequest(null);
    },
    forward: () => {
      dispatchNav({ type: "forward" });
      setRequest(null);
    },
  });

  const context = findContext(kubeconfig.state, kubeconfig.selected);
  const connection = context !== null ? (connections.get(context.name) ?? CHECKING) : null;
  const namespace = useNamespace(context);
  useRestoreSavedForwards(context?.name ?? null, connection?.state === "reachable", openForwardTab);
  const discovery = useDiscovery(context?.name ?? null, connection?.state === "reachable");
  const resolved = resolveKind(discovery.navigation, kindId) ?? resolveKind(STATIC_NAVIGATION, kindId);
  const kind = resolved?.kind ?? FALLBACK_KIND;
  const navKinds = discovery.navigation.kinds;
  const accessKinds = useMemo(() => [...navKinds.values()], [navKinds]);
  const access = useAccessMatrix(
    context?.name ?? null,
    namespace.selection?.kind === "named" ? namespace.selection.name : null,
    accessKinds,
    connection?.state === "reachable",
  );
  const deniedKinds = useMemo(() => deniedNavKinds(access?.matrix ?? null, navKinds), [access?.matrix, navKinds]);
  const status = deriveStatus(kubeconfig.state, context, connection, namespace.selection);
  const names = contextsOf(kubeconfig.state).map((c) => c.name);
  const selectedContext = kubeconfig.selected;
  const { lastViews } = prefs.prefs;

  /** The place a context opens on: its last view, else the kind shown now. */
  const placeOf = (name: string): Partial<Place> => {
    const last = lastViews[name];
    return {
      context: name,
      local: false,
      helm: false,
      kind: last?.kind ?? kindId,
      object: last?.object != null ? { ref: last.object, row: null } : null,
    };
  };

  // The selected context and the history's place follow each other (adjusted
  // while rendering, as React advises for state derived from a change).
  const [seenContext, setSeenContext] = useState<string | null>(null);
  const [seenPlaceContext, setSeenPlaceContext] = useState<string | null>(null);
  if (seenPlaceContext !== here.context) {
    // Back/forward (or a pin, the palette) went to another context: select it.
    setSeenPlaceContext(here.context);
    if (here.context !== null && here.context !== selectedContext && names.includes(here.context)) {
      setSeenContext(here.context);
      kubeconfig.select(here.context);
    }
  } else if (seenContext !== selectedContext) {
    // A context chosen outside the history (start, a reload, an added cluster) opens on its last view.
    setSeenContext(selectedContext);
    if (selectedContext !== null && selectedContext !== here.context) go(placeOf(selectedContext), here.context !== null);
  }
  // At start the settings may arrive after the context: restore its last view once they do.
  const [restored, setRestored] = useState(false);
  if (!restored && prefs.loaded && selectedContext !== null && here.context === selectedContext) {
    setRestored(true);
    if (history.entries.length === 1 && here.object === null) go(placeOf(selectedContext), false);
  }
  // Remember where each context was left, for the next switch and the next start.
  const { rememberView } = prefs;
  useEffect(() => {
    if (here.context === null || here.local || here.helm || !restored) return;
    const context = here.context;
    const timer = setTimeout(() => {
      rememberView(context, here.kind, here.object?.ref ?? null);
    }, 300);
    return () => {
      clearTimeout(timer);
    };
  }, [here, rememberView, restored]);

  const { setPins } = prefs;
  const pins = prefs.prefs.pins;
  const onTogglePin = (pin: Pin) => {
    setPins(togglePin(pins, pin)).catch((err: unknown) => {
      const e = toIpcError(err);
      setFlash({ text: `The pin could not be saved: ${e.message}`, detail: e.detail });
    });
  };

  const browserPlace: BrowserPlace = {
    selection: here.object,
    onSelection: (selection: Selection | null, push: boolean) => {
      go({ object: selection }, push);
    },
    request,
    onRequest: (action, target) => {
      requests.current++;
      setRequest({ action, target: refKey(target), seq: requests.current });
    },
    pins,
    onTogglePin,
    layouts: prefs.prefs.layouts,
    onLayout: prefs.setLayout,
  };

  const paletteKinds = useMemo(
    () =>
      discovery.navigation.groups.flatMap((g) =>
        g.kinds.flatMap((k): PaletteKind[] => {
          const info = discovery.navigation.kinds.get(k.id);
          return info !== undefined ? [{ id: k.id, label: k.label, info }] : [];
        }),
      ),
    [discovery.navigation],
  );

  const runPalette = (run: PaletteRun) => {
    switch (run.type) {
      case "kind":
        if (run.scope.type === "all") namespace.choose({ kind: "all" });
        if (run.scope.type === "named") namespace.choose({ kind: "named", name: run.scope.name });
        go({ kind: run.kindId, local: false, helm: false, object: null });
        return;
      case "context":
        if (run.name !== selectedContext) go(placeOf(run.name));
        return;
      case "namespace":
        namespace.choose({ kind: "named", name: run.name });
        return;
      case "object":
        go({ context: run.context, kind: run.kindId ?? kindId, local: false, helm: false, object: { ref: run.ref, row: null } });
        return;
      case "action": {
        const { ref } = run;
        if (run.action === "logs" || run.action === "shell") {
          if (ref.namespace === null) return;
          if (run.action === "shell") {
            openShellTab({ mode: "exec", context: run.context, namespace: ref.namespace, pod: ref.name, container: null });
            return;
          }
          const target = targetFor(ref.kind, ref.name);
          if (target !== null) openLogTab({ context: run.context, namespace: ref.namespace, target, title: targetTitle(target) });
          return;
        }
        requests.current++;
        go(
          { context: run.context, kind: run.kindId ?? kindId, local: false, helm: false, object: { ref, row: null } },
          true,
          { action: run.action, target: refKey(ref), seq: requests.current },
        );
        return;
      }
    }
  };

  const openPin = (pin: Pin) => {
    if (pin.type === "context") {
      if (pin.context !== selectedContext) go(placeOf(pin.context));
      else go({ local: false, helm: false });
      return;
    }
    const kind = paletteKinds.find((k) => k.info.group === pin.object.group && k.info.kind === pin.object.kind);
    go({ context: pin.context, kind: kind?.id ?? pin.object.plural, local: false, helm: false, object: { ref: pin.object, row: null } });
  };
  const closeDialog = () => {
    setDialog(NO_DIALOG);
  };

  return (
    <LogOpenerContext.Provider value={openLogTab}>
    <ForwardPanelOpenerContext.Provider value={openForwardTab}>
    <ShellOpenerContext.Provider value={openShellTab}>
    <AccessContext.Provider value={access}>
    <HelmRunOpenerContext.Provider value={openHelmRunTab}>
    <div
      className="app"
      data-testid={kubeconfig.settled ? "app-ready" : "app-loading"}
      data-kubeconfig={kubeconfig.state.status}
    >
      <Sidebar
        state={kubeconfig.state}
        connections={connections}
        selectedContext={kubeconfig.selected}
        onSelectContext={(name) => {
          if (name !== selectedContext) go(placeOf(name));
          else go({ local: false, helm: false });
        }}
        onContextAction={(action, name) => {
          setDialog({ type: action, context: name });
        }}
        onAddCluster={() => {
          setDialog({ type: "add" });
        }}
        groups={discovery.navigation.groups}
        deniedKinds={deniedKinds}
        selectedKind={localOpen || helmOpen || overviewOpen ? "" : kind.id}
        onSelectKind={(id) => {
          go({ kind: id, local: false, helm: false, object: null });
        }}
        onReload={() => {
          kubeconfig.reload();
        }}
        onOpenLocal={() => {
          go({ local: true, helm: false });
        }}
        localSelected={localOpen}
        onOpenHelm={
          context !== null
            ? () => {
                go({ local: false, helm: true });
              }
            : undefined
        }
        helmSelected={helmOpen}
        onOpenOverview={
          context !== null
            ? () => {
                go({ local: false, helm: false, overview: true });
              }
            : undefined
        }
        overviewSelected={overviewOpen}
        pins={pins}
        onOpenPin={openPin}
        onTogglePin={onTogglePin}
      />
      <div className="workspace">
        {localOpen ? (
          <LocalClusters
            contexts={names}
            hasCurrentContext={contextsOf(kubeconfig.state).some((c) => c.isCurrent)}
            onOpenContext={(name) => {
              go({ local: false, helm: false });
              kubeconfig.reload(name);
            }}
            onKubeconfigChanged={kubeconfig.refresh}
          />
        ) : overviewOpen && context !== null ? (
          <main className="main" aria-labelledby="overview-title">
            <header className="main__header">
              <h1 id="overview-title" className="main__title">
                Cluster overview
              </h1>
              <div className="main__scope">
                <span className="chip" title={`Context: ${context.name}`}>
                  {context.name}
                </span>
              </div>
            </header>
            <div className="main__body main__body--scroll">
              <ClusterOverview key={context.name} context={context.name} />
            </div>
          </main>
        ) : helmOpen && context !== null ? (
          <main className="main" aria-labelledby="helm-title">
            <header className="main__header">
              <h1 id="helm-title" className="main__title">
                Helm releases
              </h1>
              <div className="main__scope">
                <span className="chip" title={`Context: ${context.name}`}>
                  {context.name}
                </span>
                <NamespaceSwitcher key={context.name} namespace={namespace} />
              </div>
            </header>
            <div className="main__body main__body--browser">
              <HelmSection
                key={context.name}
                context={context.name}
                namespaces={namespace.selection?.kind === "named" ? [namespace.selection.name] : []}
                kinds={discovery.navigation.kinds}
                onOpenKind={(id) => {
                  go({ kind: id, local: false, helm: false, object: null });
                }}
              />
            </div>
          </main>
        ) : (
        <MainArea
          state={kubeconfig.state}
          context={context}
          connection={connection}
          namespace={namespace}
          kind={kind}
          kindInfo={resolved?.info ?? null}
          onViewStatus={setViewStatus}
          flash={flash}
          onDismissFlash={() => {
            setFlash(null);
          }}
          onReload={() => {
            kubeconfig.reload();
          }}
          place={browserPlace}
        />
        )}
        <Dock
          state={dock}
          dispatch={dispatchDock}
          context={context?.name ?? null}
          namespace={namespace.selection?.kind === "named" ? namespace.selection.name : null}
          onOpenTerminal={openShellTab}
          height={prefs.prefs.dockHeight}
          onHeight={prefs.setDockHeight}
        />
      </div>
      <StatusBar
        status={status}
        view={viewStatus}
        version={versionLabel(info?.version ?? null)}
        onAbout={() => {
          setOverlay("about");
        }}
      />
      {overlay === "palette" && (
        <CommandPalette
          sources={{
            context: selectedContext,
            kinds: paletteKinds,
            objects: selectedContext !== null ? objectIndex.kindsOf(selectedContext) : [],
            contexts: names,
            namespaces: namespace.list.status === "ok" ? namespace.list.names : [],
            pins,
          }}
          onRun={runPalette}
          onClose={() => {
            setOverlay(null);
          }}
        />
      )}
      {overlay === "about" && (
        <AboutDialog
          onClose={() => {
            setOverlay(null);
          }}
        />
      )}
      {overlay === "cheatSheet" && (
        <CheatSheet
          onClose={() => {
            setOverlay(null);
          }}
        />
      )}
      <Dialogs
        dialog={dialog}
        contexts={kubeconfig.state}
        names={names}
        onClose={closeDialog}
        onAdded={(first) => {
          closeDialog();
          kubeconfig.reload(first);
        }}
        onMadeCurrent={(f) => {
          closeDialog();
          setFlash(f);
          kubeconfig.refresh();
        }}
        onRenamed={(from, to) => {
          closeDialog();
          kubeconfig.reload(kubeconfig.selected === from ? to : undefined);
        }}
        onRemoved={() => {
          closeDialog();
          kubeconfig.reload();
        }}
      />
    </div>
    </HelmRunOpenerContext.Provider>
    </AccessContext.Provider>
    </ShellOpenerContext.Provider>
    </ForwardPanelOpenerContext.Provider>
    </LogOpenerContext.Provider>
  );
}

type DialogsProps = {
  dialog: DialogState;
  contexts: Parameters<typeof findContext>[0];
  names: string[];
  onClose: () => void;
  onAdded: (first: string | undefined) => void;
  onMadeCurrent: (flash: Flash) => void;
  onRenamed: (from: string, to: string) => void;
  onRemoved: () => void;
};

function Dialogs({
  dialog,
  contexts,
  names,
  onClose,
  onAdded,
  onMadeCurrent,
  onRenamed,
  onRemoved,
}: DialogsProps) {
  switch (dialog.type) {
    case "none":
      return null;
    case "add":
      return (
        <AddClusterDialog
          onCancel={onClose}
          onAdded={(added) => {
            onAdded(added.contexts[0]);
          }}
        />
      );
    case "makeCurrent":
      return (
        <MakeCurrentDialog
          context={dialog.context}
          onCancel={onClose}
          onDone={(outcome) => {
            onMadeCurrent({
              text: makeCurrentResult(dialog.context, outcome),
              detail: outcome.backup !== null ? `Backup of the previous file: ${outcome.backup}` : null,
            });
          }}
        />
      );
    case "rename":
    case "remove": {
      const context = findContext(contexts, dialog.context);
      // Only contexts Capstan manages can be renamed or removed.
      if (context?.managed !== true) return null;
      return dialog.type === "rename" ? (
        <RenameDialog
          context={context}
          existing={names}
          onCancel={onClose}
          onDone={(to) => {
            onRenamed(context.name, to);
          }}
        />
      ) : (
        <RemoveDialog context={context} onCancel={onClose} onDone={onRemoved} />
      );
    }
  }
}
