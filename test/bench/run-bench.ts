/**
 * `npm run bench`: the production build side by side with a bare-Fastify reference, a raw
 * node:http ceiling and (when installed) the original article's Flask app, on the embedded
 * default and on PostgreSQL + Redis. Writes test/bench/results/latest.md and prints it.
 * Settings: see bench-settings.ts (BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, ...).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEST_JWT_SECRET } from '../helpers/tokens.js';
import { type BackendStorage, openBackend } from './bench-backends.js';
import { renderReport } from './bench-report.js';
import type { BenchResults } from './bench-results.js';
import { type BenchServer, ROOT, snapshotBuild } from './bench-servers.js';
import { readBenchSettings } from './bench-settings.js';
import { flaskAvailable, runBackend, type SessionContext } from './backend-session.js';
import { availableCores, hasTaskset, loadGenerator } from './load-generator.js';

const REPORT = join(ROOT, 'test', 'bench', 'results', 'latest.md');

function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${availableCores()} cores, Linux, Node ${process.versions.node}`;
}

function settingsLine(context: SessionContext): string {
  const s = context.settings;
  return [
    `${s.rounds} rounds × ${s.seconds} s (warm-up ${s.warmupSeconds} s per server and scenario)`,
    `${s.connections} connections (export: ${s.exportConnections}, ${s.exportRecords} records per export)`,
    `cold start: median of ${s.coldStarts}`,
  ].join(', ');
}

async function main(): Promise<void> {
  const settings = readBenchSettings();
  const workDir = await mkdtemp(join(tmpdir(), 'data-api-bench-'));
  const running = new Set<BenchServer>();
  const backends: BackendStorage[] = [];
  const cleanUp = async () => {
    for (const server of running) await server.stop().catch(() => undefined);
    for (const backend of backends) await backend.dispose().catch((error: unknown) => console.error(`cleanup of ${backend.id} failed:`, error));
    await rm(workDir, { recursive: true, force: true });
  };
  // Ctrl-C: stop the servers and drop the schemas before leaving.
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    await snapshotBuild();
    const load = loadGenerator(workDir);
    const withFlask = flaskAvailable();
    const results: BenchResults = {
      startedAt: new Date(),
      machine: machine(),
      loadGenerator: load.name,
      pinned: hasTaskset() && availableCores() > 1,
      settings: '',
      series: [],
      coldStarts: [],
      memory: [],
      notes: [],
    };
    const context: SessionContext = {
      settings,
      load,
      workDir,
      runId: randomBytes(4).toString('hex'),
      jwtSecret: TEST_JWT_SECRET,
      results,
      running,
      log: (line) => process.stdout.write(`${line}\n`),
    };
    results.settings = settingsLine(context);
    // The Flask app has no storage variants: it runs once, beside the first backend measured.
    let flask: 'run' | 'not installed' | 'elsewhere' = withFlask ? 'run' : 'not installed';
    for (const id of settings.backends) {
      let storage: BackendStorage;
      try {
        storage = await openBackend(id, settings, workDir, context.runId);
      } catch (error) {
        results.notes.push(`${id}: not measured, storage unreachable (${error instanceof Error ? error.message : String(error)}).`);
        continue;
      }
      backends.push(storage);
      await runBackend(context, storage, flask);
      flask = 'elsewhere';
    }
    const report = renderReport(results);
    await mkdir(dirname(REPORT), { recursive: true });
    await writeFile(REPORT, report);
    process.stdout.write(`\n${report}\nWritten to ${REPORT}\n`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
