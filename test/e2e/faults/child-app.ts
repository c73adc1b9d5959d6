import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from '../../helpers/free-port.js';
import { type ServerProcess, startServer, waitForHttpOk } from '../../helpers/server-process.js';
import { TEST_JWT_SECRET } from '../../helpers/tokens.js';

/** The built app (dist/main.js) as a separate process on a loopback port. */
export interface ChildApp {
  server: ServerProcess;
  port: number;
  base: URL;
  /** Current resident set size of the process, in bytes (VmRSS from /proc). */
  rss(): number;
  /** Whether the process is still running (it must never crash in a fault test). */
  alive(): boolean;
  kill(): Promise<void>;
}

/** VmRSS of a process in bytes, read from /proc (Linux). */
export function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

/**
 * Starts dist/main.js in production mode with embedded in-memory storage, the test JWT secret
 * and `env` on top, and waits until /health/live answers. The port is chosen here, so quiet
 * log levels (no "listening on" line) work too.
 */
export async function startChildApp(env: Record<string, string> = {}, bootTimeoutMs = 60_000): Promise<ChildApp> {
  const port = await freePort();
  const server = startServer({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: 'memory://',
    JWT_SECRET: TEST_JWT_SECRET,
    SHUTDOWN_DRAIN_MS: '0',
    ...env,
  });
  const base = new URL(`http://127.0.0.1:${port}`);
  const child: ChildApp = {
    server,
    port,
    base,
    rss: () => rssOf(server.child.pid!),
    alive: () => server.child.exitCode === null && server.child.signalCode === null,
    kill: async () => {
      if (!child.alive()) return;
      server.child.kill('SIGKILL');
      await server.exited;
    },
  };
  await waitForHttpOk(server, new URL('/health/live', base), bootTimeoutMs);
  return child;
}

export interface TrickleResult {
  response: string;
  closedBy: 'server' | 'client-timeout';
  elapsedMs: number;
}

/**
 * Sends `head` at once, then `rest` one byte every `intervalMs` (a slow client that never
 * goes idle), until the server closes the connection or `timeoutMs` passes.
 */
export function trickle(port: number, head: string, rest: string, intervalMs: number, timeoutMs: number): Promise<TrickleResult> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    let closedBy: TrickleResult['closedBy'] = 'server';
    let sent = 0;
    const ticker = setInterval(() => {
      if (sent < rest.length && socket.writable) socket.write(rest[sent++]);
    }, intervalMs);
    const timer = setTimeout(() => {
      closedBy = 'client-timeout';
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(ticker);
      clearTimeout(timer);
      resolve({ response, closedBy, elapsedMs: Date.now() - startedAt });
    });
    socket.write(head);
  });
}
