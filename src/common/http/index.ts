export { ifMatchHits, ifNoneMatchHits, versionEtag } from './etag.js';
export { NOT_MODIFIED, type NotModified, Page, type PageInfo } from './page.js';
