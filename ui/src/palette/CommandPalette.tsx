import * as RadixDialog from "@radix-ui/react-dialog";
import type { KeyboardEvent } from "react";
import { useDeferredValue, useMemo, useState } from "react";

import type { PaletteItem, PaletteRun, PaletteSources } from "./items";
import { paletteItems } from "./items";
import "./palette.css";

type Props = {
  sources: PaletteSources;
  onRun: (run: PaletteRun) => void;
  onClose: () => void;
};

/**
 * Ctrl/Cmd+K: one input over kinds, objects, contexts, namespaces, pins and
 * actions. Up/Down pick, Enter opens, Alt+Enter runs the default action,
 * Escape closes. The list is a listbox driven by aria-activedescendant so
 * the focus stays in the input.
 */
export function CommandPalette({ sources, onRun, onClose }: Props) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const deferred = useDeferredValue(query);
  const items = useMemo(() => paletteItems(deferred, sources), [deferred, sources]);
  const at = Math.min(active, Math.max(items.length - 1, 0));
  const current = items[at];

  const run = (item: PaletteItem | undefined, alt: boolean) => {
    const what = alt ? (item?.alt ?? item?.run) : item?.run;
    if (what == null) return;
    onClose();
    onRun(what);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case "ArrowDown":
        setActive(Math.min(at + 1, items.length - 1));
        break;
      case "ArrowUp":
        setActive(Math.max(at - 1, 0));
        break;
      case "PageDown":
        setActive(Math.min(at + 10, items.length - 1));
        break;
      case "PageUp":
        setActive(Math.max(at - 10, 0));
        break;
      case "Enter":
        run(current, e.altKey);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <RadixDialog.Root
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="palette-backdrop">
          <RadixDialog.Content className="palette" data-testid="command-palette" aria-describedby="palette-hint">
            <RadixDialog.Title className="visually-hidden">Command palette</RadixDialog.Title>
            <input
              className="palette__input"
              autoFocus
              placeholder="Go to a kind, object, context or namespace — or :po, :deploy -n web, :ctx prod"
              aria-label="Search"
              role="combobox"
              aria-expanded="true"
              aria-controls="palette-list"
              aria-activedescendant={current !== undefined ? `palette-item-${String(at)}` : undefined}
              data-testid="palette-input"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
            />
            <ul className="palette__list" id="palette-list" role="listbox" aria-label="Results">
              {items.map((item, i) => (
                <li
                  key={item.id}
                  id={`palette-item-${String(i)}`}
                  role="option"
                  aria-selected={i === at}
                  aria-disabled={item.run === null}
                  className="palette__item"
                  data-testid="palette-item"
                  data-label={item.label}
                  data-detail={item.detail}
                  onMouseMove={() => {
                    if (i !== at) setActive(i);
                  }}
                  onClick={(e) => {
                    run(item, e.altKey);
                  }}
                >
                  <Highlighted text={item.label} positions={item.positions} />
                  <span className="palette__detail">{item.detail}</span>
                </li>
              ))}
              {items.length === 0 && (
                <li className="palette__empty" role="presentation">
                  Nothing matches {query}
                </li>
              )}
            </ul>
            <p className="palette__hint" id="palette-hint">
              Enter opens · Alt+Enter runs the default action · Esc closes
            </p>
          </RadixDialog.Content>
        </RadixDialog.Overlay>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

function Highlighted({ text, positions }: { text: string; positions: number[] }) {
  if (positions.length === 0) return <span className="palette__label">{text}</span>;
  const marked = new Set(positions);
  const parts: { text: string; mark: boolean }[] = [];
  for (const [i, ch] of Array.from(text).entries()) {
    const mark = marked.has(i);
    const last = parts[parts.length - 1];
    if (last?.mark === mark) last.text += ch;
    else parts.push({ text: ch, mark });
  }
  return (
    <span className="palette__label">
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
