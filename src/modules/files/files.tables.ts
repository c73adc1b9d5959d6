import type { ColumnType, Selectable } from 'kysely';

export interface FilesTable {
  id: string;
  seq: ColumnType<string, never, never>;
  owner: string;
  filename: string;
  content_type: string;
  /** bigint: read as text by both drivers, see FilesRepository. */
  size: ColumnType<string, number, never>;
  sha256: string;
  description: string | null;
  created_at: ColumnType<Date, never, never>;
}

/** The tables the files module owns (created by the platform's migrations). */
export interface FilesTables {
  files: FilesTable;
}

export type FileRow = Selectable<FilesTable>;
