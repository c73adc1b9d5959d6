import type { FileMeta } from '../../client/api.types.js';
import type { FileRow } from './files.tables.js';

/**
 * An uploaded file's metadata as the API returns it: the client's published `FileMeta` (see
 * DataRecord in the data module for why the wire types live there). `filename` is the sanitized
 * name, `contentType` the declared type without parameters, `sha256` lower-case hex (the ETag).
 */
export type StoredFile = FileMeta;

export function toStoredFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    description: row.description,
    owner: row.owner,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The strong ETag of a file's bytes. */
export const fileEtag = (file: Pick<StoredFile, 'sha256'>) => `"${file.sha256}"`;
