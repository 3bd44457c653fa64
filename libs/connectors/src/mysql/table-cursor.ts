import { RowStream } from './row-stream';
import { Row } from './session';

/**
 * Orders names by code point, as the server orders them by their UTF-8 bytes (`byTableName`).
 * JavaScript's `<` compares UTF-16 units instead, which put characters above U+FFFF (surrogate
 * pairs) before U+E000–U+FFFF.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (0xD800–0xDFFF) above the rest of the BMP, keeping each group's order. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * One side of a merge join: rows of a statement ordered by table name, taken one table at a time
 * in the same order. Rows of tables the merge never asks for (dropped or created between
 * statements, or out of scope) are passed over.
 */
export class TableCursor {
  private rows: Row[] = [];
  private index = 0;
  private ended = false;

  constructor(
    private readonly source: RowStream,
    private readonly tableOf: (row: Row) => string,
  ) {}

  /** The rows of `table`; every table asked for before comes earlier in the order. */
  async take(table: string): Promise<Row[]> {
    const out: Row[] = [];
    for (;;) {
      if (this.index === this.rows.length) {
        if (this.ended || !(await this.refill())) return out;
      }
      const row = this.rows[this.index];
      const name = this.tableOf(row);
      if (name !== table) {
        if (compareNames(name, table) > 0) return out;
      } else out.push(row);
      this.index++;
    }
  }

  /** Done taking rows: the statement ends cleanly and its connection is reused. */
  async finish(): Promise<void> {
    this.rows = [];
    this.index = 0;
    this.ended = true;
    await this.source.drain();
  }

  close(): void {
    this.source.close();
  }

  private async refill(): Promise<boolean> {
    const rows = await this.source.next();
    this.rows = rows ?? [];
    this.index = 0;
    if (!rows) this.ended = true;
    return rows !== undefined;
  }
}
