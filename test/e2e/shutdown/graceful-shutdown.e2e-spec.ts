import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { acceptsConnections, MAIN_JS, type ServerProcess, startServer, waitForListening, waitForOutput } from '../../helpers/server-process.js';
import { TEST_JWT_SECRET, token } from '../../helpers/tokens.js';

// The proof, on the built entry point: SIGTERM in the middle of steady load, with
// clients that behave like a gateway (they poll readiness and stop routing once it says 503).
const DRAIN_MS = 1_500;
const GRACE_MS = 10_000;

function start(): ServerProcess {
  return startServer({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: 'memory://',
    JWT_SECRET: TEST_JWT_SECRET,
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
    // The load below is one caller's: it measures shutdown, not the rate limit (600 a minute by default).
    RATE_LIMIT_MAX: '1000000',
  });
}

/** Resolves with the exit code, or with 'timeout' if the process is still running after `ms`. */
async function exitWithin(server: ServerProcess, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Outcome {
  status?: number;
  error?: string;
  at: number;
}

describe('graceful shutdown of the server process (dist/main.js)', () => {
  beforeAll(() => {
    if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: npm test builds it first (pretest)');
  });

  let server: ServerProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
  });

  it('loses no request under steady load: readiness 503 first, serves through the drain, exits 0', async () => {
    server = start();
    const base = await waitForListening(server);
    const port = Number(base.port);
    const authorization = `Bearer ${token({ sub: 'load', scope: 'data:read data:write' })}`;

    let routing = true;
    let readyFailedAt: number | undefined;
    let refusedAt: number | undefined;
    const outcomes: Outcome[] = [];

    // The gateway's health check: polls readiness, takes the replica out of rotation on 503.
    const poller = (async () => {
      while (routing) {
        const res = await fetch(new URL('/health/ready', base));
        await res.arrayBuffer();
        if (res.status === 503) {
          readyFailedAt = Date.now();
          routing = false;
        } else expect(res.status).toBe(200);
        await delay(100);
      }
    })();

    // Concurrent keep-alive clients (fetch pools connections per origin), each sending
    // requests back to back for as long as the gateway routes to this replica.
    const client = async (id: number) => {
      for (let n = 0; routing; n++) {
        try {
          const res =
            n % 2 === 0
              ? await fetch(new URL('/api/data', base), {
                  method: 'POST',
                  headers: { authorization, 'content-type': 'application/json' },
                  body: JSON.stringify({ key: `client-${id}-${n}`, tags: ['load'] }),
                })
              : await fetch(new URL('/api/data?limit=5', base), { headers: { authorization } });
          await res.json();
          outcomes.push({ status: res.status, at: Date.now() });
        } catch (error) {
          outcomes.push({ error: String((error as Error).cause ?? error), at: Date.now() });
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, id) => client(id));

    // Something outside the gateway notices when the listening socket is gone.
    const acceptProbe = (async () => {
      while (refusedAt === undefined) {
        if (!(await acceptsConnections(port))) refusedAt = Date.now();
        else await delay(25);
      }
    })();

    await delay(1_000);
    const servedBeforeSignal = outcomes.length;
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');

    const code = await exitWithin(server, GRACE_MS + 5_000);
    routing = false;
    await Promise.all([poller, acceptProbe, ...clients]);

    const failures = outcomes.filter((o) => o.error !== undefined || o.status! < 200 || o.status! >= 300);
    expect(failures).toEqual([]);
    expect(servedBeforeSignal).toBeGreaterThan(0);
    // The server kept serving after the signal (the drain), until the gateway stopped routing.
    expect(outcomes.filter((o) => o.at > signalledAt).length).toBeGreaterThan(0);
    expect(readyFailedAt).toBeDefined();
    expect(refusedAt).toBeDefined();
    expect(readyFailedAt!).toBeLessThan(refusedAt!);
    // 0, not the deadline's 1: the sequence finished before SHUTDOWN_GRACE_MS.
    expect(code).toBe(0);
    expect(server.output()).toContain('Shutdown complete');
  }, 90_000);

  it('asks keep-alive clients to close their connection from the start of the drain', async () => {
    server = start();
    const base = await waitForListening(server);
    const socket = connect({ host: '127.0.0.1', port: Number(base.port) });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const exchange = async (): Promise<string> => {
      const before = received.length;
      socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      while (!/\r\n\r\n[\s\S]*\}$/.test(received.slice(before))) await delay(10);
      return received.slice(before);
    };

    expect(await exchange()).not.toMatch(/\r\nconnection: close\r\n/i);
    server.child.kill('SIGTERM');
    await waitForOutput(server, /SIGTERM received/);
    // Still serving (the drain), on the same connection, but telling the client to let it go.
    const during = await exchange();
    expect(during).toMatch(/^HTTP\/1\.1 200 /);
    expect(during).toMatch(/\r\nconnection: close\r\n/i);
    await closed;
    expect(await exitWithin(server, GRACE_MS + 5_000)).toBe(0);
  }, 60_000);

  it('finishes a request that is in flight when shutdown starts, after the server stopped accepting', async () => {
    server = start();
    const base = await waitForListening(server);
    const port = Number(base.port);
    const body = JSON.stringify({ key: 'in-flight', attributes: { note: 'x'.repeat(200) } });
    const head = Math.floor(body.length / 2);

    // A request whose body is still arriving: the server has routed it and waits for the rest.
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/data HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token({ sub: 'in-flight' })}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, head)}`,
    );
    await delay(200);

    server.child.kill('SIGTERM');
    // Past the drain, the listening socket closes: new connections are refused.
    const deadline = Date.now() + DRAIN_MS + 5_000;
    while ((await acceptsConnections(port)) && Date.now() < deadline) await delay(25);
    expect(await acceptsConnections(port)).toBe(false);
    expect(response).toBe('');

    socket.write(body.slice(head));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 201 /);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toMatchObject({ data: { key: 'in-flight', owner: 'in-flight' } });
    expect(await exitWithin(server, GRACE_MS)).toBe(0);
  }, 90_000);
});
