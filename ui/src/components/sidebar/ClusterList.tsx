// The sidebar's cluster list: kubeconfig contexts with their connection dot,
// badges and actions menu button, or what to do when there is no kubeconfig.
import type { ContextSummary } from "../../bindings/ContextSummary";
import type { Connections } from "../../hooks/useConnections";
import type { ConnectionView } from "../../state/connection";
import { CHECKING, connectionLabel, connectionTone, connectionTooltip } from "../../state/connection";
import type { ContextsState } from "../../state/contexts";
import { avatarFor, contextSubtitle, contextTooltip } from "../../state/contexts";
import { contextKey } from "../../state/navigation";
import { MoreIcon, WarnIcon } from "../icons";
import { KubeconfigEmpty, KubeconfigError } from "../KubeconfigPanels";
import { SidebarItem } from "../SidebarItem";

/** A context's open actions menu: where it opens and where the focus goes back to. */
export type OpenMenu = { context: string; at: { x: number; y: number }; returnFocus: HTMLElement | null };

type Props = {
  state: ContextsState;
  contexts: ContextSummary[];
  connections: Connections;
  selected: string | null;
  stop: string | null;
  onSelect: (name: string) => void;
  onFocusItem: (navKey: string) => void;
  refFor: (navKey: string) => (el: HTMLElement | null) => void;
  onReload: () => void;
  onMenu: (menu: OpenMenu) => void;
  /** The context whose menu is open. */
  menuFor: string | null;
};

export function ClusterList({
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
}: Props) {
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
