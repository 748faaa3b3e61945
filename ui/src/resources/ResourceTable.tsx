import { useVirtualizer } from "@tanstack/react-virtual";
import type { KeyboardEvent, MouseEvent } from "react";
import { memo, useEffect, useRef, useState, useSyncExternalStore } from "react";

import type { Row } from "../bindings/Row";
import { isMenuKey } from "./rowMenu";
import { rowKey } from "./rows";
import type { MetricColumnKey, ShownColumn, SortSpec } from "./table";
import { cellText, isMetricColumn, metricOfColumn } from "./table";
import { metricsKey, metricText } from "../metrics/cells";
import type { MetricsStore } from "../metrics/store";
import { useNow } from "./ticker";
import { sizeOf, Splitter } from "../components/Splitter";
import { COLUMN_BOUNDS, columnTrack } from "../state/resize";

const ROW_HEIGHT = 28;

type Props = {
  columns: readonly ShownColumn[];
  rows: readonly Row[];
  sort: SortSpec | null;
  onSort: (column: ShownColumn) => void;
  selected: string | null;
  onSelect: (row: Row) => void;
  /** Another key on the selected row (a shortcut); true when it was handled. */
  onRowKey?: (key: string, modified: boolean) => boolean;
  /**
   * A row's context menu is asked for: a right click on it, or the Menu key /
   * Shift+F10 on the selected row. `at` is where to open it (viewport pixels);
   * `returnFocus` gets the focus back when it closes (the rows, which keep the selection).
   */
  onRowMenu?: (row: Row, at: { x: number; y: number }, returnFocus: HTMLElement) => void;
  /** The key of the row whose menu is open (marked while it is). */
  menuFor?: string | null;
  /** Column widths the user dragged, by column name. */
  widths?: Partial<Record<string, number>>;
  onWidth?: (column: string, width: number) => void;
  /** The view's CPU/MEM figures, for metrics columns. */
  metrics?: MetricsStore;
};

export type RowMenuHandler = NonNullable<Props["onRowMenu"]>;

function template(columns: readonly ShownColumn[], widths: Partial<Record<string, number>>): string {
  return columns.map((c) => columnTrack(widths[c.name], c.key === 0)).join(" ");
}

/**
 * The rows of a view as a virtualized grid: only the rows in sight (and a few
 * more) are in the DOM, so 50 000 rows scroll like 50.
 */
