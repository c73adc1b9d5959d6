import type { ServerKind } from './bench-servers.js';
import type { RequestShape } from './wrk-script.js';

export type ScenarioId = 'post' | 'get-hit' | 'get-304' | 'list' | 'export';

/** The article's body, as in the measurements. */
export const ARTICLE_BODY = JSON.stringify({ key: 'test_value', nested: { field1: 123, field2: 'example' } });

/** What a server was seeded with, and the tokens of the bench's callers. */
export interface TargetState {
  /** A record of the reader, read once so it is cached. */
  readerRecordId: string;
  tokens: { writer: string; reader: string; exporter: string };
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Servers that take part, in the order they run within a round. */
  servers: ServerKind[];
  /** Connections override (the export streams large bodies). */
  connections?: (defaults: { connections: number; exportConnections: number }) => number;
  shape(kind: ServerKind, state: TargetState): RequestShape;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** The ceiling does no caching, so it carries no honest X-Cache to check. */
const cached = (kind: ServerKind) => kind !== 'node-http-ceiling';

export const SCENARIOS: Scenario[] = [
  {
    id: 'post',
    title: 'POST /api/data',
    servers: ['data-api', 'fastify-reference', 'flask-article-app'],
    shape: (_kind, state) => ({
      method: 'POST',
      path: '/api/data',
      headers: { ...bearer(state.tokens.writer), 'Content-Type': 'application/json' },
      body: ARTICLE_BODY,
      expectStatus: 201,
      expectCacheHit: false,
    }),
  },
  {
    id: 'get-hit',
    title: 'GET /api/data/{id} (cache hit)',
    servers: ['data-api', 'fastify-reference', 'node-http-ceiling'],
    shape: (kind, state) => ({
      method: 'GET',
      path: `/api/data/${state.readerRecordId}`,
      headers: bearer(state.tokens.reader),
      expectStatus: 200,
      expectCacheHit: cached(kind),
    }),
  },
  {
    id: 'get-304',
    title: 'GET /api/data/{id} If-None-Match (304)',
    servers: ['data-api', 'fastify-reference'],
    shape: (_kind, state) => ({
      method: 'GET',
      path: `/api/data/${state.readerRecordId}`,
      headers: { ...bearer(state.tokens.reader), 'If-None-Match': '"1"' },
      expectStatus: 304,
      expectCacheHit: true,
    }),
  },
  {
    id: 'list',
    title: 'GET /api/data?limit=20',
    servers: ['data-api', 'fastify-reference'],
    shape: (_kind, state) => ({
      method: 'GET',
      path: '/api/data?limit=20',
      headers: bearer(state.tokens.reader),
      expectStatus: 200,
      expectCacheHit: true,
    }),
  },
  {
    id: 'export',
    title: 'GET /api/data/export (records/s)',
    servers: ['data-api', 'fastify-reference'],
    connections: (defaults) => defaults.exportConnections,
    shape: (_kind, state) => ({
      method: 'GET',
      path: '/api/data/export',
      headers: bearer(state.tokens.exporter),
      expectStatus: 200,
      expectCacheHit: false,
    }),
  },
];
