/**
 * Entity tags for versioned resources (RFC 9110 §8.8.3, §13.1).
 *
 * The tag names the stored state (its version), not the envelope bytes, which carry a fresh
 * timestamp and request id on every response.
 */
export function versionEtag(version: number): string {
  return `"${version}"`;
}

function listedTags(header: string): string[] {
  return header.split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}

/** `If-None-Match` uses weak comparison: `W/"3"` matches `"3"`. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return listedTags(header).some((tag) => tag === '*' || bare(tag) === bare(etag));
}

/** `If-Match` uses strong comparison: weak tags never match. */
export function ifMatchHits(header: string, etag: string): boolean {
  if (etag.startsWith('W/')) return listedTags(header).includes('*');
  return listedTags(header).some((tag) => tag === '*' || tag === etag);
}
