import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordBody } from '../../factories/record-body.factory.js';
import { describeWithPostgres } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { createIsolatedSchema, type IsolatedSchema } from '../../setup/isolated-schema.js';
import { DataApi, expectError, expectSuccess, uniqueSub } from '../data/data-api.helper.js';
import { Gate, IdempotencyGateModule } from './idempotency-gate.module.js';
import { postGated, REPLAYED } from './idempotency.helper.js';

const withKey = (value: string) => ({ 'idempotency-key': value });

describe('Idempotency-Key across an app restart (pglite on disk)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'data-api-idempotency-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('replays from a new app instance on the same database', async () => {
    const owner = { sub: uniqueSub() };
    const first = await createTestApp({ backend: 'pglite', database: { dataDir } });
    let created;
    try {
      created = await new DataApi(first.app).post(owner, recordBody(), withKey('restart'));
      expectSuccess(created, 201);
    } finally {
      await first.close();
    }
    const second = await createTestApp({ backend: 'pglite', database: { dataDir } });
    try {
      const api = new DataApi(second.app);
      const replayed = await api.post(owner, recordBody(), withKey('restart'));
      expect(replayed.headers[REPLAYED]).toBe('true');
      expect(replayed.body).toBe(created.body);
      expect(await api.count(owner)).toBe(1);
    } finally {
      await second.close();
    }
  }, 180_000); // PGlite's first start on disk runs initdb
});

describeWithPostgres('Idempotency-Key across replicas (postgres, two apps on one schema)', () => {
  let schema: IsolatedSchema;
  const apps: TestApp[] = [];
  // Each test app makes (and drops) a schema of its own; both are pointed at this shared one.
  const openApp = async () => {
    const app = await createTestApp({ backend: 'postgres', databaseUrl: () => schema.url, imports: [IdempotencyGateModule] });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    schema = await createIsolatedSchema();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await schema.drop();
  });

  it('creates exactly one record for 50 parallel POSTs with one key spread over two instances', async () => {
    const [a, b] = [new DataApi((await openApp()).app), new DataApi((await openApp()).app)];
    const owner = { sub: uniqueSub() };
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).post(owner, recordBody(), withKey('parallel'))),
    );
    expect(responses.every((res) => res.statusCode === 201 || res.statusCode === 409)).toBe(true);
    const created = responses.filter((res) => res.statusCode === 201);
    expect(created.filter((res) => res.headers[REPLAYED] === undefined)).toHaveLength(1);
    expect(new Set(created.map((res) => res.body)).size).toBe(1);
    expect(await a.count(owner)).toBe(1);
    expect(await b.count(owner)).toBe(1);
  });

  it('answers 409 on one instance while the other still runs the request, then replays it there', async () => {
    const [a, b] = [(await openApp()).app, (await openApp()).app];
    const [gateA, gateB] = [a.get(Gate), b.get(Gate)];
    const sub = uniqueSub();
    const first = postGated(a, sub, 'held');
    await gateA.whenEntered();
    try {
      const during = postGated(b, sub, 'held');
      // Were the key not shared, B would run the handler and wait in its own gate.
      await Promise.race([during, gateB.whenEntered()]);
      gateB.release();
      const conflict = await during;
      expectError(conflict, 409, 'CONFLICT');
      expect(conflict.headers['retry-after']).toBe('1');
    } finally {
      gateA.release();
      gateB.release();
    }
    const done = await first;
    expect(done.statusCode).toBe(201);
    const retried = await postGated(b, sub, 'held');
    expect(retried.headers[REPLAYED]).toBe('true');
    expect(retried.body).toBe(done.body);
    expect([gateA.entered, gateB.entered]).toEqual([1, 0]);
  });

  it('replays on one instance what the other stored, and after a restart', async () => {
    const owner = { sub: uniqueSub() };
    const first = await openApp();
    const created = await new DataApi(first.app).post(owner, recordBody(), withKey('restart'));
    expectSuccess(created, 201);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const restarted = await openApp();
    const replayed = await new DataApi(restarted.app).post(owner, recordBody(), withKey('restart'));
    expect(replayed.headers[REPLAYED]).toBe('true');
    expect(replayed.rawPayload.equals(created.rawPayload)).toBe(true);
  });
});
