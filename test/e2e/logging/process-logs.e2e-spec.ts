import { existsSync } from 'node:fs';
import { MAIN_JS, startServer, waitForOutput } from '../../helpers/server-process.js';
import { TEST_JWT_SECRET, token } from '../../helpers/tokens.js';

// The built entry point in production mode: stdout carries JSON lines only.
describe('server process logs (dist/main.js, NODE_ENV=production)', () => {
  beforeAll(() => {
    if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: npm test builds it first (pretest)');
  });

  it('prints one JSON object per line, bootstrap and access lines alike, without the bearer token', async () => {
    const server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      NODE_ENV: 'production',
      JWT_SECRET: TEST_JWT_SECRET,
      SHUTDOWN_DRAIN_MS: '0',
    });
    try {
      const [, url] = await waitForOutput(server, /listening on (http:\/\/[\d.:]+)/, 90_000);
      const bearer = token({ sub: 'proc-owner' });
      const res = await fetch(`${url}/api/data`, { headers: { authorization: `Bearer ${bearer}`, 'x-request-id': 'proc-req-1' } });
      expect(res.status).toBe(200);
      await waitForOutput(server, /"reqId":"proc-req-1"/);

      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'Bootstrap', msg: expect.stringContaining('listening on') }));
      expect(lines).toContainEqual(
        expect.objectContaining({ reqId: 'proc-req-1', method: 'GET', route: '/api/data', statusCode: 200, sub: 'proc-owner', msg: 'request completed' }),
      );
      expect(server.output()).not.toContain(bearer);
    } finally {
      server.child.kill('SIGKILL');
    }
    // Startup of a fresh process with embedded PostgreSQL: seconds, more on a busy machine.
  }, 120_000);
});
