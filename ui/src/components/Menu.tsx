import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useCallback, useRef } from "react";

export type MenuItem = {
  id: string;
  label: string;
  testId: string;
  danger?: boolean;
};

type Props = {
  label: string;
  items: readonly MenuItem[];
  /** Top-left corner wanted, in viewport pixels; moved inside the window if needed. */
  at: { x: number; y: number };
  /** Gets the focus back when the menu closes. */
  returnFocus: HTMLElement | null;
  onSelect: (id: string) => void;
  onClose: () => void;
};

/**
 * A popup menu (Radix DropdownMenu, role="menu") opened at a point: by a row's
 * menu button, a right click, the Menu key or Shift+F10. The first entry has
 * the focus; arrows (wrapping), Home/End and typing a label's first letters
 * move; Enter or Space chooses; Escape or a click elsewhere closes, and the
 * focus goes back to `returnFocus`.
 */
export function Menu({ label, items, at, returnFocus, onSelect, onClose }: Props) {
  // The first entry takes the focus once, when it appears (Radix would focus
  // the menu itself when it was not opened from the keyboard).
  const focused = useRef(false);
  // A click elsewhere keeps the focus where it went; Escape and a choice give it back.
  const leftOutside = useRef(false);
  const focusFirst = useCallback((el: HTMLDivElement | null) => {
    if (el === null || focused.current) return;
    focused.current = true;
    el.focus();
  }, []);
  return (
    <DropdownMenu.Root
      open
      modal={false}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      {/* The anchor: an empty point where the menu was asked for (Radix keeps the menu inside the window). */}
      <DropdownMenu.Trigger asChild>
        <span className="menu__anchor" aria-hidden="true" tabIndex={-1} style={{ left: at.x, top: at.y }} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          aria-label={label}
          // Radix names the menu after its trigger, here an empty anchor: the label names it instead.
          aria-labelledby={undefined}
          side="bottom"
          align="start"
          sideOffset={0}
          collisionPadding={4}
          loop
          onInteractOutside={() => {
            leftOutside.current = true;
          }}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            if (!leftOutside.current) returnFocus?.focus();
          }}
        >
          {items.map((item, i) => (
            <DropdownMenu.Item
              key={item.id}
              ref={i === 0 ? focusFirst : undefined}
              className={`menu__item${item.danger === true ? " menu__item--danger" : ""}`}
              data-testid={item.testId}
              onSelect={() => {
                returnFocus?.focus();
                onSelect(item.id);
              }}
            >
              {item.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
