import { seqCursor } from '../../common/http/index.js';

/** Cursors of `GET /api/data` (see seqCursor). */
const recordCursor = seqCursor('r1:');

export const encodeCursor = recordCursor.encode;
export const decodeCursor = recordCursor.decode;
