/** Cursor pagination state sent as the list envelope's `page`. */
export interface PageInfo {
  limit: number;
  nextCursor: string | null;
}

/** A handler returns a Page to get a list envelope: `data` = items, plus `page`. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly info: PageInfo,
  ) {}
}

/** Returned by a handler that set 304: the envelope interceptor sends no body. */
export const NOT_MODIFIED: unique symbol = Symbol('NOT_MODIFIED');
export type NotModified = typeof NOT_MODIFIED;
