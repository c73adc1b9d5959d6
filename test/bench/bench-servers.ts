import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pinned } from './load-generator.js';

/** The repository root (npm runs scripts there). */
export const ROOT = process.cwd();
/**
 * The production build the bench runs: a copy of dist/ taken at the start, beside the compiled
 * bench (so node_modules still resolve), which a rebuild during the run cannot pull away.
 */
const APP_SNAPSHOT = join(__dirname, '..', '..', 'dist');
export const MAIN_JS = join(APP_SNAPSHOT, 'main.js');

/** Copies dist/ (built by `npm run bench` just before) to the snapshot the servers start from. */
export async function snapshotBuild(): Promise<void> {
  await rm(APP_SNAPSHOT, { recursive: true, force: true });
  await cp(join(ROOT, 'dist'), APP_SNAPSHOT, { recursive: true });
  if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: run `npm run build` (npm run bench does) and try again');
}
/** The compiled bench (reference servers included) sits beside this file. */
export const REFERENCE_DIR = join(__dirname, 'reference');
export const FLASK_DIR = join(ROOT, 'test', 'bench', 'reference');

export type ServerKind = 'data-api' | 'fastify-reference' | 'node-http-ceiling' | 'flask-article-app';

export interface BenchServer {
  kind: ServerKind;
  /** The process that serves requests (for gunicorn, its one worker, not the master). */
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 from /health/ready. */
  readyMs: number;
  stop(): Promise<void>;
}

export interface ServerSpec {
  kind: ServerKind;
  command: string[];
  env: Record<string, string>;
  port: number;
  cwd: string;
}

/** One GET answered with its status, or 0 when the connection failed. */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });
}

/** A pre-fork server's worker: the first child listed by /proc. */
function firstChild(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
  return Number(children[0]) || pid;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns a server pinned to core 0, its stdout (the access log) to /dev/null, and waits until
 * /health/ready answers 200. A process that exits first, or is not ready within `timeoutMs`,
 * fails with its stderr.
 */
export async function startServer(spec: ServerSpec, timeoutMs = 90_000): Promise<BenchServer> {
  const [command, ...args] = pinned(0, spec.command);
  const started = performance.now();
  const child = spawn(command, args, { cwd: spec.cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8_000)));
  const url = `http://127.0.0.1:${spec.port}`;
  const server: BenchServer = { kind: spec.kind, pid: child.pid!, url, readyMs: NaN, stop: () => stopProcess(child) };
  const servingPid = () => (spec.kind === 'flask-article-app' ? firstChild(child.pid!) : child.pid!);
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.kind} exited before it was ready:\n${stderr}`);
    if ((await probe(`${url}/health/ready`)) === 200) {
      server.readyMs = performance.now() - started;
      return { ...server, pid: servingPid() };
    }
    await delay(10);
  }
  await server.stop();
  throw new Error(`${spec.kind} not ready within ${timeoutMs} ms:\n${stderr}`);
}

/** The production app as deployed: node's flags of the image, NODE_ENV=production, access log on, rate limiter on (out of reach). */
export function appSpec(port: number, workDir: string, storage: Record<string, string>, jwtSecret: string): ServerSpec {
  return {
    kind: 'data-api',
    // As the image starts it (docker/Dockerfile CMD, and npm start).
    command: [process.execPath, '--max-semi-space-size=32', MAIN_JS],
    cwd: workDir, // no stray .env of a developer's checkout is read
    port,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      JWT_SECRET: jwtSecret,
      // The limiter runs on every request; a 1 s window of 10^6 keeps it from ever refusing one.
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_TTL_S: '1',
      UPLOAD_DIR: join(workDir, 'files'),
      SHUTDOWN_DRAIN_MS: '0',
      ...storage,
    },
  };
}

export function referenceSpec(port: number, workDir: string, storage: Record<string, string>, jwtSecret: string): ServerSpec {
  return {
    kind: 'fastify-reference',
    command: [process.execPath, join(REFERENCE_DIR, 'fastify-reference.js')],
    cwd: workDir,
    port,
    env: { NODE_ENV: 'production', PORT: String(port), JWT_SECRET: jwtSecret, ...storage },
  };
}

export function ceilingSpec(port: number, workDir: string): ServerSpec {
  return { kind: 'node-http-ceiling', command: [process.execPath, join(REFERENCE_DIR, 'node-http-ceiling.js')], cwd: workDir, port, env: { PORT: String(port) } };
}

export function flaskSpec(port: number, workDir: string): ServerSpec {
  return {
    kind: 'flask-article-app',
    command: ['gunicorn', '-w', '1', '-k', 'sync', '-b', `127.0.0.1:${port}`, '--chdir', FLASK_DIR, '--log-level', 'warning', 'flask_article_app:app'],
    cwd: workDir,
    port,
    env: {},
  };
}
