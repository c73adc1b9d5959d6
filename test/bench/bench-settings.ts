import type { ScenarioId } from './bench-scenarios.js';

/** What one `npm run bench` does, from the environment (defaults in brackets). */
export interface BenchSettings {
  /** BENCH_ROUNDS [3]: measured rounds; medians are reported. */
  rounds: number;
  /** BENCH_SECONDS [10]: length of one measured run. */
  seconds: number;
  /** BENCH_WARMUP_SECONDS [3]: one unrecorded run per server and scenario before round 1. */
  warmupSeconds: number;
  /** BENCH_CONNECTIONS [50]: concurrent keep-alive connections of the load generator. */
  connections: number;
  /** BENCH_EXPORT_CONNECTIONS [4]: concurrent exports. */
  exportConnections: number;
  /** BENCH_EXPORT_RECORDS [2000]: records in the exported set. */
  exportRecords: number;
  /** BENCH_COLD_STARTS [5]: starts measured for the cold-start median. */
  coldStarts: number;
  /** BENCH_BACKENDS [embedded,postgres]: which storage variants to run. */
  backends: Array<'embedded' | 'postgres'>;
  /** BENCH_SCENARIOS [all]: which scenarios to run (post, get-hit, get-304, list, export), for a quick look at one path. */
  scenarios: ScenarioId[];
  /** TEST_DATABASE_URL [postgres://postgres@127.0.0.1:5432/test]: a schema of its own per server is created and dropped. */
  databaseUrl: string;
  /** TEST_REDIS_URL [redis://127.0.0.1:6379]: the bench's keys are deleted afterwards. */
  redisUrl: string;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function backends(): BenchSettings['backends'] {
  const raw = process.env.BENCH_BACKENDS ?? 'embedded,postgres';
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) if (name !== 'embedded' && name !== 'postgres') throw new Error(`BENCH_BACKENDS: unknown backend "${name}"`);
  return names as BenchSettings['backends'];
}

const SCENARIO_IDS: readonly ScenarioId[] = ['post', 'get-hit', 'get-304', 'list', 'export'];

function scenarios(): ScenarioId[] {
  const raw = process.env.BENCH_SCENARIOS || SCENARIO_IDS.join(',');
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) if (!SCENARIO_IDS.includes(name as ScenarioId)) throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}"`);
  return names as ScenarioId[];
}

export function readBenchSettings(): BenchSettings {
  return {
    rounds: positiveInt('BENCH_ROUNDS', 3),
    seconds: positiveInt('BENCH_SECONDS', 10),
    warmupSeconds: positiveInt('BENCH_WARMUP_SECONDS', 3),
    connections: positiveInt('BENCH_CONNECTIONS', 50),
    exportConnections: positiveInt('BENCH_EXPORT_CONNECTIONS', 4),
    exportRecords: positiveInt('BENCH_EXPORT_RECORDS', 2000),
    coldStarts: positiveInt('BENCH_COLD_STARTS', 5),
    backends: backends(),
    scenarios: scenarios(),
    databaseUrl: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
  };
}
