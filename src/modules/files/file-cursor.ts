import { seqCursor } from '../../common/http/index.js';

/** Cursors of `GET /api/files`: their own prefix, so a records cursor is refused here. */
const fileCursor = seqCursor('f1:');

export const encodeFileCursor = fileCursor.encode;
export const decodeFileCursor = fileCursor.decode;
