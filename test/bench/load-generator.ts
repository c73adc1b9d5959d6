import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type LoadResult, parseWrkOutput } from './wrk-output.parser.js';
import { type RequestShape, wrkScript } from './wrk-script.js';

const run = promisify(execFile);

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** `taskset -c <core>` in front of a command when taskset exists (and the core does). */
export function pinned(core: number, command: string[]): string[] {
  return hasTaskset() && core < availableCores() ? ['taskset', '-c', String(core), ...command] : command;
}

let tasksetFound: boolean | undefined;
export function hasTaskset(): boolean {
  return (tasksetFound ??= has('taskset'));
}

export function availableCores(): number {
  const nproc = spawnSync('nproc', { encoding: 'utf8' });
  return Number(nproc.stdout?.trim()) || 1;
}

export interface LoadRun {
  url: string;
  shape: RequestShape;
  seconds: number;
  connections: number;
}

export interface LoadGenerator {
  name: string;
  run(load: LoadRun): Promise<LoadResult>;
}

/** wrk (one thread, on core 1), with the per-response checks of the bench's Lua script. */
class Wrk implements LoadGenerator {
  readonly name: string;

  constructor(private readonly scratchDir: string) {
    this.name = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].replace(/ \[.*$/, '').trim() || 'wrk';
  }

  async run(load: LoadRun): Promise<LoadResult> {
    const script = join(this.scratchDir, 'request.lua');
    await writeFile(script, wrkScript(load.shape));
    const args = ['-t1', `-c${load.connections}`, `-d${load.seconds}s`, '--timeout', '10s', '--latency', '-s', script, load.url + load.shape.path];
    const [command, ...rest] = pinned(1, ['wrk', ...args]);
    const { stdout } = await run(command, rest, { maxBuffer: 16 * 1024 * 1024 });
    return parseWrkOutput(stdout);
  }
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** autocannon's CLI (used only when already installed): status and cache checks are wrk-only. */
class Autocannon implements LoadGenerator {
  readonly name = 'autocannon';

  async run(load: LoadRun): Promise<LoadResult> {
    const headers = Object.entries(load.shape.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
    const body = load.shape.body === undefined ? [] : ['-b', load.shape.body];
    const args = ['--json', '-c', String(load.connections), '-d', String(load.seconds), '-m', load.shape.method, ...headers, ...body, load.url + load.shape.path];
    const [command, ...rest] = pinned(1, ['autocannon', ...args]);
    const { stdout } = await run(command, rest, { maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(stdout) as AutocannonJson;
    const errors = report.non2xx + report.errors + report.timeouts;
    return {
      requestsPerSecond: report.requests.average,
      p50Ms: report.latency.p50,
      p99Ms: report.latency.p99,
      requests: report.requests.total,
      errors,
      errorDetail: errors ? `${report.non2xx} non-2xx, ${report.errors} errors, ${report.timeouts} timeouts` : '',
      cacheMisses: 0,
    };
  }
}

/** Installs Debian's wrk when it is missing and this runs as root. */
function installWrk(): boolean {
  if (process.getuid?.() !== 0 || !has('apt-get')) return false;
  process.stdout.write('wrk is missing: installing Debian\'s wrk package\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'wrk'], { stdio: 'inherit', env }).status === 0;
  if (install()) return true;
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  return install();
}

/** wrk (installed when missing, as root), else an installed autocannon, else a clear failure. */
export function loadGenerator(scratchDir: string): LoadGenerator {
  if (has('wrk') || installWrk()) return new Wrk(scratchDir);
  if (has('autocannon')) return new Autocannon();
  throw new Error(
    'No load generator: install wrk (Debian/Ubuntu: `sudo apt-get install wrk`; the bench installs it itself when run as root) or autocannon (`npm install -g autocannon`).',
  );
}
