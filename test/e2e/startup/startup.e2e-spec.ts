import { MAIN_JS, type ServerProcess, startServer, waitForOutput } from '../../helpers/server-process.js';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

  it('names HOST and PORT when it cannot listen there (an address of another machine)', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): well-formed, never an address of this machine.
    const server = startServer({ HOST: '192.0.2.1', PORT: '0', DATA_DIR: 'memory://' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('data-api failed to start: cannot listen on HOST=192.0.2.1 PORT=0: ');
  });

  describe('refuses a value that would only fail later, with one line naming the variable', () => {
    let root: string;
    let file: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'data-api-startup-'));
      file = join(root, 'afile');
      writeFileSync(file, 'x');
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    // A server that started anyway (the value was accepted) must not outlive its test.
    const started: ServerProcess[] = [];
    afterEach(() => started.splice(0).forEach((server) => server.child.kill('SIGKILL')));

    it.each<[string, () => Record<string, string>, () => string]>([
      ['HOST with a port', () => ({ HOST: 'localhost:80' }), () => 'HOST must be an IP address or a host name, without a port (got "localhost:80")'],
      ['HOST not a name', () => ({ HOST: '999.1.1.1' }), () => 'HOST must be an IP address or a host name, without a port (got "999.1.1.1")'],
      ['CORS_ORIGINS with a trailing slash', () => ({ CORS_ORIGINS: 'https://app.example/' }), () => 'CORS_ORIGINS must be a comma-separated list of origins'],
      ['DATA_DIR a file', () => ({ DATA_DIR: file }), () => `DATA_DIR must be a directory the service can create and write (${file} is not a directory)`],
      ['UPLOAD_DIR under a file', () => ({ UPLOAD_DIR: join(file, 'files') }), () => `UPLOAD_DIR must be a directory the service can create and write (${file} is not a directory)`],
    ])('%s', async (_label, env, message) => {
      const server = startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', UPLOAD_DIR: join(root, 'files'), ...env() });
      started.push(server);
      expect(await server.exited).toBe(1);
      const lines = server.output().trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/^data-api failed to start: /)]);
      expect(lines[0]).toContain(message());
    });
  });
});
