import { useState } from "react";

import type { Connections } from "../hooks/useConnections";
import { useRovingFocus } from "../hooks/useRovingFocus";
import type { ContextsState } from "../state/contexts";
import { contextsOf } from "../state/contexts";
import type { ContextAction } from "../state/dialogs";
import { contextActions } from "../state/dialogs";
import type { ResourceGroup } from "../state/navigation";
import type { Pin } from "../state/pins";
import { isPinned, pinKey, pinLabel } from "../state/pins";
import { contextKey, kindKey, RESOURCE_GROUPS } from "../state/navigation";
import { InfoIcon, LogoMark, PlusIcon, RefreshIcon } from "./icons";
import type { MenuItem } from "./Menu";
import { Menu } from "./Menu";
import type { OpenMenu } from "./sidebar/ClusterList";
import { ClusterList } from "./sidebar/ClusterList";
import { ResourceNav } from "./sidebar/ResourceNav";

// The sidebar: brand, the cluster list (sidebar/ClusterList), the local
// clusters entry, and the resource navigation (sidebar/ResourceNav), with one
// roving tab stop across both lists (useRovingFocus).
type Props = {
  state: ContextsState;
  connections: Connections;
  selectedContext: string | null;
  onSelectContext: (name: string) => void;
  onContextAction: (action: ContextAction, name: string) => void;
  onAddCluster: () => void;
  /** Resource navigation (from discovery; the static list until then). */
  groups?: readonly ResourceGroup[];
  /** Kinds the user may not list, by id, with why (from the access matrix). */
  deniedKinds?: ReadonlyMap<string, string>;
  selectedKind: string;
  onSelectKind: (id: string) => void;
  onReload: () => void;
  /** Opens the local-clusters section; `localSelected` while it is shown. */
  onOpenLocal?: () => void;
  localSelected?: boolean;
  /** Opens the Cluster overview page; `overviewSelected` while it is shown. */
  onOpenOverview?: () => void;
  overviewSelected?: boolean;
  /** Opens the Helm releases section; `helmSelected` while it is shown. */
  onOpenHelm?: () => void;
  helmSelected?: boolean;
  /** Pinned contexts and objects, listed at the top. */
  pins?: readonly Pin[];
  onOpenPin?: (pin: Pin) => void;
  onTogglePin?: (pin: Pin) => void;
};


const MENU_ITEMS: Record<ContextAction, MenuItem> = {
  makeCurrent: { id: "makeCurrent", label: "Make current", testId: "menu-make-current" },
  rename: { id: "rename", label: "Rename…", testId: "menu-rename" },
  remove: { id: "remove", label: "Remove…", testId: "menu-remove", danger: true },
};

export const FILE_STORE_NOTICE =
  "No keyring service available: credentials of added clusters are stored in a private file (0600)";

