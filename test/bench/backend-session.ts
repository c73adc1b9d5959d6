import { spawnSync } from 'node:child_process';
import { freePort } from '../helpers/free-port.js';
import { token } from '../helpers/tokens.js';
import { cacheLookups } from './app-metrics.js';
import { BACKEND_TITLES, type BackendId, type BackendStorage } from './bench-backends.js';
import type { BenchResults, Measurement, Series } from './bench-results.js';
import { SCENARIOS, type Scenario, type TargetState } from './bench-scenarios.js';
import { hasExport, primeCache, seedRecords } from './bench-seed.js';
import { appSpec, type BenchServer, ceilingSpec, flaskSpec, referenceSpec, type ServerKind, startServer } from './bench-servers.js';
import type { BenchSettings } from './bench-settings.js';
import type { LoadGenerator } from './load-generator.js';
import { cpuMicros, memory } from './proc-stats.js';

/** The reader's records fill one list page (20) and one more. */
const READER_RECORDS = 21;

export interface SessionContext {
  settings: BenchSettings;
  load: LoadGenerator;
  workDir: string;
  runId: string;
  jwtSecret: string;
  results: BenchResults;
  /** Stops everything still running when the bench is interrupted. */
  running: Set<BenchServer>;
  log(line: string): void;
}

interface Target {
  server: BenchServer;
  state: TargetState;
  /** Whether the server has this scenario's route (the export may not exist yet). */
  serves: Set<string>;
}

export function flaskAvailable(): boolean {
  const gunicorn = spawnSync('sh', ['-c', 'command -v gunicorn']).status === 0;
  return gunicorn && spawnSync('python3', ['-c', 'import flask']).status === 0;
}

function tokensFor(runId: string): TargetState['tokens'] {
  const sign = (role: string) => token({ sub: `bench-${runId}-${role}`, scope: 'data:read data:write', expiresIn: 6 * 3600 });
  return { writer: sign('writer'), reader: sign('reader'), exporter: sign('exporter') };
}

async function start(context: SessionContext, spec: Parameters<typeof startServer>[0]): Promise<BenchServer> {
  const server = await startServer(spec);
  context.running.add(server);
  return server;
}

async function stop(context: SessionContext, server: BenchServer): Promise<void> {
  await server.stop();
  context.running.delete(server);
}

