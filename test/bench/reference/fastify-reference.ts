/**
 * The bare-Fastify reference of `npm run bench`: the same work per request as the service
 * (JSON-schema validation, HS256 JWT check with a KeyObject, the same Kysely statements on the
 * same backend, a per-caller response cache, one pino access line, one prom-client histogram)
 * with none of the framework around it. Configured by environment: PORT, JWT_SECRET,
 * DATABASE_URL or DATA_DIR, REDIS_URL, CACHE_PREFIX.
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import jwt from 'jsonwebtoken';
import { pino } from 'pino';
import { Histogram, register } from 'prom-client';
import { openReferenceCache, type ReferenceCache } from './reference-cache.js';
import { type RecordContent, ReferenceStore, toApiRecord } from './reference-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const EXPORT_BATCH = 500;

const secret = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? ''));

interface Caller {
  sub: string;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 256 },
    nested: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['field1', 'field2'],
      properties: { field1: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 }, field2: { type: 'string', maxLength: 1024 } },
    },
    tags: { type: 'array', maxItems: 32, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } },
    attributes: { type: 'object' },
  },
} as const;

const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
} as const;

function envelope(request: FastifyRequest, dataJson: string): string {
  return `{"status":"success","data":${dataJson},"timestamp":"${new Date().toISOString()}","requestId":${JSON.stringify(request.id)}}`;
}

function fail(reply: FastifyReply, status: number, code: string): FastifyReply {
  const body = { status: 'error', error: { code, message: code }, timestamp: new Date().toISOString(), requestId: reply.request.id };
  return reply.code(status).send(body);
}

/** Bearer HS256 token with `sub` and `exp`, and the scope the route needs. */
function authenticate(request: FastifyRequest, scope: string): Caller | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  try {
    const claims = jwt.verify(header.slice(7), secret, { algorithms: ['HS256'], clockTolerance: 5 }) as jwt.JwtPayload;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    return scopes.includes(scope) ? { sub: claims.sub, scopes } : undefined;
  } catch {
    return undefined;
  }
}

const matches = (header: string | undefined, etag: string) =>
  header !== undefined && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

async function* ndjson(store: ReferenceStore, owner: string): AsyncGenerator<string> {
  let after: string | undefined;
  for (;;) {
    const rows = await store.exportBatch(owner, after, EXPORT_BATCH);
    if (rows.length > 0) yield rows.map((row) => `${JSON.stringify(toApiRecord(row))}\n`).join('');
    if (rows.length < EXPORT_BATCH) return;
    after = rows[rows.length - 1].seq;
  }
}

function buildServer(store: ReferenceStore, cache: ReferenceCache) {
  const logger = pino({ level: 'info', timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } });
  const app = Fastify({
    loggerInstance: logger,
    // One access line per request (below) instead of Fastify's two, as the service does.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'request duration',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    histogram.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000);
    const line: Record<string, unknown> = { method: request.method, route, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 1000) / 1000 };
    const bytes = Number(reply.getHeader('content-length'));
    if (Number.isFinite(bytes)) line.bytes = bytes;
    if (request.caller) line.sub = request.caller.sub;
    request.log.info(line, 'request completed');
  });
  const guard = (scope: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    request.caller = authenticate(request, scope);
    if (!request.caller) return fail(reply, 401, 'UNAUTHORIZED');
  };

  app.post('/api/data', { schema: { body: bodySchema }, onRequest: guard('data:write') }, async (request, reply) => {
    const owner = request.caller!.sub;
    const row = await store.insert(randomUUID(), owner, request.body as RecordContent);
    await cache.dropOwner(owner);
    reply.code(201).header('Location', `/api/data/${row.id}`).header('ETag', `"${row.version}"`).type('application/json');
    return envelope(request, JSON.stringify(toApiRecord(row)));
  });

  app.get('/api/data/export', { onRequest: guard('data:read') }, async (request, reply) => {
    reply.type('application/x-ndjson; charset=utf-8');
    return reply.send(Readable.from(ndjson(store, request.caller!.sub)));
  });

  app.get<{ Params: { id: string } }>('/api/data/:id', { onRequest: guard('data:read') }, async (request, reply) => {
    const owner = request.caller!.sub;
    if (!UUID.test(request.params.id)) return fail(reply, 404, 'NOT_FOUND');
    let entry = await cache.get(owner, request.url);
    reply.header('X-Cache', entry ? 'HIT' : 'MISS');
    if (!entry) {
      const row = await store.find(request.params.id, owner);
      if (!row) return fail(reply, 404, 'NOT_FOUND');
      entry = { etag: `"${row.version}"`, body: JSON.stringify(toApiRecord(row)) };
      await cache.set(owner, request.url, entry);
    }
    reply.header('ETag', entry.etag);
    if (matches(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
    return reply.type('application/json').send(envelope(request, entry.body));
  });

  app.get<{ Querystring: { limit: number } }>('/api/data', { schema: { querystring: listQuerySchema }, onRequest: guard('data:read') }, async (request, reply) => {
    const owner = request.caller!.sub;
    let entry = await cache.get(owner, request.url);
    reply.header('X-Cache', entry ? 'HIT' : 'MISS');
    if (!entry) {
      const rows = await store.list(owner, request.query.limit);
      const page = rows.slice(0, request.query.limit);
      const next = rows.length > page.length ? Buffer.from(page[page.length - 1].seq).toString('base64url') : null;
      entry = { etag: '', body: `${JSON.stringify(page.map(toApiRecord))},"page":${JSON.stringify({ limit: request.query.limit, nextCursor: next })}` };
      await cache.set(owner, request.url, entry);
    }
    return reply
      .type('application/json')
      .send(`{"status":"success","data":${entry.body},"timestamp":"${new Date().toISOString()}","requestId":${JSON.stringify(request.id)}}`);
  });

  app.get('/health/ready', async () => {
    await store.ping();
    return { status: 'ok' };
  });
  app.get('/metrics', async (_request, reply) => reply.type(register.contentType).send(await register.metrics()));
  return app;
}

async function main(): Promise<void> {
  const store = await ReferenceStore.open(process.env.DATABASE_URL, process.env.DATA_DIR);
  const cache = await openReferenceCache(process.env.REDIS_URL, process.env.CACHE_PREFIX ?? 'bench-ref:', 60);
  const app = buildServer(store, cache);
  app.addHook('onClose', async () => {
    await cache.close();
    await store.close();
  });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3100) });
}

main().catch((error: unknown) => {
  process.stderr.write(`fastify reference failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
