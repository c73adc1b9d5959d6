import { resolve } from 'node:path';
import { type ConfigType, registerAs } from '@nestjs/config';
import { checkDirectory } from './ensure-directory.js';
import { ConfigError, readInt, readString } from './env.reader.js';

/** The upload allow-list when UPLOAD_ALLOWED_TYPES is not set. */
export const DEFAULT_UPLOAD_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
] as const;

// type/subtype as RFC 9110 tokens, lower case; parameters are not part of an allow-list entry.
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

function readMediaTypes(env: NodeJS.ProcessEnv, name: string, fallback: readonly string[]): string[] {
  const value = readString(env, name);
  if (value === undefined) return [...fallback];
  const types = value.split(',').map((type) => type.trim().toLowerCase()).filter((type) => type !== '');
  const invalid = types.find((type) => !MEDIA_TYPE.test(type));
  if (invalid !== undefined || types.length === 0) {
    throw new ConfigError(`${name} must be a comma-separated list of media types such as image/png (got "${value}")`);
  }
  return [...new Set(types)];
}

/** Uploaded files: where their bytes live and what may be uploaded. */
export const filesConfig = registerAs('files', () => {
  const env = process.env;
  const uploadDir = resolve(readString(env, 'UPLOAD_DIR', './data/files'));
  checkDirectory('UPLOAD_DIR', uploadDir);
  return {
    /** Largest accepted file, bytes (413 above it). */
    uploadMaxBytes: readInt(env, 'UPLOAD_MAX_BYTES', 25 * 1024 * 1024, { min: 1, max: 1024 * 1024 * 1024 * 1024 }),
    /** Declared content types accepted (lower case, no parameters). */
    uploadAllowedTypes: readMediaTypes(env, 'UPLOAD_ALLOWED_TYPES', DEFAULT_UPLOAD_TYPES),
    /** Absolute: the process may change directory, the files must not move. */
    uploadDir,
  };
});

export type FilesConfig = ConfigType<typeof filesConfig>;
