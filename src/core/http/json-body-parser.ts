import type { FastifyInstance } from 'fastify';
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

/** Replaces Fastify's application/json parser; the body limit still applies before parsing. */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
