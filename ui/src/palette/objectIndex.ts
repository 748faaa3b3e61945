// The objects the palette searches by name: the rows of the views open now
// or opened recently, by reference (no copy), the most recent few kinds per
// context. Rows stay owned by their views; a closed view's last rows remain
// searchable until newer kinds push them out.
import type { KindInfo } from "../bindings/KindInfo";
import type { Row } from "../bindings/Row";

export type IndexedKind = { context: string; kindId: string; info: KindInfo; rows: ReadonlyMap<string, Row> };

/** Kinds kept per context. */
export const INDEX_KINDS = 6;

export class ObjectIndex {
  private kinds: IndexedKind[] = [];

  /** Records `rows` as the latest of a kind, most recent first. */
  publish(entry: IndexedKind): void {
    const rest = this.kinds.filter((k) => !(k.context === entry.context && k.kindId === entry.kindId));
    const sameContext = rest.filter((k) => k.context === entry.context);
    const dropped = sameContext.length >= INDEX_KINDS ? sameContext[sameContext.length - 1] : undefined;
    this.kinds = [entry, ...rest.filter((k) => k !== dropped)];
  }

  /** The kinds of `context`, most recently published first. */
  kindsOf(context: string): readonly IndexedKind[] {
    return this.kinds.filter((k) => k.context === context);
  }

  clear(): void {
    this.kinds = [];
  }
}

/** The app's one index, fed by the resource browser. */
export const objectIndex = new ObjectIndex();
