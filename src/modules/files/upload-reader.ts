import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import { maxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { isSafeText } from '../../common/validation/index.js';
import { AppError } from '../../core/errors/index.js';
import { contentMismatch, isTextType, Utf8Check } from './content-sniffing.js';
import type { FileStorage, WrittenFile } from './file-storage.js';
import {
  contentDoesNotMatch,
  fileTooLarge,
  invalidUpload,
  malformedMultipart,
  tooManyParts,
  typeNotAllowed,
} from './files.errors.js';
import { safeFilename } from './safe-filename.js';

export const DESCRIPTION_FIELD = 'description';
export const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * Parser limits: one file, at most one description (a second field is refused as a duplicate
 * rather than counted), a few parts in all, small part headers. Anything beyond them is a 413
 * before it costs memory.
 */
export const MULTIPART_LIMITS = {
  parts: 4,
  files: 1,
  fields: 2,
  fieldNameSize: 100,
  // 1024 characters of up to 4 UTF-8 bytes each.
  fieldSize: MAX_DESCRIPTION_LENGTH * 4,
  headerPairs: 8,
  headerSize: 8 * 1024,
};

export interface UploadRules {
  maxBytes: number;
  allowedTypes: readonly string[];
}

/** A complete, accepted upload still under its temporary name. */
export interface ReceivedUpload {
  file: WrittenFile;
  filename: string;
  contentType: string;
  description: string | null;
}

interface ReceivedFile {
  file: WrittenFile;
  filename: string;
  contentType: string;
}

// @fastify/multipart's errors for parser limits, all 413.
const LIMIT_CODES = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

/** Declared part type as an allow-list entry: lower case, parameters dropped. */
export function declaredType(mimetype: string | undefined): string {
  return (mimetype ?? '').split(';')[0].trim().toLowerCase();
}

/** Reads `description`; any other field, a second one, or a bad value is a 400. */
export function readDescription(part: MultipartValue, previous: string | undefined): string {
  const refuse = (message: string) => invalidUpload(DESCRIPTION_FIELD, message);
  if (part.fieldname !== DESCRIPTION_FIELD) {
    throw invalidUpload(String(part.fieldname), 'only one file part and a description field are accepted');
  }
  if (previous !== undefined) throw refuse('description must be sent once');
  if (typeof part.value !== 'string') throw refuse('description must be text');
  if (part.valueTruncated || !maxLength(part.value, MAX_DESCRIPTION_LENGTH)) {
    throw refuse(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (!isSafeText(part.value)) throw refuse('description must not contain NUL characters or unpaired surrogates');
  return part.value;
}

/** Streams the file part to a partial file, checking size and (for text) UTF-8 on the way. */
async function receiveFile(part: MultipartFile, storage: FileStorage, rules: UploadRules): Promise<ReceivedFile> {
  const contentType = declaredType(part.mimetype);
  if (!rules.allowedTypes.includes(contentType)) {
    await discardPart(part);
    throw typeNotAllowed(contentType);
  }
  const utf8 = isTextType(contentType) ? new Utf8Check() : undefined;
  const notText = () => contentDoesNotMatch('the file content is not UTF-8 text');
  const file = await storage.write(part.file, (chunk, size) => {
    if (size > rules.maxBytes) throw fileTooLarge(rules.maxBytes);
    if (utf8 && !utf8.push(chunk)) throw notText();
  });
  // The parser stops at the limit and marks the stream truncated instead of failing it.
  const problem = part.file.truncated ? fileTooLarge(rules.maxBytes) : utf8 && !utf8.end() ? notText() : undefined;
  if (problem) {
    await storage.discard(file.partialPath);
    throw problem;
  }
  return { file, filename: safeFilename(part.filename), contentType };
}

/** Any failure while reading the body as the catalogue error a client should see. */
export function uploadError(error: unknown, rules: UploadRules): unknown {
  if (error instanceof AppError) return error;
  const { code, syscall, message } = error as NodeJS.ErrnoException;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return fileTooLarge(rules.maxBytes);
  if (code !== undefined && LIMIT_CODES.has(code)) return tooManyParts();
  if (code === 'FST_PROTO_VIOLATION') {
    return invalidUpload('form', 'field names such as __proto__ or constructor are not allowed');
  }
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') return invalidUpload(DESCRIPTION_FIELD, 'description must be text');
  // A failing disk is the server's problem; everything else came from the request's bytes.
  if (typeof syscall === 'string') return error;
  return malformedMultipart(message);
}

/** Stops parsing and discards what the client still sends, so the connection stays usable. */
function stopReading(raw: IncomingMessage): void {
  raw.unpipe();
  if (!raw.readableEnded) raw.resume();
}

/** Reads a part's bytes to nowhere, so the parser moves on to the next one. */
async function discardPart(part: Multipart): Promise<void> {
  if (part.type === 'file') await pipeline(part.file, new Writable({ write: (_chunk, _encoding, done) => done() }));
}

/**
 * Reads every part. After the first refused one, the rest are only read through (the parser's
 * limits still apply), so a body over a limit is a 413 wherever its parts are refused.
 */
async function readParts(request: FastifyRequest, storage: FileStorage, rules: UploadRules, received: { file?: ReceivedFile }) {
  let description: string | undefined;
  let refusal: AppError | undefined;
  const parts: AsyncIterable<Multipart> = request.parts({ limits: { ...MULTIPART_LIMITS, fileSize: rules.maxBytes } });
  for await (const part of parts) {
    if (refusal) {
      await discardPart(part);
      continue;
    }
    try {
      if (part.type === 'file') received.file = await receiveFile(part, storage, rules);
      else description = readDescription(part, description);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refusal = error;
    }
  }
  if (refusal) throw refusal;
  return description;
}

/**
 * Receives a multipart upload: exactly one file part (any field name) and an optional
 * `description`. The file is streamed to a partial file in constant memory, hashed and sized
 * on the way; its declared type must be allowed and match its bytes. On any failure nothing
 * is left on disk.
 */
export async function receiveUpload(request: FastifyRequest, storage: FileStorage, rules: UploadRules): Promise<ReceivedUpload> {
  const received: { file?: ReceivedFile } = {};
  try {
    const description = await readParts(request, storage, rules, received);
    if (!received.file) throw invalidUpload('file', 'a file part is required');
    const mismatch = await contentMismatch(received.file.contentType, received.file.file.head);
    if (mismatch) throw contentDoesNotMatch(mismatch);
    return { ...received.file, description: description ?? null };
  } catch (error) {
    if (received.file) await storage.discard(received.file.file.partialPath);
    stopReading(request.raw);
    throw uploadError(error, rules);
  }
}
