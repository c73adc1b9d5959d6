import type { BackendId } from './bench-backends.js';
import type { ScenarioId } from './bench-scenarios.js';
import type { ServerKind } from './bench-servers.js';
import type { LoadResult } from './wrk-output.parser.js';

/** One measured run: the load generator's figures plus what /proc says about the server. */
export interface Measurement extends LoadResult {
  /** Server CPU (user + system) during the run ÷ requests answered. */
  cpuUsPerRequest: number;
  /** Server VmRSS right after the run. */
  rssAfterMb: number;
}

/** Every round of one server on one scenario and backend. */
export interface Series {
  backend: BackendId | 'none';
  scenario: ScenarioId;
  server: ServerKind;
  runs: Measurement[];
  /** Records per response (the export); 1 otherwise. */
  unitsPerRequest: number;
  /** Why it was not measured ("n/a: …"), when it was not. */
  skipped?: string;
}

export interface ColdStart {
  backend: BackendId;
  /** The first start, which creates the data directory or schema and runs the migrations. */
  firstMs: number;
  /** Later starts on the existing storage. */
  samplesMs: number[];
}

export interface ServerMemory {
  backend: BackendId | 'none';
  server: ServerKind;
  idleMb: number;
  afterLoadMb: number;
  /** VmHWM: the highest RSS over the process's life, load included. */
  peakMb: number;
}

export interface BenchResults {
  startedAt: Date;
  machine: string;
  loadGenerator: string;
  pinned: boolean;
  settings: string;
  series: Series[];
  coldStarts: ColdStart[];
  memory: ServerMemory[];
  notes: string[];
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians over the rounds; errors and cache misses summed (any error invalidates the series). */
export interface Summary {
  rate: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorDetail: string;
  cacheMisses: number;
  rssAfterMb: number;
  /** Per request, or per record for the export. */
  cpuUsPerUnit: number;
}

export function summarize(series: Series): Summary | undefined {
  if (series.skipped || series.runs.length === 0) return undefined;
  const pick = (read: (run: Measurement) => number) => median(series.runs.map(read));
  return {
    rate: pick((run) => run.requestsPerSecond) * series.unitsPerRequest,
    p50Ms: pick((run) => run.p50Ms),
    p99Ms: pick((run) => run.p99Ms),
    errors: series.runs.reduce((sum, run) => sum + run.errors, 0),
    errorDetail: series.runs.map((run) => run.errorDetail).filter(Boolean).join('; '),
    cacheMisses: series.runs.reduce((sum, run) => sum + run.cacheMisses, 0),
    rssAfterMb: Math.max(...series.runs.map((run) => run.rssAfterMb)),
    cpuUsPerUnit: pick((run) => run.cpuUsPerRequest) / series.unitsPerRequest,
  };
}

export function findSeries(results: BenchResults, backend: Series['backend'], scenario: ScenarioId, server: ServerKind): Series | undefined {
  return results.series.find((series) => series.backend === backend && series.scenario === scenario && series.server === server);
}
