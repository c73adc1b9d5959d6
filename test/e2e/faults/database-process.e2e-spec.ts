import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describeWithPostgres } from '../../setup/backends.js';
import { createIsolatedSchema, type IsolatedSchema } from '../../setup/isolated-schema.js';
import { MAIN_JS, startServer } from '../../helpers/server-process.js';
import { TcpProxy, testDatabaseProxy } from '../../helpers/tcp-proxy.js';
import { TEST_JWT_SECRET, token } from '../../helpers/tokens.js';
import { freePort } from '../../helpers/free-port.js';
import { type ChildApp, startChildApp } from './child-app.js';

// PostgreSQL missing at start, and lost while the built app runs (a loopback proxy cuts or
// hangs it): a clear exit, or 503s within a bound, probes telling the truth, no crash, recovery.
const authorization = `Bearer ${token({ sub: 'db-fault-owner' })}`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = Date.now();
  const value = await work();
  return { value, ms: Date.now() - startedAt };
}

beforeAll(() => {
  if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: npm test builds it first (pretest)');
});

describe('database unreachable at start (dist/main.js)', () => {
  it('exits 1 at once with one line when connections are refused', async () => {
    const port = await freePort();
    const server = startServer({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` });
    try {
      const { value: code, ms } = await timed(() => server.exited);
      expect(code).toBe(1);
      expect(ms).toBeLessThan(15_000);
      expect(server.output().trim()).toBe(`data-api failed to start: connect ECONNREFUSED 127.0.0.1:${port}`);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 30_000);

  it('exits 1 within the connect timeout with one line when the database accepts but never answers', async () => {
    // A proxy in front of a port nobody serves, paused: connections are accepted and held.
    const hung = await new TcpProxy('127.0.0.1', await freePort()).start();
    hung.pause();
    const server = startServer({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: hung.rewrite('postgres://postgres@x/test') });
    try {
      const { value: code, ms } = await timed(() => server.exited);
      expect(code).toBe(1);
      // The 5 s connect timeout, with room for a slow machine.
      expect(ms).toBeLessThan(20_000);
      const lines = server.output().trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/^data-api failed to start: .*timeout/i)]);
    } finally {
      server.child.kill('SIGKILL');
      await hung.stop();
    }
  }, 40_000);
});

describeWithPostgres('database lost while the server process runs (dist/main.js)', () => {
  const proxy = testDatabaseProxy();
  let schema: IsolatedSchema;
  let app: ChildApp;

  beforeAll(async () => {
    await proxy.start();
    schema = await createIsolatedSchema();
    app = await startChildApp({ DATABASE_URL: proxy.rewrite(schema.url), LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await app?.kill();
    await proxy.stop();
    await schema?.drop();
  });

  const get = (path: string, headers: Record<string, string> = { authorization }) => fetch(new URL(path, app.base), { headers });
  // A query string never read before, so the in-process response cache cannot answer it.
  const freshList = () => get(`/api/data?key=${randomUUID()}`);
  const create = (key: string) =>
    fetch(new URL('/api/data', app.base), { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ key }) });

  async function expectUnavailable(res: Response): Promise<void> {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { status: string; error: { code: string } };
    expect(body).toMatchObject({ status: 'error', error: { code: 'SERVICE_UNAVAILABLE' } });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
  }

  async function expectProbes(ready: number): Promise<void> {
    const readiness = await timed(() => get('/health/ready', {}));
    expect(readiness.value.status).toBe(ready);
    // Readiness is bounded by its own 1 s query timeout.
    expect(readiness.ms).toBeLessThan(3_000);
    expect((await get('/health/live', {})).status).toBe(200);
  }

  /** A pooled connection that died unnoticed fails one more request (503) before it is replaced. */
  async function recovered(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await freshList()).status === 200) return;
    }
    throw new Error('the app did not recover after the database came back');
  }

  it('serves through the proxy', async () => {
    expect((await create('before-outage')).status).toBe(201);
    await expectProbes(200);
  });

  it('refused: 503 SERVICE_UNAVAILABLE at once, readiness 503, liveness 200, nothing stored; then recovers', async () => {
    await proxy.stop();
    const list = await timed(freshList);
    await expectUnavailable(list.value);
    expect(list.ms).toBeLessThan(5_000);
    await expectUnavailable(await create('during-outage'));
    await expectProbes(503);

    await proxy.start();
    await recovered();
    await expectProbes(200);
    const keys = ((await (await get('/api/data?limit=100')).json()) as { data: Array<{ key: string }> }).data.map((r) => r.key);
    expect(keys).toEqual(['before-outage']);
    expect(app.alive()).toBe(true);
  }, 60_000);

  it('hung: 503 within the 10 s query timeout, readiness 503 within its bound, liveness 200; then recovers', async () => {
    proxy.pause();
    const list = await timed(freshList);
    await expectUnavailable(list.value);
    expect(list.ms).toBeLessThan(15_000);
    await expectProbes(503);

    await proxy.stop();
    await proxy.start();
    await recovered();
    await expectProbes(200);
    expect(app.alive()).toBe(true);
  }, 60_000);
});
