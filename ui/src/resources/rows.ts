// The rows of one open view, as a pure reducer over the view's channel
// messages. Rows are kept in a Map by uid so a delta touches only its rows;
// each message produces one new state (one React update per message).
import type { Column } from "../bindings/Column";
import type { Row } from "../bindings/Row";
import type { ViewEvent } from "../bindings/ViewEvent";
import type { ViewStatus } from "../bindings/ViewStatus";

export type RowsState = {
  columns: Column[];
  rows: ReadonlyMap<string, Row>;
  status: ViewStatus;
  /** False until the first snapshot arrives (an empty table then means "no objects"). */
  loaded: boolean;
};

export const INITIAL_ROWS: RowsState = {
  columns: [],
  rows: new Map(),
  status: { state: "listing" },
  loaded: false,
};

/** The key of a row: its uid, or namespace/name for the rare object without one. */
export function rowKey(row: Row): string {
  return row.uid !== "" ? row.uid : `${row.namespace ?? ""}/${row.name}`;
}

export function rowsReducer(state: RowsState, event: ViewEvent): RowsState {
  switch (event.type) {
    case "columns":
      return { ...state, columns: event.columns };
    case "snapshot": {
      const rows = new Map<string, Row>();
      for (const row of event.rows) rows.set(rowKey(row), row);
      return { ...state, rows, loaded: true };
    }
    case "deltas": {
      if (event.upserts.length === 0 && event.deletes.length === 0) return state;
      // One copy per message, however many deltas it carries.
      const rows = new Map(state.rows);
      for (const uid of event.deletes) rows.delete(uid);
      for (const row of event.upserts) rows.set(rowKey(row), row);
      return { ...state, rows };
    }
    case "status":
      return { ...state, status: event.status };
  }
}
