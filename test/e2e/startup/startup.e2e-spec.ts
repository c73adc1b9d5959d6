import { MAIN_JS, startServer, waitForOutput } from '../../helpers/server-process.js';
import { existsSync } from 'node:fs';

// The real entry point as `npm start` runs it: a process, a socket, signals.
describe('server process (dist/main.js)', () => {
  beforeAll(() => {
    if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: npm test builds it first (pretest)');
  });

  it('starts with embedded storage, logs a working development token, and shuts down on SIGTERM', async () => {
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', NODE_ENV: 'development', SHUTDOWN_DRAIN_MS: '200' });
    try {
      const [, url] = await waitForOutput(server, /listening on (http:\/\/\S+)/);
      const [token] = await waitForOutput(server, /eyJ[\w-]+\.[\w-]+\.[\w-]+/);
      const created = await fetch(`${url}/api/data`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'test_value', nested: { field1: 123, field2: 'example' } }),
      });
      expect(created.status).toBe(201);
      expect(((await created.json()) as { data: { owner: string } }).data.owner).toBe('dev');

      const invalid = await fetch(`${url}/api/data`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');

      // The graceful shutdown (test/e2e/shutdown) drains, closes server then database, and
      // exits 0 by itself rather than being killed later by the SIGKILL below.
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses to start in production without a JWT key, with one line naming the variables', async () => {
    const server = startServer({ NODE_ENV: 'production', DATA_DIR: 'memory://' });
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toBe(
      'data-api failed to start: NODE_ENV=production needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL',
    );
  });

  it('refuses a bad value, naming the variable', async () => {
    const server = startServer({ PORT: 'eighty', DATA_DIR: 'memory://' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('PORT must be an integer');
  });

  it('refuses a JWT_SECRET shorter than 32 bytes', async () => {
    const server = startServer({ JWT_SECRET: 'short', DATA_DIR: 'memory://' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('JWT_SECRET must be at least 32 bytes');
  });
});
