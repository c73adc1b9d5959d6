import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabaseProxy } from '../../helpers/tcp-proxy.js';
import { describeWithPostgres } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { LogCapture } from '../logging/log-capture.js';
import { expectError, uniqueSub } from './data-api.helper.js';
import { bulkInsert, decodedBody, exportRecords, listenOnLoopback, openExport, readLines } from './export.helper.js';

// More than the loopback socket buffers hold (about 25 MiB of NDJSON), so a paused client
// leaves most of the export still to be read from the database when it is cut.
const RECORDS = 50_000;

// PostgreSQL going away during an export, through a loopback proxy in front of the real
// server: before the first byte the client gets the 503 envelope; after it, a transfer that
// visibly fails (never a short body that ends cleanly) and the error is logged.
describeWithPostgres('records export when PostgreSQL goes away (real server behind a loopback proxy)', () => {
  const proxy = testDatabaseProxy();
  const owner = { sub: uniqueSub('export-outage') };
  const logs = new LogCapture();
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    await proxy.start();
    t = await createTestApp({
      backend: 'postgres',
      databaseUrl: (url) => proxy.rewrite(url),
      database: { connectTimeoutMs: 1_000, queryTimeoutMs: 1_000 },
      logs: { destination: logs, level: 'warn' },
    });
    await bulkInsert(t.app, owner.sub, RECORDS);
    port = await listenOnLoopback(t.app);
  }, 60_000);
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.stop();
  });

  it('aborts the response, and logs why, when the database is cut mid-export', async () => {
    const res = await openExport(port, owner);
    try {
      expect(res.statusCode).toBe(200);
      res.pause();
      await sleep(300);
      await proxy.stop();
      const started = Date.now();
      const outcome = await readLines(decodedBody(res));
      expect(outcome.complete).toBe(false);
      expect(outcome.lines).toBeGreaterThan(0);
      expect(outcome.lines).toBeLessThan(RECORDS);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      res.destroy();
    }
    const errors = logs.forRequest(String(res.headers['x-request-id'])).filter((line) => line.level === 'error');
    expect(errors).toEqual([expect.objectContaining({ msg: expect.stringContaining('the transfer was aborted'), err: expect.any(Object) })]);
  }, 30_000);

  it('answers the 503 envelope, before any line, when the database refuses connections', async () => {
    await proxy.stop();
    const res = await exportRecords(t.app, owner);
    expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
  }, 30_000);
});
