import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const MAIN_JS = join(ROOT, 'dist', 'main.js');

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
}

/** Runs the built server (`dist/main.js`) on the Node running the tests, with `env` on top. */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

/** Polls the output until `pattern` matches, failing after `timeoutMs`. */
export async function waitForOutput(server: ServerProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = server.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`No ${pattern} in output within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the "listening on" line and returns the base URL (http://127.0.0.1:port). */
export async function waitForListening(server: ServerProcess, timeoutMs = 60_000): Promise<URL> {
  const [, url] = await waitForOutput(server, /listening on (http:\/\/[\w.:[\]]+)/, timeoutMs);
  return new URL(url);
}

/** Whether a fresh loopback TCP connection to `port` is accepted (false once refused). */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls `url` (a health route of the server) until it answers 200: for servers started at a log
 * level that prints no "listening" line. Fails with the server's output, after killing it, if
 * it exits first or takes longer than `timeoutMs`.
 */
export async function waitForHttpOk(server: ServerProcess, url: URL | string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const running = () => server.child.exitCode === null && server.child.signalCode === null;
  while (running() && Date.now() < deadline) {
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const reason = running() ? `did not answer 200 on ${url} within ${timeoutMs} ms` : 'exited during startup';
  server.child.kill('SIGKILL');
  throw new Error(`the server ${reason}:\n${server.output()}`);
}
