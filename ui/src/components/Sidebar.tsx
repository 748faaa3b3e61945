import type { KeyboardEvent } from "react";
import { useCallback, useRef, useState } from "react";

import type { ContextSummary } from "../bindings/ContextSummary";
import type { Connections } from "../hooks/useConnections";
import type { ConnectionView } from "../state/connection";
import { CHECKING, connectionLabel, connectionTone, connectionTooltip } from "../state/connection";
import type { ContextsState } from "../state/contexts";
import { avatarFor, contextsOf, contextSubtitle, contextTooltip } from "../state/contexts";
import type { ContextAction } from "../state/dialogs";
import { contextActions } from "../state/dialogs";
import { isMoveKey, nextKey, tabStop } from "../state/keyboard";
import { CUSTOM_PREFIX } from "../resources/nav";
import type { ResourceGroup } from "../state/navigation";
import { contextKey, kindKey, RESOURCE_GROUPS } from "../state/navigation";
import { InfoIcon, LogoMark, MoreIcon, PlusIcon, RefreshIcon, WarnIcon } from "./icons";
import { KubeconfigEmpty, KubeconfigError } from "./KubeconfigPanels";
import type { MenuItem } from "./Menu";
import { Menu } from "./Menu";
import { SidebarItem } from "./SidebarItem";

type Props = {
  state: ContextsState;
  connections: Connections;
  selectedContext: string | null;
  onSelectContext: (name: string) => void;
  onContextAction: (action: ContextAction, name: string) => void;
  onAddCluster: () => void;
  /** Resource navigation (from discovery; the static list until then). */
  groups?: readonly ResourceGroup[];
  selectedKind: string;
  onSelectKind: (id: string) => void;
  onReload: () => void;
  /** Opens the local-clusters section; `localSelected` while it is shown. */
  onOpenLocal?: () => void;
  localSelected?: boolean;
};


const MENU_ITEMS: Record<ContextAction, MenuItem> = {
  makeCurrent: { id: "makeCurrent", label: "Make current", testId: "menu-make-current" },
  rename: { id: "rename", label: "Rename…", testId: "menu-rename" },
  remove: { id: "remove", label: "Remove…", testId: "menu-remove", danger: true },
};

export const FILE_STORE_NOTICE =
  "No keyring service available: credentials of added clusters are stored in a private file (0600)";

type OpenMenu = { context: string; at: { x: number; y: number }; returnFocus: HTMLElement | null };

