import { BACKEND_TITLES, type BackendId } from './bench-backends.js';
import { SCENARIOS, type ScenarioId } from './bench-scenarios.js';
import type { ServerKind } from './bench-servers.js';
import { type BenchResults, findSeries, median, type Series, summarize, type Summary } from './bench-results.js';

const SERVER_TITLES: Record<ServerKind, string> = {
  'data-api': 'data-api (everything on)',
  'fastify-reference': 'bare Fastify reference',
  'node-http-ceiling': 'node:http ceiling',
  'flask-article-app': 'Flask app (gunicorn, 1 sync worker)',
};

const backendTitle = (backend: Series['backend']) => (backend === 'none' ? '—' : BACKEND_TITLES[backend]);
const scenarioTitle = (id: ScenarioId) => SCENARIOS.find((scenario) => scenario.id === id)!.title;
const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a');
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ×` : 'n/a');

/** The reference the app is compared with: same scenario and backend (the Flask app's POST has none). */
function referenceOf(results: BenchResults, series: Series): Summary | undefined {
  if (series.server === 'fastify-reference' || series.backend === 'none') return undefined;
  const reference = findSeries(results, series.backend, series.scenario, 'fastify-reference');
  return reference && summarize(reference);
}

function row(results: BenchResults, series: Series): string {
  const cells = [scenarioTitle(series.scenario), backendTitle(series.backend), SERVER_TITLES[series.server]];
  const summary = summarize(series);
  if (!summary) return `| ${[...cells, series.skipped ?? 'n/a', '', '', '', '', '', ''].join(' | ')} |`;
  const reference = referenceOf(results, series);
  const unit = series.unitsPerRequest > 1 ? ' rec/s' : '';
  const misses = summary.cacheMisses ? ` (${int(summary.cacheMisses)} answered with X-Cache: MISS)` : '';
  const errors = (summary.errors === 0 ? '0' : `**INVALID: ${summary.errors}** (${summary.errorDetail})`) + misses;
  return `| ${[
    ...cells,
    int(summary.rate) + unit,
    ms(summary.p50Ms),
    ms(summary.p99Ms),
    errors,
    `${summary.rssAfterMb.toFixed(0)} MB`,
    summary.cpuUsPerUnit.toFixed(0) + (series.unitsPerRequest > 1 ? ' per record' : ''),
    series.server === 'fastify-reference' ? '1.00 ×' : reference ? ratio(summary.rate / reference.rate) : '—',
  ].join(' | ')} |`;
}

function table(results: BenchResults): string[] {
  return [
    '| scenario | backend | server | req/s | p50 | p99 | errors | RSS after load | CPU µs/request | × reference req/s |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...results.series.map((series) => row(results, series)),
  ];
}

function coldStartLines(results: BenchResults): string[] {
  if (results.coldStarts.length === 0) return [];
  return [
    '| backend | first start (creates storage, migrates) | later starts: median | samples |',
    '| --- | ---: | ---: | --- |',
    ...results.coldStarts.map(
      (cold) =>
        `| ${BACKEND_TITLES[cold.backend]} | ${ms(cold.firstMs)} | ${ms(median(cold.samplesMs))} | ${cold.samplesMs.map((sample) => sample.toFixed(0)).join(', ')} ms |`,
    ),
  ];
}

function memoryLines(results: BenchResults): string[] {
  return [
    '| backend | server | RSS idle | RSS after load | peak RSS (VmHWM) |',
    '| --- | --- | ---: | ---: | ---: |',
    ...results.memory.map(
      (memory) =>
        `| ${backendTitle(memory.backend)} | ${SERVER_TITLES[memory.server]} | ${memory.idleMb.toFixed(0)} MB | ${memory.afterLoadMb.toFixed(0)} MB | ${memory.peakMb.toFixed(0)} MB |`,
    ),
  ];
}

type Verdict = 'PASS' | 'FAIL' | 'INVALID' | 'NOT MEASURED';

const verdict = (holds: boolean, ...inputs: Array<Summary | undefined>): Verdict =>
  inputs.some((input) => !input) ? 'NOT MEASURED' : inputs.some((input) => input!.errors > 0) ? 'INVALID' : holds ? 'PASS' : 'FAIL';

function pair(results: BenchResults, backend: BackendId, scenario: ScenarioId, other: ServerKind = 'fastify-reference') {
  const app = findSeries(results, backend, scenario, 'data-api');
  const against = findSeries(results, other === 'flask-article-app' ? 'none' : backend, scenario, other);
  return { app: app && summarize(app), other: against && summarize(against), skipped: against?.skipped ?? app?.skipped };
}

/** The issue's targets, each as a PASS/FAIL line with the measured ratio. */
export function targetLines(results: BenchResults): string[] {
  const lines: string[] = [];
  const backends = [...new Set(results.coldStarts.map((cold) => cold.backend))];
  for (const backend of backends) {
    const { app, other } = pair(results, backend, 'get-hit');
    const rate = app && other ? app.rate / other.rate : NaN;
    const p99 = app && other ? app.p99Ms / other.p99Ms : NaN;
    lines.push(
      `${verdict(rate >= 0.7 && p99 <= 2, app, other)}  cached GET /api/data/{id}, ${BACKEND_TITLES[backend]}: ${ratio(rate)} the reference's req/s (target ≥ 0.70), p99 ${ratio(p99)} its p99 (target ≤ 2)`,
    );
  }
  if (backends.includes('postgres')) {
    const { app, other } = pair(results, 'postgres', 'post');
    const rate = app && other ? app.rate / other.rate : NaN;
    lines.push(`${verdict(rate >= 0.6, app, other)}  POST /api/data on PostgreSQL: ${ratio(rate)} the reference doing the same insert (target ≥ 0.60)`);
  }
  for (const backend of backends) {
    const { app, other, skipped } = pair(results, backend, 'post', 'flask-article-app');
    const rate = app && other ? app.rate / other.rate : NaN;
    const measured = other ? `${ratio(rate)} the Flask app's req/s` : `Flask app ${skipped ?? 'not measured'}`;
    lines.push(`${verdict(rate >= 2, app, other)}  POST /api/data, ${BACKEND_TITLES[backend]}: ${measured} (target ≥ 2)`);
  }
  for (const memory of results.memory.filter((each) => each.server === 'data-api')) {
    const holds = memory.peakMb <= 200;
    lines.push(`${holds ? 'PASS' : 'FAIL'}  RSS under load, ${backendTitle(memory.backend)}: peak ${memory.peakMb.toFixed(0)} MB (target ≤ 200 MB)`);
  }
  const embedded = results.coldStarts.find((cold) => cold.backend === 'embedded');
  if (embedded) {
    const coldMs = median(embedded.samplesMs);
    lines.push(`${coldMs <= 1500 ? 'PASS' : 'FAIL'}  cold start on the embedded default: median ${ms(coldMs)} to /health/ready 200 (target ≤ 1.5 s)`);
  }
  return lines;
}

/** The whole report, as written to test/bench/results/latest.md. */
export function renderReport(results: BenchResults): string {
  return [
    `# data-api benchmark — ${results.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${results.machine}. Load generator: ${results.loadGenerator}${results.pinned ? ' (server processes on core 0, load generator on core 1)' : ' (not pinned: taskset missing or one core)'}.`,
    `Settings: ${results.settings}.`,
    '',
    '## Throughput and latency (medians over the rounds)',
    '',
    ...table(results),
    '',
    '## Targets',
    '',
    '```',
    ...targetLines(results),
    '```',
    '',
    '## Cold start (spawn → /health/ready 200)',
    '',
    ...coldStartLines(results),
    '',
    '## Memory',
    '',
    ...memoryLines(results),
    '',
    ...(results.notes.length ? ['## Notes', '', ...results.notes.map((note) => `- ${note}`), ''] : []),
  ].join('\n');
}
