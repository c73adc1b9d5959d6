export { ifMatchHits, ifNoneMatchHits, versionEtag } from './etag.js';
export { NOT_MODIFIED, type NotModified, Page, type PageInfo } from './page.js';
export { DEFAULT_PAGE_LIMIT, PageQuery } from './page-query.js';
export { type SeqCursor, seqCursor } from './seq-cursor.js';
export { SerializedResult } from './serialized-result.js';