export function Sidebar({
  state,
  connections,
  selectedContext,
  onSelectContext,
  onContextAction,
  onAddCluster,
  groups = RESOURCE_GROUPS,
  selectedKind,
  onSelectKind,
  onReload,
  onOpenLocal,
  localSelected = false,
}: Props) {
  const contexts = contextsOf(state);
  // Every focusable row in display order: contexts first, then resource kinds.
  const keys = [
    ...contexts.map((c) => contextKey(c.name)),
    ...groups.flatMap((g) => g.kinds.map((k) => kindKey(k.id))),
  ];
  const firstCustom = groups.find((g) => g.id.startsWith(CUSTOM_PREFIX))?.id;
  const [active, setActive] = useState<string | null>(null);
  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const stop = tabStop(
    keys,
    active,
    selectedContext !== null ? contextKey(selectedContext) : kindKey(selectedKind),
  );

  const elements = useRef(new Map<string, HTMLDivElement>());
  const refFor = useCallback(
    (navKey: string) => (el: HTMLDivElement | null) => {
      if (el === null) elements.current.delete(navKey);
      else elements.current.set(navKey, el);
    },
    [],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (!isMoveKey(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = (e.target as HTMLElement).dataset.navKey;
    if (from === undefined) return; // e.g. a Retry button
    const to = nextKey(keys, from, e.key);
    if (to === null) return;
    e.preventDefault();
    setActive(to);
    elements.current.get(to)?.focus();
  };

  const menuContext = menu !== null ? contexts.find((c) => c.name === menu.context) : undefined;
  const fileStore = state.status === "ok" && state.overview.credentialStore === "file";

  return (
    <aside className="sidebar" aria-label="Navigation" onKeyDown={onKeyDown}>
      <header className="sidebar__brand">
        <LogoMark className="sidebar__logo" />
        <span>Capstan</span>
      </header>

      <div className="sidebar__scroll">
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
          <ContextSection
            state={state}
            contexts={contexts}
            connections={connections}
            selected={selectedContext}
            stop={stop}
            onSelect={onSelectContext}
            onFocusItem={setActive}
            refFor={refFor}
            onReload={onReload}
            onMenu={setMenu}
            menuFor={menu?.context ?? null}
          />
          {onOpenLocal !== undefined && (
            <button
              type="button"
              className={`side-local${localSelected ? " side-local--selected" : ""}`}
              aria-current={localSelected ? "page" : undefined}
              data-testid="nav-local-clusters"
              onClick={onOpenLocal}
            >
              Local clusters
            </button>
          )}
          {fileStore && (
            <p className="side-info" data-testid="credential-store-notice">
              <InfoIcon className="side-info__icon" />
              <span>{FILE_STORE_NOTICE}</span>
            </p>
          )}
        </section>

        <div
          className="side-section"
          role="listbox"
          aria-label="Resources"
          aria-orientation="vertical"
        >
          {groups.map((group) => (
            <div
              key={group.id}
              role="group"
              aria-labelledby={`side-group-${group.id}`}
              className="side-group"
            >
              {group.id === firstCustom && (
                <div className="side-section__title side-group__heading">Custom Resources</div>
              )}
              <div id={`side-group-${group.id}`} className="side-section__title side-group__title">
                {group.label}
              </div>
              {group.kinds.map((kind) => {
                const navKey = kindKey(kind.id);
                return (
                  <SidebarItem
                    key={kind.id}
                    navKey={navKey}
                    itemRef={refFor(navKey)}
                    selected={kind.id === selectedKind}
                    tabbable={stop === navKey}
                    onSelect={() => {
                      onSelectKind(kind.id);
                    }}
                    onFocusItem={setActive}
                    className="side-item--kind"
                    data={{ "data-testid": "nav-item", "data-kind": kind.id }}
                  >
                    {kind.label}
                  </SidebarItem>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {menu !== null && menuContext !== undefined && (
        <Menu
          label={`Actions for ${menuContext.name}`}
          items={contextActions(menuContext).map((a) => MENU_ITEMS[a])}
          at={menu.at}
          returnFocus={menu.returnFocus}
          onSelect={(id) => {
            setMenu(null);
            onContextAction(id as ContextAction, menuContext.name);
          }}
          onClose={() => {
            setMenu(null);
          }}
        />
      )}
    </aside>
  );
}

type SectionProps = {
  state: ContextsState;
  contexts: ContextSummary[];
  connections: Connections;
  selected: string | null;
  stop: string | null;
  onSelect: (name: string) => void;
  onFocusItem: (navKey: string) => void;
  refFor: (navKey: string) => (el: HTMLDivElement | null) => void;
  onReload: () => void;
  onMenu: (menu: OpenMenu) => void;
  /** The context whose menu is open. */
  menuFor: string | null;
};

function ContextSection({
  state,
  contexts,
  connections,
  selected,
  stop,
  onSelect,
  onFocusItem,
  refFor,
  onReload,
  onMenu,
  menuFor,
}: SectionProps) {
  switch (state.status) {
    case "loading":
      return (
        <p className="side-note" role="status" aria-live="polite">
          Reading kubeconfig…
        </p>
      );
    case "empty":
      return <KubeconfigEmpty overview={state.overview} onRetry={onReload} variant="sidebar" />;
    case "error":
      return <KubeconfigError error={state.error} onRetry={onReload} variant="sidebar" />;
    case "ok":
      break;
  }
  return (
    <div
      className="context-list"
      role="listbox"
      aria-label="Kubeconfig contexts"
      aria-orientation="vertical"
      data-testid="context-list"
    >
      {contexts.length === 0 && (
        <p className="side-note">No contexts in {state.overview.files.join(", ")}</p>
      )}
      {contexts.map((context) => {
        const navKey = contextKey(context.name);
        const avatar = avatarFor(context.name);
        const connection = connections.get(context.name) ?? CHECKING;
        const isSelected = context.name === selected;
        const isStop = stop === navKey;
        return (
          <SidebarItem
            key={context.name}
            navKey={navKey}
            itemRef={refFor(navKey)}
            selected={isSelected}
            tabbable={isStop}
            onSelect={() => {
              onSelect(context.name);
            }}
            onFocusItem={onFocusItem}
            className="side-item--context"
            title={`${contextTooltip(context)}\n${connectionTooltip(connection)}`}
            onMenu={(at, row) => {
              onMenu({ context: context.name, at, returnFocus: row });
            }}
            data={{
              "data-testid": "context-item",
              "data-context-name": context.name,
              "data-current": String(context.isCurrent),
              "data-managed": String(context.managed),
            }}
          >
            <span className="avatar-wrap">
              <span className={`avatar avatar--c${avatar.colour}`} aria-hidden="true">
                {avatar.initials}
              </span>
              <ConnectionDot view={connection} />
            </span>
            <span className="context__text">
              <span className="context__name">
                <span className="context__label">{context.name}</span>
                {context.isCurrent && (
                  <span className="badge" title="current-context in the kubeconfig">
                    current
                  </span>
                )}
                {context.managed && (
                  <span className="badge badge--muted" title="Added in Capstan">
                    added
                  </span>
                )}
              </span>
              {context.problem !== null ? (
                <span className="context__sub context__problem" title={context.problem}>
                  <WarnIcon />
                  <span className="context__problem-text">{context.problem}</span>
                </span>
              ) : (
                <span className="context__sub">{contextSubtitle(context)}</span>
              )}
            </span>
            <button
              type="button"
              className="icon-button context__menu"
              data-testid="context-menu"
              aria-haspopup="menu"
              aria-expanded={menuFor === context.name}
              aria-label={`Actions for ${context.name}`}
              title="Actions"
              tabIndex={isStop || isSelected ? 0 : -1}
              onClick={(e) => {
                e.stopPropagation();
                const rect = e.currentTarget.getBoundingClientRect();
                onMenu({
                  context: context.name,
                  at: { x: rect.left, y: rect.bottom + 2 },
                  returnFocus: e.currentTarget,
                });
              }}
              onKeyDown={(e) => {
                if (e.key === "ArrowDown") {
                  e.preventDefault();
                  e.stopPropagation();
                  e.currentTarget.click();
                }
              }}
            >
              <MoreIcon />
            </button>
          </SidebarItem>
        );
      })}
    </div>
  );
}

/** The connection state as a dot on the context's avatar. */
function ConnectionDot({ view }: { view: ConnectionView }) {
  return (
    <span
      className={`conn-dot conn-dot--${connectionTone(view.state)}`}
      data-testid="context-state"
      data-state={view.state}
      role="img"
      aria-label={`Connection: ${connectionLabel(view.state)}`}
      title={connectionTooltip(view)}
    />
  );
}
