import { useCallback, useMemo, useReducer, useRef, useState } from "react";

import { AddClusterDialog } from "./components/AddClusterDialog";
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
  const [kindId, setKindId] = useState(DEFAULT_KIND);
  const [dock, dispatchDock] = useReducer(dockReducer, INITIAL_DOCK);
  const [dialog, setDialog] = useState<DialogState>(NO_DIALOG);
  const [flash, setFlash] = useState<Flash | null>(null);
  const [viewStatus, setViewStatus] = useState<ViewStatus | null>(null);
  const [localOpen, setLocalOpen] = useState(false);
  const [helmOpen, setHelmOpen] = useState(false);
  const logTabs = useRef(0);
  const openLogTab = useCallback((request: LogRequest) => {
    logTabs.current++;
    dispatchDock({ type: "add", tab: { id: `logs-${logTabs.current.toString()}`, kind: "logs", title: request.title, logs: request } });
  }, []);

  const shellTabs = useRef(0);
  const openShellTab = useCallback((request: TerminalTarget) => {
    shellTabs.current++;
    dispatchDock({ type: "add", tab: shellTab(shellTabs.current, request) });
  }, []);

  const openHelmRunTab = useCallback((id: string, title: string) => {
    dispatchDock({ type: "add", tab: { id, kind: "helm", title, helmRun: id } });
  }, []);

  const openForwardTab = useCallback(() => {
    dispatchDock({ type: "add", tab: { id: "port-forwards", kind: "portForward", title: "Port forwards" } });
  }, []);

  useGlobalShortcuts({
    commandPalette: () => {
      // Command palette (Ctrl/Cmd+K) arrives in a later issue; the shortcut is reserved here.
    },
    toggleDock: () => {
      dispatchDock({ type: "toggle" });
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
          setLocalOpen(false);
          setHelmOpen(false);
          kubeconfig.select(name);
        }}
        onContextAction={(action, name) => {
          setDialog({ type: action, context: name });
        }}
        onAddCluster={() => {
          setDialog({ type: "add" });
        }}
        groups={discovery.navigation.groups}
        deniedKinds={deniedKinds}
        selectedKind={localOpen || helmOpen ? "" : kind.id}
        onSelectKind={(id) => {
          setLocalOpen(false);
          setHelmOpen(false);
          setKindId(id);
        }}
        onReload={() => {
          kubeconfig.reload();
        }}
        onOpenLocal={() => {
          setHelmOpen(false);
          setLocalOpen(true);
        }}
        localSelected={localOpen}
        onOpenHelm={
          context !== null
            ? () => {
                setLocalOpen(false);
                setHelmOpen(true);
              }
            : undefined
        }
        helmSelected={helmOpen}
      />
      <div className="workspace">
        {localOpen ? (
          <LocalClusters
            contexts={names}
            hasCurrentContext={contextsOf(kubeconfig.state).some((c) => c.isCurrent)}
            onOpenContext={(name) => {
              setLocalOpen(false);
              kubeconfig.reload(name);
            }}
            onKubeconfigChanged={kubeconfig.refresh}
          />
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
                  setHelmOpen(false);
                  setKindId(id);
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
        />
        )}
        <Dock
          state={dock}
          dispatch={dispatchDock}
          context={context?.name ?? null}
          namespace={namespace.selection?.kind === "named" ? namespace.selection.name : null}
          onOpenTerminal={openShellTab}
        />
      </div>
      <StatusBar status={status} view={viewStatus} version={versionLabel(info?.version ?? null)} />
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
