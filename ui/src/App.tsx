import { useReducer, useState } from "react";

import { Dock } from "./components/Dock";
import { MainArea } from "./components/MainArea";
import { Sidebar } from "./components/Sidebar";
import { StatusBar } from "./components/StatusBar";
import { useAppInfo } from "./hooks/useAppInfo";
import { useGlobalShortcuts } from "./hooks/useGlobalShortcuts";
import { useKubeconfig } from "./hooks/useKubeconfig";
import { findContext } from "./state/contexts";
import { dockReducer, INITIAL_DOCK } from "./state/dock";
import { DEFAULT_KIND, findKind, RESOURCE_GROUPS } from "./state/navigation";
import { deriveStatus, versionLabel } from "./state/status";

const FALLBACK_KIND = RESOURCE_GROUPS[0]?.kinds[0] ?? { id: DEFAULT_KIND, label: "Pods" };

export function App() {
  const kubeconfig = useKubeconfig();
  const info = useAppInfo();
  const [kindId, setKindId] = useState(DEFAULT_KIND);
  const [dock, dispatchDock] = useReducer(dockReducer, INITIAL_DOCK);

  useGlobalShortcuts({
    commandPalette: () => {
      // Command palette (Ctrl/Cmd+K) arrives in a later issue; the shortcut is reserved here.
    },
    toggleDock: () => {
      dispatchDock({ type: "toggle" });
    },
  });

  const context = findContext(kubeconfig.state, kubeconfig.selected);
  const kind = findKind(kindId) ?? FALLBACK_KIND;
  const status = deriveStatus(kubeconfig.state, context);

  return (
    <div
      className="app"
      data-testid={kubeconfig.settled ? "app-ready" : "app-loading"}
      data-kubeconfig={kubeconfig.state.status}
    >
      <Sidebar
        state={kubeconfig.state}
        selectedContext={kubeconfig.selected}
        onSelectContext={kubeconfig.select}
        selectedKind={kind.id}
        onSelectKind={setKindId}
        onReload={kubeconfig.reload}
      />
      <div className="workspace">
        <MainArea
          state={kubeconfig.state}
          context={context}
          kind={kind}
          onReload={kubeconfig.reload}
        />
        <Dock state={dock} dispatch={dispatchDock} />
      </div>
      <StatusBar status={status} version={versionLabel(info?.version ?? null)} />
    </div>
  );
}
