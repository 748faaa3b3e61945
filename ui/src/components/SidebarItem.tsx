import type { KeyboardEvent, ReactNode, Ref } from "react";

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
}: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (isActivateKey(e.key)) {
      e.preventDefault();
      onSelect();
    }
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
      onFocus={() => {
        onFocusItem(navKey);
      }}
      {...data}
    >
      {children}
    </div>
  );
}
