import type { ColumnType, Generated, Selectable } from 'kysely';

/** JSON columns: parsed on read, written as the JSON text we serialized. */
type JsonColumn<T> = ColumnType<T, string, string>;

export interface RecordsTable {
  id: string;
  seq: ColumnType<string, never, never>;
  owner: string;
  key: string;
  nested: ColumnType<{ field1: number; field2: string } | null, string | null, string | null>;
  tags: JsonColumn<string[]>;
  attributes: JsonColumn<Record<string, unknown>>;
  version: Generated<number>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, string>;
}

/** The tables the data module owns (created by the platform's migrations). */
export interface DataTables {
  records: RecordsTable;
}

export type RecordRow = Selectable<RecordsTable>;