export function Sidebar({
  state,
  connections,
  selectedContext,
  onSelectContext,
  onContextAction,
  onAddCluster,
  groups = RESOURCE_GROUPS,
  deniedKinds,
  selectedKind,
  onSelectKind,
  onReload,
  onOpenLocal,
  localSelected = false,
  onOpenHelm,
  helmSelected = false,
  onOpenOverview,
  overviewSelected = false,
  pins = [],
  onOpenPin,
  onTogglePin,
}: Props) {
  const contexts = contextsOf(state);
  // Every focusable row in display order: contexts first, then resource kinds.
  const keys = [
    ...contexts.map((c) => contextKey(c.name)),
    ...groups.flatMap((g) => g.kinds.map((k) => kindKey(k.id))),
  ];
  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const roving = useRovingFocus(keys, selectedContext !== null ? contextKey(selectedContext) : kindKey(selectedKind));

  const menuContext = menu !== null ? contexts.find((c) => c.name === menu.context) : undefined;
  const fileStore = state.status === "ok" && state.overview.credentialStore === "file";

  return (
    <aside className="sidebar" aria-label="Navigation" onKeyDown={roving.onKeyDown}>
      <header className="sidebar__brand">
        <LogoMark className="sidebar__logo" />
        <span>Capstan</span>
      </header>

      <div className="sidebar__scroll">
        {pins.length > 0 && onOpenPin !== undefined && (
          <section className="side-section" aria-labelledby="side-pinned" data-testid="pinned">
            <div className="side-section__head">
              <h2 id="side-pinned" className="side-section__title">
                Pinned
              </h2>
            </div>
            <ul className="side-pins">
              {pins.map((pin) => (
                <li key={pinKey(pin)} className="side-pins__item">
                  <button
                    type="button"
                    className="side-pins__open"
                    data-testid="pinned-item"
                    data-pin={pinKey(pin)}
                    title={pin.type === "object" ? `${pinLabel(pin)} in ${pin.context}` : `Context ${pin.context}`}
                    onClick={() => {
                      onOpenPin(pin);
                    }}
                  >
                    <span className="side-pins__label">{pinLabel(pin)}</span>
                    {pin.type === "object" && <span className="side-pins__context">{pin.context}</span>}
                  </button>
                  {onTogglePin !== undefined && (
                    <button
                      type="button"
                      className="icon-button icon-button--small side-pins__unpin"
                      aria-label={`Unpin ${pinLabel(pin)}`}
                      title="Unpin"
                      onClick={() => {
                        onTogglePin(pin);
                      }}
                    >
                      ×
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        <section className="side-section" aria-labelledby="side-clusters">
          <div className="side-section__head">
            <h2 id="side-clusters" className="side-section__title">
              Clusters
              {state.status === "ok" && (
                <span className="side-section__count">{contexts.length}</span>
              )}
            </h2>
            <div className="side-section__tools">
              <button
                type="button"
                className="icon-button"
                onClick={onAddCluster}
                title="Add cluster"
                aria-label="Add cluster"
                data-testid="add-cluster"
              >
                <PlusIcon />
              </button>
              <button
                type="button"
                className="icon-button"
                onClick={() => {
                  onReload();
                }}
                disabled={state.status === "loading"}
                title="Reload kubeconfig"
                aria-label="Reload kubeconfig"
              >
                <RefreshIcon />
              </button>
            </div>
          </div>
          <ClusterList
            state={state}
            contexts={contexts}
            connections={connections}
            selected={selectedContext}
            stop={roving.stop}
            onSelect={onSelectContext}
            onFocusItem={roving.onFocusItem}
            refFor={roving.refFor}
            onReload={onReload}
            onMenu={setMenu}
            menuFor={menu?.context ?? null}
          />
          <PageLink onOpen={onOpenLocal} selected={localSelected} testId="nav-local-clusters" label="Local clusters" />
          <PageLink onOpen={onOpenOverview} selected={overviewSelected} testId="nav-overview" label="Cluster overview" />
          <PageLink onOpen={onOpenHelm} selected={helmSelected} testId="nav-helm" label="Helm releases" />
          {fileStore && (
            <p className="side-info" data-testid="credential-store-notice">
              <InfoIcon className="side-info__icon" />
              <span>{FILE_STORE_NOTICE}</span>
            </p>
          )}
        </section>

        <ResourceNav
          groups={groups}
          denied={deniedKinds}
          selectedKind={selectedKind}
          onSelectKind={onSelectKind}
          stop={roving.stop}
          onFocusItem={roving.onFocusItem}
          refFor={roving.refFor}
        />
      </div>
      {menu !== null && menuContext !== undefined && (
        <Menu
          label={`Actions for ${menuContext.name}`}
          items={[
            ...contextActions(menuContext).map((a) => MENU_ITEMS[a]),
            ...(onTogglePin !== undefined
              ? [
                  {
                    id: "pin",
                    label: isPinned(pins, { type: "context", context: menuContext.name }) ? "Unpin" : "Pin to top",
                    testId: "menu-pin",
                  },
                ]
              : []),
          ]}
          at={menu.at}
          returnFocus={menu.returnFocus}
          onSelect={(id) => {
            setMenu(null);
            if (id === "pin") onTogglePin?.({ type: "context", context: menuContext.name });
            else onContextAction(id as ContextAction, menuContext.name);
          }}
          onClose={() => {
            setMenu(null);
          }}
        />
      )}
    </aside>
  );
}

/** A sidebar entry for a page (local clusters, the overview, Helm); absent without `onOpen`. */
function PageLink({
  onOpen,
  selected,
  testId,
  label,
}: {
  onOpen: (() => void) | undefined;
  selected: boolean;
  testId: string;
  label: string;
}) {
  if (onOpen === undefined) return null;
  return (
    <button
      type="button"
      className={`side-local${selected ? " side-local--selected" : ""}`}
      aria-current={selected ? "page" : undefined}
      data-testid={testId}
      onClick={onOpen}
    >
      {label}
    </button>
  );
}