export function ResourceTable({
  columns,
  rows,
  sort,
  onSort,
  selected,
  onSelect,
  onRowKey,
  onRowMenu,
  menuFor = null,
  widths = {},
  onWidth,
  metrics,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer is an imperative handle by design; the rule cannot see that it is stable.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => {
      const row = rows[i];
      return row !== undefined ? rowKey(row) : i;
    },
  });
  const now = useNow();
  // A column being dragged shows its width live; it is kept when the drag ends.
  const [dragging, setDragging] = useState<{ column: string; width: number } | null>(null);
  const shownWidths = dragging !== null ? { ...widths, [dragging.column]: dragging.width } : widths;
  const grid = template(columns, shownWidths);

  // A row selected from elsewhere (palette, history) is scrolled into sight,
  // once per selection: rows moving under it later (deltas, sorting) must not
  // pull the view back while the user scrolls, nor cost a search per delta.
  const latestRows = useRef(rows);
  useEffect(() => {
    latestRows.current = rows;
  });
  useEffect(() => {
    if (selected === null) return;
    const index = latestRows.current.findIndex((r) => rowKey(r) === selected);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "auto" });
  }, [selected, virtualizer]);

  // Up/Down/Home/End move the selection (and the details panel) through the rows.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const at = selected === null ? -1 : rows.findIndex((r) => rowKey(r) === selected);
    if (isMenuKey(e.key, e.shiftKey)) {
      const row = rows[at];
      if (onRowMenu === undefined || row === undefined) return;
      e.preventDefault();
      const list = e.currentTarget;
      virtualizer.scrollToIndex(at);
      // Under the selected row's name when it is in sight, else the list's corner.
      const shown = list.querySelector<HTMLElement>('[role="row"][aria-selected="true"]');
      const rect = (shown ?? list).getBoundingClientRect();
      onRowMenu(row, { x: rect.left + 24, y: shown === null ? rect.top : rect.bottom }, list);
      return;
    }
    let next: number;
    switch (e.key) {
      case "ArrowDown":
        next = Math.min(at + 1, rows.length - 1);
        break;
      case "ArrowUp":
        next = Math.max(at - 1, 0);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = rows.length - 1;
        break;
      default:
        if (selected !== null && onRowKey?.(e.key, e.ctrlKey || e.metaKey || e.altKey) === true) e.preventDefault();
        return;
    }
    e.preventDefault();
    const row = rows[next];
    if (row === undefined) return;
    virtualizer.scrollToIndex(next);
    onSelect(row);
  };

  return (
    <div className="rtable" role="table" aria-rowcount={rows.length + 1} data-testid="resource-table">
      <div className="rtable__head" role="row" style={{ gridTemplateColumns: grid }}>
        {columns.map((c) => {
          const dir = sort?.key === c.key ? sort.dir : null;
          return (
            <div
              key={c.key}
              role="columnheader"
              className="rtable__th"
              aria-sort={dir === null ? "none" : dir === "asc" ? "ascending" : "descending"}
            >
              <button
                type="button"
                className="rtable__sort"
                data-testid="column-header"
                data-column={c.name}
                title={c.name}
                onClick={() => {
                  onSort(c);
                }}
              >
                {c.name}
                {dir !== null && <span aria-hidden="true">{dir === "asc" ? " ▲" : " ▼"}</span>}
              </button>
              {onWidth !== undefined && (
                <ColumnResizer
                  name={c.name}
                  width={shownWidths[c.name] ?? null}
                  onResize={(width) => {
                    setDragging({ column: c.name, width });
                  }}
                  onCommit={(width) => {
                    setDragging(null);
                    onWidth(c.name, width);
                  }}
                />
              )}
            </div>
          );
        })}
      </div>
      <div
        className="rtable__scroll"
        ref={scroller}
        tabIndex={0}
        aria-label="Rows (arrow keys move the selection)"
        data-testid="resource-rows"
        onKeyDown={onKeyDown}
        onContextMenu={(e) => {
          // The webview's own menu (Reload, Inspect) is no use here; rows open theirs.
          e.preventDefault();
        }}
      >
        <div className="rtable__space" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            const key = rowKey(row);
            return (
              <TableRow
                key={key}
                row={row}
                columns={columns}
                grid={grid}
                top={item.start}
                index={item.index}
                now={now}
                selected={key === selected}
                onSelect={onSelect}
                onMenu={onRowMenu}
                menuOpen={key === menuFor}
                metrics={metrics}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The right edge of a column header, dragged (or arrow keys) to size the column. */
function ColumnResizer({
  name,
  width,
  onResize,
  onCommit,
}: {
  name: string;
  width: number | null;
  onResize: (width: number) => void;
  onCommit: (width: number) => void;
}) {
  const edge = useRef<HTMLSpanElement>(null);
  return (
    <span className="rtable__resize" ref={edge}>
      <Splitter
        label={`Width of ${name}`}
        orientation="horizontal"
        size={width ?? 120}
        bounds={COLUMN_BOUNDS}
        grows={1}
        testId="column-resizer"
        measure={() => sizeOf(edge.current?.parentElement)}
        onResize={onResize}
        onCommit={onCommit}
      />
    </span>
  );
}

type RowProps = {
  row: Row;
  columns: readonly ShownColumn[];
  grid: string;
  top: number;
  index: number;
  now: number;
  selected: boolean;
  onSelect: (row: Row) => void;
  onMenu: Props["onRowMenu"];
  menuOpen: boolean;
  metrics: MetricsStore | undefined;
};

const TableRow = memo(function TableRow({
  row,
  columns,
  grid,
  top,
  index,
  now,
  selected,
  onSelect,
  onMenu,
  menuOpen,
  metrics,
}: RowProps) {
  const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
    if (onMenu === undefined) return;
    e.preventDefault();
    // The focus goes back to the rows (the focusable list) when the menu closes.
    const list = e.currentTarget.closest<HTMLElement>('[data-testid="resource-rows"]') ?? e.currentTarget;
    onMenu(row, { x: e.clientX, y: e.clientY }, list);
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`rtable__row${selected ? " rtable__row--selected" : ""}${menuOpen ? " rtable__row--menu" : ""}`}
      style={{ gridTemplateColumns: grid, transform: `translateY(${String(top)}px)`, height: ROW_HEIGHT }}
      data-testid="resource-row"
      data-name={row.name}
      data-namespace={row.namespace ?? ""}
      data-uid={row.uid}
      onClick={() => {
        onSelect(row);
      }}
      onContextMenu={onContextMenu}
    >
      {columns.map((c) => {
        if (isMetricColumn(c.key)) {
          return metrics === undefined ? (
            <div key={c.key} role="cell" className="rtable__td" data-testid="resource-cell" />
          ) : (
            <MetricCell key={c.key} store={metrics} rowKey={metricsKey(row)} column={c.key} />
          );
        }
        const text = c.key === "namespace" ? (row.namespace ?? "") : cellText(row.cells[c.key], now);
        return (
          <div key={c.key} role="cell" className="rtable__td" data-testid="resource-cell" title={text}>
            {text}
          </div>
        );
      })}
    </div>
  );
});

/**
 * A metrics cell: subscribed to its row's figures alone, so an update
 * re-renders the cells of rows whose figures changed and nothing else.
 */
function MetricCell({ store, rowKey: key, column }: { store: MetricsStore; rowKey: string; column: MetricColumnKey }) {
  const cells = useSyncExternalStore(
    (listener) => store.subscribeKey(key, listener),
    () => store.get(key),
  );
  const { text, level } = metricText(cells, metricOfColumn(column));
  return (
    <div
      role="cell"
      className={`rtable__td rtable__td--metric${level === "warn" || level === "over" ? ` rtable__td--${level}` : ""}`}
      data-testid="resource-cell"
      data-metric={column}
      data-level={level ?? undefined}
      title={text}
    >
      {text}
    </div>
  );
}
