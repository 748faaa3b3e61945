// The secrets table's filter by type (the server's "Type" column).
import type { Column } from "../bindings/Column";
import type { Row } from "../bindings/Row";

function typeIndex(columns: readonly Column[]): number {
  return columns.findIndex((c) => c.name.toLowerCase() === "type");
}

function typeOf(row: Row, index: number): string | null {
  const cell = row.cells[index];
  return cell?.type === "text" ? cell.text : null;
}

/** The distinct secret types in the rows, sorted. */
export function secretTypes(columns: readonly Column[], rows: Iterable<Row>): string[] {
  const i = typeIndex(columns);
  if (i < 0) return [];
  const types = new Set<string>();
  for (const row of rows) {
    const t = typeOf(row, i);
    if (t !== null && t !== "") types.add(t);
  }
  return [...types].sort();
}

/** The rows of type `type` (all rows when null or when there is no Type column). */
export function filterByType(columns: readonly Column[], rows: readonly Row[], type: string | null): readonly Row[] {
  const i = typeIndex(columns);
  if (type === null || i < 0) return rows;
  return rows.filter((r) => typeOf(r, i) === type);
}
