import type { KeyboardEvent } from "react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";

import { nextIndex } from "../state/keyboard";

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
 * A popup menu (role="menu"): the first entry has the focus, arrows/Home/End
 * move, Enter or Space chooses, Escape or Tab or a click elsewhere closes.
 */
export function Menu({ label, items, at, returnFocus, onSelect, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const [pos, setPos] = useState(at);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const { width, height } = el.getBoundingClientRect();
    const x = Math.max(4, Math.min(at.x, window.innerWidth - width - 4));
    const y = Math.max(4, Math.min(at.y, window.innerHeight - height - 4));
    if (x !== at.x || y !== at.y) setPos({ x, y });
  }, [at]);

  useEffect(() => {
    buttons.current[0]?.focus();
  }, []);

  // A click anywhere else closes the menu.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (ref.current !== null && e.target instanceof Node && ref.current.contains(e.target)) return;
      close.current();
    };
    document.addEventListener("mousedown", onDown, true);
    return () => {
      document.removeEventListener("mousedown", onDown, true);
    };
  }, []);

  const closeAndReturn = () => {
    returnFocus?.focus();
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = buttons.current.findIndex((b) => b === document.activeElement);
    switch (e.key) {
      case "Escape":
        e.preventDefault();
        e.stopPropagation();
        closeAndReturn();
        return;
      case "Tab":
        e.preventDefault();
        closeAndReturn();
        return;
      case "ArrowDown":
      case "ArrowUp":
      case "Home":
      case "End": {
        e.preventDefault();
        e.stopPropagation();
        const count = items.length;
        // Menus wrap around, unlike lists.
        let to: number | null;
        if (e.key === "ArrowDown" && current === count - 1) to = 0;
        else if (e.key === "ArrowUp" && current === 0) to = count - 1;
        else to = nextIndex(current, count, e.key);
        if (to !== null) buttons.current[to]?.focus();
        return;
      }
    }
  };

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={label}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKeyDown}
    >
      {items.map((item, i) => (
        <button
          key={item.id}
          ref={(el) => {
            buttons.current[i] = el;
          }}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={`menu__item${item.danger === true ? " menu__item--danger" : ""}`}
          data-testid={item.testId}
          onClick={() => {
            returnFocus?.focus();
            onSelect(item.id);
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
