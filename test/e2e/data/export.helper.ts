import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Kysely, sql } from 'kysely';
import { DATABASE } from '../../../src/platform/database/index.js';
import { DataRepository } from '../../../src/modules/data/data.repository.js';
import type { DataRecord } from '../../../src/modules/data/data.record.js';
import { bearer } from '../../helpers/tokens.js';
import type { Caller } from './data-api.helper.js';

export const NDJSON_RESPONSE_TYPE = 'application/x-ndjson; charset=utf-8';

const BULK_CHUNK = 5_000;

/**
 * Inserts `count` records for `owner` with a few multi-row statements straight through the
 * app's Kysely instance (100k POSTs would take minutes). Record `i` (1-based, in insertion
 * order) has key `key-(i % 10)`, `nested.field1 = i` and about `padding` bytes of attributes.
 */
export async function bulkInsert(app: NestFastifyApplication, owner: string, count: number, padding = 200): Promise<void> {
  const db = app.get<Kysely<unknown>>(DATABASE);
  // Chunks keep each statement well inside the short query timeout of the test apps.
  for (let first = 1; first <= count; first += BULK_CHUNK) {
    const last = Math.min(count, first + BULK_CHUNK - 1);
    await sql`
      insert into records (id, owner, key, nested, tags, attributes)
      select gen_random_uuid(), ${owner}, 'key-' || (i % 10),
        json_build_object('field1', i, 'field2', 'example ' || i),
        '["alpha","beta"]'::json,
        json_build_object('index', i, 'note', repeat('x', ${padding}::int))
      from generate_series(${first}::int, ${last}::int) as i
      order by i`.execute(db);
  }
}

/** Counts the export's batch queries (a jest spy would keep every batch it returned alive). */
export interface BatchCounter {
  readonly calls: number;
  restore(): void;
}

/**
 * Wraps the repository's batch query to count calls; with `failAt`, that call (1-based)
 * fails instead, as a database lost mid-export would.
 */
export function countBatches(app: NestFastifyApplication, failAt?: { call: number; error: Error }): BatchCounter {
  const repository = app.get(DataRepository);
  const original = Object.getOwnPropertyDescriptor(repository, 'exportBatch');
  const read = repository.exportBatch.bind(repository);
  let calls = 0;
  repository.exportBatch = (scope, filter) => {
    calls++;
    return calls === failAt?.call ? Promise.reject(failAt.error) : read(scope, filter);
  };
  return {
    get calls() {
      return calls;
    },
    restore() {
      if (original) Object.defineProperty(repository, 'exportBatch', original);
      else delete (repository as Partial<DataRepository>).exportBatch;
    },
  };
}

/** GET /api/data/export through `app.inject()` (the whole body is collected). */
export function exportRecords(app: NestFastifyApplication, caller: Caller, query = '', headers: Record<string, string> = {}) {
  const url = query ? `/api/data/export?${query}` : '/api/data/export';
  return app.inject({ method: 'GET', url, headers: { ...bearer({ sub: caller.sub, scope: caller.scope ?? 'data:read' }), ...headers } });
}

/** The records of an NDJSON body, failing unless every line (the last included) ends with `\n`. */
export function parseNdjson(body: string): DataRecord[] {
  if (body === '') return [];
  expect(body.endsWith('\n')).toBe(true);
  return body
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as DataRecord);
}

/** Starts the app on a loopback port (closed with the app) and returns the port. */
export async function listenOnLoopback(app: NestFastifyApplication): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.getHttpServer().address() as AddressInfo).port;
}

/** Opens GET /api/data/export over a real socket; the body is left to the caller to read. */
export function openExport(port: number, caller: Caller, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path: '/api/data/export',
      agent: false,
      headers: { ...bearer({ sub: caller.sub, scope: caller.scope ?? 'data:read' }), ...headers },
    });
    req.once('response', resolve).once('error', reject).end();
  });
}

/** How a streamed body ended: read to its end, or cut off (the response was aborted). */
export interface StreamOutcome {
  lines: number;
  complete: boolean;
}

/** The response body as sent before compression: a response cut short makes it fail too. */
export function decodedBody(res: IncomingMessage): Readable {
  const encoding = res.headers['content-encoding'];
  if (encoding === undefined) return res;
  return pipeline(res, encoding === 'br' ? createBrotliDecompress() : createGunzip(), () => undefined);
}

/**
 * Reads an NDJSON body as it arrives, keeping only the unfinished line: hands each line to
 * `onLine` and counts them, without holding the body. Complete only when the body ended
 * normally after a `\n`; an aborted transfer makes the source fail or close without ending.
 */
export function readLines(body: Readable, onLine: (line: string) => void = () => undefined): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    let pending = '';
    let lines = 0;
    const decoder = new StringDecoder('utf8');
    const take = (text: string) => {
      const parts = (pending + text).split('\n');
      pending = parts.pop()!;
      for (const line of parts) onLine(line);
      lines += parts.length;
    };
    body.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
    body.once('end', () => {
      take(decoder.end());
      resolve({ lines, complete: pending === '' && (!('complete' in body) || body.complete === true) });
    });
    body.once('error', () => resolve({ lines, complete: false }));
    body.once('close', () => resolve({ lines, complete: false }));
    // Also after an explicit pause(), which a new 'data' listener does not undo.
    body.resume();
  });
}
