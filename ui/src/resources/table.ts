// What the table shows of a view's rows: which columns, in which order the
// rows go, and which rows a text filter keeps. Pure, so it is memoized by the
// component and tested here.
import type { Cell } from "../bindings/Cell";
import type { Column } from "../bindings/Column";
import type { Row } from "../bindings/Row";
import { formatAge, formatRestarts } from "./age";

/** A column index into Row.cells, or the NAMESPACE column the UI adds. */
export type ColumnKey = number | "namespace";

export type ShownColumn = { key: ColumnKey; name: string };

export type SortSpec = { key: ColumnKey; dir: "asc" | "desc" };

/**
 * The columns to show: priority 0 always, higher priorities only in wide mode;
 * NAMESPACE after NAME when the view spans several namespaces (as kubectl -A).
 */
export function visibleColumns(columns: readonly Column[], wide: boolean, withNamespace: boolean): ShownColumn[] {
  const shown: ShownColumn[] = [];
  columns.forEach((c, i) => {
    if (c.priority === 0 || wide) shown.push({ key: i, name: c.name });
  });
  if (withNamespace && !columns.some((c) => c.name.toUpperCase() === "NAMESPACE")) {
    shown.unshift({ key: "namespace", name: "NAMESPACE" });
  }
  return shown;
}

/** Whether a view over `namespaces` of a kind shows rows of more than one namespace. */
export function spansNamespaces(namespaced: boolean, namespaces: readonly string[]): boolean {
  return namespaced && namespaces.length !== 1;
}

/** A cell as text at `nowMs` (ages and restart times move with the clock). */
export function cellText(cell: Cell | undefined, nowMs: number): string {
  if (cell === undefined) return "";
  switch (cell.type) {
    case "text":
      return cell.text;
    case "number":
      return String(cell.value);
    case "age":
      return formatAge(cell.sinceMs, nowMs);
    case "restarts":
      return formatRestarts(cell.count, cell.lastMs, nowMs);
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

type SortValue = { n: number } | { s: string } | null;

function sortValue(row: Row, key: ColumnKey): SortValue {
  if (key === "namespace") return { s: row.namespace ?? "" };
  const cell = row.cells[key];
  if (cell === undefined) return null;
  switch (cell.type) {
    case "text":
      return { s: cell.text };
    case "number":
      return { n: cell.value };
    // An older object has a larger age: sort by age, not by timestamp.
    case "age":
      return cell.sinceMs === null ? null : { n: -cell.sinceMs };
    case "restarts":
      return { n: cell.count };
  }
}

function compareValues(a: SortValue, b: SortValue): number {
  // Missing values last in either direction is simpler to read; keep them last ascending.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if ("n" in a && "n" in b) return a.n - b.n;
  const as = "n" in a ? String(a.n) : a.s;
  const bs = "n" in b ? String(b.n) : b.s;
  return collator.compare(as, bs);
}

/** Rows in display order: by the sort column, ties by namespace then name. */
export function sortRows(rows: Iterable<Row>, sort: SortSpec | null): Row[] {
  const list = [...rows];
  const byName = (a: Row, b: Row) =>
    collator.compare(a.namespace ?? "", b.namespace ?? "") || collator.compare(a.name, b.name);
  if (sort === null) return list.sort(byName);
  const sign = sort.dir === "asc" ? 1 : -1;
  // Decorate once: the comparator then does no cell lookups.
  const decorated = list.map((row) => ({ row, value: sortValue(row, sort.key) }));
  decorated.sort((a, b) => sign * compareValues(a.value, b.value) || byName(a.row, b.row));
  return decorated.map((d) => d.row);
}

/**
 * The rows matching `text` (case-insensitive, any text or number cell, the
 * namespace, or the name); rows whose name matches come first, each group in
 * the order given.
 */
export function filterRows(rows: readonly Row[], text: string): readonly Row[] {
  const needle = text.trim().toLowerCase();
  if (needle === "") return rows;
  const byName: Row[] = [];
  const byOther: Row[] = [];
  for (const row of rows) {
    if (row.name.toLowerCase().includes(needle)) {
      byName.push(row);
      continue;
    }
    if ((row.namespace ?? "").toLowerCase().includes(needle) || row.cells.some((c) => cellMatches(c, needle))) {
      byOther.push(row);
    }
  }
  return byName.concat(byOther);
}

function cellMatches(cell: Cell, needle: string): boolean {
  switch (cell.type) {
    case "text":
      return cell.text.toLowerCase().includes(needle);
    case "number":
      return String(cell.value).includes(needle);
    case "restarts":
      return String(cell.count).includes(needle);
    case "age":
      return false;
  }
}

/** The next sort after a click on a column header: asc, desc, then off. */
export function nextSort(current: SortSpec | null, key: ColumnKey): SortSpec | null {
  if (current?.key !== key) return { key, dir: "asc" };
  return current.dir === "asc" ? { key, dir: "desc" } : null;
}
