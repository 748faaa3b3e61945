import type { KeyboardEvent, MouseEvent, ReactNode, Ref } from "react";

import { isActivateKey } from "../state/keyboard";

type Props = {
  navKey: string;
  selected: boolean;
  tabbable: boolean;
  onSelect: () => void;
  onFocusItem: (navKey: string) => void;
  itemRef: Ref<HTMLDivElement>;
  className?: string;
  title?: string;
  children: ReactNode;
  /** Extra data-* attributes (test hooks). */
  data?: Record<`data-${string}`, string>;
  /** Opens the row's menu: right click, the Menu key or Shift+F10. */
  onMenu?: (at: { x: number; y: number }, row: HTMLElement) => void;
};

/**
 * One focusable row of the sidebar (role="option"). Arrow keys are handled by
 * the sidebar, which moves the focus between rows; Enter or Space selects.
 */
export function SidebarItem({
  navKey,
  selected,
  tabbable,
  onSelect,
  onFocusItem,
  itemRef,
  className,
  title,
  children,
  data,
  onMenu,
}: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys pressed on a control inside the row (its menu button) are that control's.
    if (e.target !== e.currentTarget) return;
    if (isActivateKey(e.key)) {
      e.preventDefault();
      onSelect();
    } else if (onMenu !== undefined && (e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey))) {
      e.preventDefault();
      const rect = e.currentTarget.getBoundingClientRect();
      onMenu({ x: rect.left + 24, y: rect.bottom }, e.currentTarget);
    }
  };
  const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
    if (onMenu === undefined) return;
    e.preventDefault();
    onMenu({ x: e.clientX, y: e.clientY }, e.currentTarget);
  };
  return (
    <div
      ref={itemRef}
      role="option"
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      className={`side-item${selected ? " side-item--selected" : ""}${className ? ` ${className}` : ""}`}
      title={title}
      data-nav-key={navKey}
      onClick={onSelect}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
      onFocus={() => {
        onFocusItem(navKey);
      }}
      {...data}
    >
      {children}
    </div>
  );
}
