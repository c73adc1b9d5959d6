/**
 * Shapes of the data API as a caller sees them: the one definition of the wire contract. They
 * live here so the client ships without any of the server's code; the server types its
 * responses with them (type-only imports), so the two cannot drift apart.
 */

/** A stored record (the `data` of `GET /api/data/{id}`). */
export interface DataRecord {
  id: string;
  key: string;
  nested: { field1: number; field2: string } | null;
  tags: string[];
  attributes: Record<string, unknown>;
  owner: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The body of `POST /api/data` and `PUT /api/data/{id}` (a PUT replaces the whole record). */
export interface RecordBody {
  key: string;
  nested?: { field1: number; field2: string } | null;
  tags?: string[] | null;
  attributes?: Record<string, unknown> | null;
}

/** Metadata of an uploaded file (the `data` of `POST /api/files` and `GET /api/files/{id}/meta`). */
export interface FileMeta {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
  owner: string;
  createdAt: string;
}

/** The `page` of a list envelope: pass `nextCursor` back as `cursor` until it is null. */
export interface PageInfo {
  limit: number;
  nextCursor: string | null;
}

/** One page of a list. */
export interface Page<T> {
  data: T[];
  page: PageInfo;
}

/** Query of `GET /api/data`. */
export interface ListRecordsQuery {
  /** 1..100, default 20. */
  limit?: number;
  /** `page.nextCursor` of the previous page. */
  cursor?: string;
  /** Exact key filter. */
  key?: string;
}

/** Query of `GET /api/files`. */
export type ListFilesQuery = Omit<ListRecordsQuery, 'key'>;

/** Query of `GET /api/data/export`. */
export interface ExportQuery {
  /** Exact key filter. */
  key?: string;
  /** Records updated at or after this instant (a Date, an ISO 8601 date-time or `YYYY-MM-DD`). */
  since?: Date | string;
}

/** The error envelope's `error` member. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** A terminus health report (`GET /health/live`, `GET /health/ready`). */
export interface HealthReport {
  status: string;
  info?: Record<string, unknown>;
  error?: Record<string, unknown>;
  details?: Record<string, unknown>;
}
