import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors/index.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses a JSON body into a value, or throws the catalogue error saying what was wrong.
 *
 * Fastify's built-in parser answers every failure with one generic error, and decodes
 * invalid UTF-8 into U+FFFD silently; clients need to tell a syntax error from a refused
 * `__proto__` key, and bytes that are not UTF-8 (RFC 8259 §8.1) from text.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new AppError('MALFORMED_JSON', 'Request body is empty');
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new AppError('MALFORMED_JSON', 'Request body is not valid UTF-8');
  }
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    if (/forbidden prototype property/.test((error as Error).message)) {
      throw new AppError('VALIDATION_FAILED', 'Request body contains a forbidden key (__proto__ or constructor.prototype)');
    }
    throw new AppError('MALFORMED_JSON', `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

// Methods whose routes here take no body: clients that set a default Content-Type on every
// request (a requests.Session with JSON headers, copied curl flags) send one with no body.
const BODYLESS_METHODS = new Set(['DELETE', 'OPTIONS']);

function isEmptyBodyOfBodylessMethod(request: FastifyRequest): boolean {
  return BODYLESS_METHODS.has(request.method) && request.headers['content-length'] === '0';
}

/**
 * The body must be what its headers say it is: no content coding (the service decodes none, RFC
 * 9110 §8.4.1 answers 415) and, when a charset is named, UTF-8 (the only encoding of JSON
 * exchanged between systems, RFC 8259 §8.1).
 */
export function refusedEncoding(headers: FastifyRequest['headers']): AppError | undefined {
  const coding = headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', `Request bodies must not be compressed (Content-Encoding: ${coding.slice(0, 32)})`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', `JSON bodies must be UTF-8 (charset=${charset.slice(0, 32)})`);
  }
  return undefined;
}

/**
 * Replaces Fastify's application/json parser (the body limit still applies before parsing), and
 * answers every other content type: 415, except an empty body on a method that takes none.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const buffer = body as Buffer;
    if (buffer.length === 0 && isEmptyBodyOfBodylessMethod(request)) {
      done(null, undefined);
      return;
    }
    try {
      const refused = refusedEncoding(request.headers);
      if (refused) throw refused;
      done(null, parseJsonBody(buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // Without a parser for a type Fastify answers 415 itself; this catch-all does the same, without
  // reading the body, but lets an empty DELETE through whatever type its client labelled it.
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    if (isEmptyBodyOfBodylessMethod(request)) {
      done(null, undefined);
      return;
    }
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Media Type: ${String(request.headers['content-type']).slice(0, 100)}`), undefined);
  });
}