/** Spawn → ready, on fresh storage once and then `coldStarts` times on the storage it created. */
async function measureColdStart(context: SessionContext, storage: BackendStorage): Promise<void> {
  const env = await storage.coldStart();
  const samplesMs: number[] = [];
  let firstMs = NaN;
  for (let attempt = 0; attempt <= context.settings.coldStarts; attempt++) {
    const server = await start(context, appSpec(await freePort(), context.workDir, env, context.jwtSecret));
    await stop(context, server);
    if (attempt === 0) firstMs = server.readyMs;
    else samplesMs.push(server.readyMs);
  }
  context.results.coldStarts.push({ backend: storage.id, firstMs, samplesMs });
  context.log(`cold start ${storage.id}: first ${firstMs.toFixed(0)} ms, then ${samplesMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
}

async function prepare(context: SessionContext, server: BenchServer, tokens: TargetState['tokens']): Promise<Target> {
  if (server.kind === 'node-http-ceiling' || server.kind === 'flask-article-app') {
    return { server, state: { readerRecordId: '00000000-0000-4000-8000-000000000000', tokens }, serves: new Set(['post', 'get-hit']) };
  }
  const [readerRecordId] = await seedRecords(server.url, tokens.reader, READER_RECORDS);
  const serves = new Set(['post', 'get-hit', 'get-304', 'list']);
  if (await hasExport(server.url, tokens.exporter)) {
    await seedRecords(server.url, tokens.exporter, context.settings.exportRecords);
    serves.add('export');
  }
  return { server, state: { readerRecordId, tokens }, serves };
}

/** One run of the load generator against one server, with its CPU and memory read from /proc. */
async function measure(context: SessionContext, target: Target, scenario: Scenario, seconds: number): Promise<Measurement> {
  const shape = scenario.shape(target.server.kind, target.state);
  if (shape.expectCacheHit) await primeCache(target.server.url, shape.path, target.state.tokens.reader);
  const cpuBefore = cpuMicros(target.server.pid);
  const connections = scenario.connections?.(context.settings) ?? context.settings.connections;
  const result = await context.load.run({ url: target.server.url, shape, seconds, connections });
  const cpu = cpuMicros(target.server.pid) - cpuBefore;
  return { ...result, cpuUsPerRequest: result.requests > 0 ? cpu / result.requests : NaN, rssAfterMb: memory(target.server.pid).rssMb };
}

function describeRun(series: Series, run: Measurement): string {
  const errors = (run.errors ? `  INVALID: ${run.errorDetail}` : '') + (run.cacheMisses ? `  ${run.cacheMisses} cache misses` : '');
  return `${series.backend} ${series.scenario} ${series.server}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms${errors}`;
}

/** Warm-up, then the rounds: within a round every scenario runs on each of its servers in turn. */
async function runScenarios(context: SessionContext, backend: BackendId, targets: Target[], flaskMissing: boolean): Promise<void> {
  const plan: Array<{ scenario: Scenario; target: Target; series: Series }> = [];
  for (const scenario of SCENARIOS.filter((each) => context.settings.scenarios.includes(each.id))) {
    if (scenario.id === 'post' && flaskMissing) {
      const skipped = 'not installed (needs gunicorn and Flask: Debian python3-flask, gunicorn)';
      context.results.series.push({ backend: 'none', scenario: 'post', server: 'flask-article-app', runs: [], unitsPerRequest: 1, skipped });
    }
    for (const target of targets.filter((each) => scenario.servers.includes(each.server.kind))) {
      const series: Series = {
        backend: target.server.kind === 'flask-article-app' ? 'none' : backend,
        scenario: scenario.id,
        server: target.server.kind,
        runs: [],
        unitsPerRequest: scenario.id === 'export' ? context.settings.exportRecords : 1,
        skipped: target.serves.has(scenario.id) ? undefined : 'n/a: route not there yet (404)',
      };
      context.results.series.push(series);
      if (!series.skipped) plan.push({ scenario, target, series });
    }
  }
  for (const { scenario, target } of plan) await measure(context, target, scenario, context.settings.warmupSeconds);
  for (let round = 1; round <= context.settings.rounds; round++) {
    for (const { scenario, target, series } of plan) {
      const run = await measure(context, target, scenario, context.settings.seconds);
      series.runs.push(run);
      context.log(`round ${round}: ${describeRun(series, run)}`);
    }
  }
}

/** Everything measured on one backend: cold start, then the servers side by side under load. */
export async function runBackend(context: SessionContext, storage: BackendStorage, flask: 'run' | 'not installed' | 'elsewhere'): Promise<void> {
  await measureColdStart(context, storage);
  const { workDir, jwtSecret } = context;
  const servers: BenchServer[] = [];
  try {
    servers.push(await start(context, appSpec(await freePort(), workDir, storage.app, jwtSecret)));
    servers.push(await start(context, referenceSpec(await freePort(), workDir, storage.reference, jwtSecret)));
    servers.push(await start(context, ceilingSpec(await freePort(), workDir)));
    if (flask === 'run') servers.push(await start(context, flaskSpec(await freePort(), workDir)));
    const idle = new Map<ServerKind, number>(servers.map((server) => [server.kind, memory(server.pid).rssMb]));
    const tokens = tokensFor(context.runId);
    const targets: Target[] = [];
    for (const server of servers) targets.push(await prepare(context, server, tokens));
    await runScenarios(context, storage.id, targets, flask === 'not installed');
    const lookups = await cacheLookups(servers[0].url);
    context.results.notes.push(
      `${BACKEND_TITLES[storage.id]}: data-api's cache_requests_total over the whole session: hit ${lookups.hit}, miss ${lookups.miss}, ` +
        `error ${lookups.error} (an error is a cache call that failed or took over CACHE_TIMEOUT_MS, 50 ms; that request was answered from the database).`,
    );
    for (const server of servers) {
      const reading = memory(server.pid);
      const backend = server.kind === 'flask-article-app' ? 'none' : storage.id;
      context.results.memory.push({ backend, server: server.kind, idleMb: idle.get(server.kind)!, afterLoadMb: reading.rssMb, peakMb: reading.peakRssMb });
    }
  } finally {
    for (const server of servers) await stop(context, server);
  }
}
