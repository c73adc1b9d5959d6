import { type AddressInfo, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { type Kysely, sql } from 'kysely';
import { DataRepository } from '../../../src/modules/data/data.repository.js';
import type { DataRecord } from '../../../src/modules/data/data.record.js';
import type { DataTables } from '../../../src/modules/data/data.tables.js';
import { DATABASE } from '../../../src/platform/database/index.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { parseRawResponse } from '../../helpers/raw-http.js';
import { bearer, token } from '../../helpers/tokens.js';
import { testBackends } from '../../setup/backends.js';
import { createTestApp } from '../../setup/create-test-app.js';
import { expectSuccess, JSON_TYPE, READ_WRITE, type Response, uniqueSub, useDataSuite } from './data-api.helper.js';

// Concurrent creates share multi-row INSERTs (InsertCoalescer): every caller must still get its
// own record, its own error, and Idempotency-Key must behave exactly as with one insert each.

/** A response envelope as parsed: `data` on success, `error` otherwise. */
interface Envelope {
  status: string;
  data: DataRecord;
  error: { code: string; message: string };
}

/**
 * How many transactions wrote these owners' records: rows written by one statement share their
 * xmin. Without coalescing every record is a statement (and a transaction) of its own.
 */
async function writingStatements(db: Kysely<DataTables>, owners: string[]): Promise<{ records: number; statements: number }> {
  const { rows } = await sql<{ records: number; statements: number }>`
    select count(*)::int as records, count(distinct xmin::text)::int as statements
    from records where owner in (${sql.join(owners)})`.execute(db);
  return rows[0];
}

interface Post {
  sub: string;
  body: unknown;
  headers?: Record<string, string>;
}

function rawPost({ sub, body, headers = {} }: Post): string {
  const payload = Buffer.from(JSON.stringify(body));
  const head = {
    host: '127.0.0.1',
    authorization: `Bearer ${token({ sub, scope: READ_WRITE })}`,
    'content-type': JSON_TYPE,
    'content-length': String(payload.length),
    connection: 'close',
    ...headers,
  };
  return `POST /api/data HTTP/1.1\r\n${Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${payload}`;
}

async function responseOf(socket: Socket): Promise<{ status: number; json: Envelope }> {
  let raw = '';
  socket.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  await once(socket, 'close');
  const { status, body } = parseRawResponse(raw);
  return { status, json: body as Envelope };
}

/**
 * POSTs that reach the server together, as they do under load: every connection is open and
 * accepted first, then all requests are written at once. (An HTTP client in this same process
 * would dispatch them one event-loop turn apart, which is not what a busy server sees.)
 */
async function burst(server: Server, posts: Post[]): Promise<Array<{ status: number; json: Envelope }>> {
  const { port } = server.address() as AddressInfo;
  const sockets = posts.map(() => connect({ host: '127.0.0.1', port }));
  await Promise.all(sockets.map((socket) => once(socket, 'connect')));
  const connections = () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  while ((await connections()) < posts.length) await new Promise((resolve) => setImmediate(resolve));
  const responses = sockets.map(responseOf);
  sockets.forEach((socket, i) => socket.write(rawPost(posts[i])));
  return Promise.all(responses);
}

describe.each(testBackends())('coalesced POST /api/data (%s)', (backend) => {
  const suite = useDataSuite(backend);
  let db: Kysely<DataTables>;
  beforeAll(async () => {
    await suite.app.listen({ port: 0, host: '127.0.0.1' });
    db = suite.app.get<Kysely<DataTables>>(DATABASE);
  });

  const server = () => suite.app.getHttpServer() as Server;
  const post = async (sub: string, body: unknown, headers: Record<string, string> = {}) => (await burst(server(), [{ sub, body, headers }]))[0];

  it('100 concurrent POSTs create 100 records, each answered with its own, in fewer statements', async () => {
    const owners = [uniqueSub('a'), uniqueSub('b'), uniqueSub('c'), uniqueSub('d')];
    const bodies = Array.from({ length: 100 }, (_, i) =>
      recordBody({ key: `k-${i}`, tags: [`t${i}`], attributes: { index: i }, nested: { field1: i, field2: `f${i}` } }),
    );
    const responses = await burst(server(), bodies.map((body, i) => ({ sub: owners[i % 4], body })));

    responses.forEach((res, i) => {
      expect(res.status).toBe(201);
      expect(res.json.data).toMatchObject({ ...bodies[i], owner: owners[i % 4], version: 1 });
    });
    const records = responses.map((res) => res.json.data);
    expect(new Set(records.map((record) => record.id)).size).toBe(100);
    // What was stored is what each caller was told.
    for (const [i, record] of records.entries()) {
      expect(await suite.api.read({ sub: owners[i % 4] }, record.id)).toEqual(record);
    }
    const { records: stored, statements } = await writingStatements(db, owners);
    expect(stored).toBe(100);
    expect(statements).toBeLessThanOrEqual(10);
  });

  it('a row the database refuses fails only its own caller, with the status it gets alone', async () => {
    // Validation lets nothing through that PostgreSQL would refuse, so a test-only constraint
    // stands in for the kind of error only the database can raise.
    await sql`alter table records add constraint coalescing_poison check (key <> 'poison')`.execute(db);
    try {
      const owner = uniqueSub('poison');
      const alone = await post(owner, recordBody({ key: 'poison' }));
      expect(alone.status).toBe(500);
      expect(alone.json).toMatchObject({ status: 'error', error: { code: 'INTERNAL_ERROR' } });

      const keys = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'poison' : `fine-${i}`));
      const responses = await burst(server(), keys.map((key) => ({ sub: owner, body: recordBody({ key }) })));
      responses.forEach((res, i) => {
        if (keys[i] === 'poison') {
          expect({ status: res.status, error: res.json.error }).toEqual({ status: alone.status, error: { ...alone.json.error } });
        } else {
          expect(res.status).toBe(201);
          expect(res.json.data.key).toBe(keys[i]);
        }
      });
      expect((await suite.api.listAll({ sub: owner })).map((record) => record.key).sort()).toEqual(keys.filter((key) => key !== 'poison').sort());
    } finally {
      await sql`alter table records drop constraint coalescing_poison`.execute(db);
    }
  });

  it('concurrent POSTs with one Idempotency-Key still create exactly one record', async () => {
    const owner = uniqueSub('idem');
    const others = uniqueSub('others');
    const key = `coalesced-${Math.random().toString(36).slice(2)}`;
    // Unkeyed creates in the same moments, so the keyed one shares a statement with them.
    const responses = await burst(server(), [
      ...Array.from({ length: 30 }, () => ({ sub: owner, body: recordBody({ key: 'once' }), headers: { 'idempotency-key': key } })),
      ...Array.from({ length: 30 }, (_, i) => ({ sub: others, body: recordBody({ key: `other-${i}` }) })),
    ]);
    const [keyed, plain] = [responses.slice(0, 30), responses.slice(30)];
    expect(keyed.every((res) => res.status === 201 || res.status === 409)).toBe(true);
    const created = keyed.filter((res) => res.status === 201);
    expect(new Set(created.map((res) => res.json.data.id)).size).toBe(1);
    expect(plain.every((res) => res.status === 201)).toBe(true);
    expect(await suite.api.count({ sub: owner })).toBe(1);

    const replay = await post(owner, recordBody({ key: 'once' }), { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.json.data.id).toBe(created[0].json.data.id);
  });
});

describe.each(testBackends())('coalesced inserts at shutdown (%s)', (backend) => {
  it('writes every insert still queued when the app closes, and answers each', async () => {
    const t = await createTestApp({ backend });
    let closed = false;
    try {
      const repository = t.app.get(DataRepository);
      const insert = jest.spyOn(repository, 'insert');
      const sub = uniqueSub('shutdown');
      // More than one batch: some are still queued behind a running statement when close starts.
      const pending: Array<Promise<Response>> = Array.from({ length: 150 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/data',
          headers: { ...bearer({ sub, scope: READ_WRITE }), 'content-type': JSON_TYPE },
          payload: JSON.stringify(recordBody({ key: `s-${i}` })),
        }),
      );
      while (insert.mock.calls.length < 150) await new Promise((resolve) => setImmediate(resolve));
      // inject() bypasses the HTTP server, whose close would otherwise wait for these requests:
      // only the repository's shutdown hook stands between them and the database closing.
      const closing = t.close().then(() => (closed = true));
      const responses = await Promise.all(pending);
      await closing;
      responses.forEach((res, i) => {
        expectSuccess(res, 201);
        expect(res.json().data.key).toBe(`s-${i}`);
      });
    } finally {
      if (!closed) await t.close();
    }
  });
});
