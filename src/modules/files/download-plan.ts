import { ifNoneMatchHits } from '../../common/http/index.js';
import { parseByteRange } from './byte-range.js';
import { rangeNotSatisfiable } from './files.errors.js';

/** The conditional and range headers of a download request. */
export interface DownloadConditions {
  ifNoneMatch?: string;
  range?: string;
  ifRange?: string;
}

/** What a download sends: nothing (304), every byte (200), or one range (206). */
export type DownloadPlan =
  | { kind: 'not-modified' }
  | { kind: 'whole' }
  | { kind: 'partial'; start: number; end: number };

/**
 * Applies RFC 9110's order: `If-None-Match` first (weak comparison, 304), then `Range`, which
 * `If-Range` only lets through when it names the current ETag (strong comparison; a date
 * never matches, as files carry no Last-Modified). A range outside the file is a 416.
 */
export function planDownload(etag: string, size: number, conditions: DownloadConditions): DownloadPlan {
  if (ifNoneMatchHits(conditions.ifNoneMatch, etag)) return { kind: 'not-modified' };
  if (conditions.ifRange !== undefined && conditions.ifRange.trim() !== etag) return { kind: 'whole' };
  const range = parseByteRange(conditions.range, size);
  if (range.kind === 'unsatisfiable') throw rangeNotSatisfiable(size);
  return range;
}
