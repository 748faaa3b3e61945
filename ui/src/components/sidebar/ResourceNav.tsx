// The sidebar's resource navigation: one group per section (the built-in
// ones, then custom resources by API group), each kind a focusable row.
import type { ResourceGroup } from "../../state/navigation";
import { kindKey } from "../../state/navigation";
import { CUSTOM_PREFIX } from "../../resources/nav";
import { SidebarItem } from "../SidebarItem";

type Props = {
  groups: readonly ResourceGroup[];
  selectedKind: string;
  onSelectKind: (id: string) => void;
  /** The row that is the tab stop (roving focus, shared with the cluster list). */
  stop: string | null;
  onFocusItem: (navKey: string) => void;
  refFor: (navKey: string) => (el: HTMLElement | null) => void;
  /** Kinds the user may not list, by id, with why: dimmed, still reachable. */
  denied?: ReadonlyMap<string, string>;
};

export function ResourceNav({ groups, selectedKind, onSelectKind, stop, onFocusItem, refFor, denied }: Props) {
  const firstCustom = groups.find((g) => g.id.startsWith(CUSTOM_PREFIX))?.id;
  return (
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
            const why = denied?.get(kind.id);
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
                onFocusItem={onFocusItem}
                className={`side-item--kind${why !== undefined ? " side-item--denied" : ""}`}
                title={why}
                data={{ "data-testid": "nav-item", "data-kind": kind.id, "data-denied": String(why !== undefined) }}
              >
                {kind.label}
              </SidebarItem>
            );
          })}
        </div>
      ))}
    </div>
  );
}
