import type { KeyboardEvent } from "react";
import { useCallback, useRef, useState } from "react";

import type { ContextSummary } from "../bindings/ContextSummary";
import type { ContextsState } from "../state/contexts";
import { avatarFor, contextsOf, contextSubtitle, contextTooltip } from "../state/contexts";
import { isMoveKey, nextKey, tabStop } from "../state/keyboard";
import { contextKey, kindKey, RESOURCE_GROUPS } from "../state/navigation";
import { LogoMark, RefreshIcon } from "./icons";
import { KubeconfigEmpty, KubeconfigError } from "./KubeconfigPanels";
import { SidebarItem } from "./SidebarItem";

type Props = {
  state: ContextsState;
  selectedContext: string | null;
  onSelectContext: (name: string) => void;
  selectedKind: string;
  onSelectKind: (id: string) => void;
  onReload: () => void;
};

const ALL_KIND_KEYS = RESOURCE_GROUPS.flatMap((g) => g.kinds.map((k) => kindKey(k.id)));

export function Sidebar({
  state,
  selectedContext,
  onSelectContext,
  selectedKind,
  onSelectKind,
  onReload,
}: Props) {
  const contexts = contextsOf(state);
  // Every focusable row in display order: contexts first, then resource kinds.
  const keys = [...contexts.map((c) => contextKey(c.name)), ...ALL_KIND_KEYS];
  const [active, setActive] = useState<string | null>(null);
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
            <button
              type="button"
              className="icon-button"
              onClick={onReload}
              disabled={state.status === "loading"}
              title="Reload kubeconfig"
              aria-label="Reload kubeconfig"
            >
              <RefreshIcon />
            </button>
          </div>
          <ContextSection
            state={state}
            contexts={contexts}
            selected={selectedContext}
            stop={stop}
            onSelect={onSelectContext}
            onFocusItem={setActive}
            refFor={refFor}
            onReload={onReload}
          />
        </section>

        <div
          className="side-section"
          role="listbox"
          aria-label="Resources"
          aria-orientation="vertical"
        >
          {RESOURCE_GROUPS.map((group) => (
            <div
              key={group.id}
              role="group"
              aria-labelledby={`side-group-${group.id}`}
              className="side-group"
            >
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
    </aside>
  );
}

type SectionProps = {
  state: ContextsState;
  contexts: ContextSummary[];
  selected: string | null;
  stop: string | null;
  onSelect: (name: string) => void;
  onFocusItem: (navKey: string) => void;
  refFor: (navKey: string) => (el: HTMLDivElement | null) => void;
  onReload: () => void;
};

function ContextSection({
  state,
  contexts,
  selected,
  stop,
  onSelect,
  onFocusItem,
  refFor,
  onReload,
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
        return (
          <SidebarItem
            key={context.name}
            navKey={navKey}
            itemRef={refFor(navKey)}
            selected={context.name === selected}
            tabbable={stop === navKey}
            onSelect={() => {
              onSelect(context.name);
            }}
            onFocusItem={onFocusItem}
            className="side-item--context"
            title={contextTooltip(context)}
            data={{
              "data-testid": "context-item",
              "data-context-name": context.name,
              "data-current": String(context.isCurrent),
            }}
          >
            <span className={`avatar avatar--c${avatar.colour}`} aria-hidden="true">
              {avatar.initials}
            </span>
            <span className="context__text">
              <span className="context__name">
                <span className="context__label">{context.name}</span>
                {context.isCurrent && (
                  <span className="badge" title="current-context in the kubeconfig">
                    current
                  </span>
                )}
              </span>
              <span className="context__sub">{contextSubtitle(context)}</span>
            </span>
          </SidebarItem>
        );
      })}
    </div>
  );
}
