import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { MAIN_JS } from '../helpers/server-process.js';
import { type ChildApp, startChildApp } from '../e2e/faults/child-app.js';
import { parseSamples, valueOf } from '../e2e/metrics/prometheus-text.js';
import { type Call, KINDS, type Kind, loopState, type LoopState, SOAK_BODY_LIMIT } from './soak.traffic.js';
import { HeapProbe } from './heap-probe.js';
import { slopePerMinute } from './trend.js';

// `npm run test:soak`: the built app under SOAK_SECONDS of mixed traffic from a few keep-alive
// loops, most of it hostile. Fails on any 5xx, any status a request kind must not get, a memory
// trend above the bounds, or a metric series count that still grows in the second half.
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const MIN_SOAK_SECONDS = 60;
const LOOPS = Number(process.env.SOAK_LOOPS ?? 4);
/** Memory is sampled after a forced full GC this often. */
const SAMPLE_MS = 2_000;
/** Generous bounds on the growth of the post-GC heap and of RSS over the run. */
const HEAP_SLOPE_BOUND = 8 * 2 ** 20;
const RSS_SLOPE_BOUND = 32 * 2 ** 20;

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  /** Requests that got a status their kind must not get, or no response at all. */
  unexpected: string[];
}

interface MemorySample {
  atMs: number;
  heapUsed: number;
  rss: number;
}

async function send(app: ChildApp, call: Call): Promise<{ status: number; id?: string }> {
  const res = await fetch(new URL(call.path, app.base), { method: call.method, headers: call.headers, body: call.body });
  const text = await res.text();
  const id = res.status === 201 ? (JSON.parse(text) as { data: { id: string } }).data.id : undefined;
  return { status: res.status, id };
}

async function runKind(app: ChildApp, kind: Kind, state: LoopState, tally: Tally): Promise<void> {
  const call = kind.make(state);
  tally.requests++;
  try {
    const { status, id } = await send(app, call);
    tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
    if (!kind.expect.includes(status)) tally.unexpected.push(`${kind.name}: ${call.method} ${call.path.slice(0, 80)} -> ${status}`);
    if (id) state.lastId = id;
    if (call.method === 'DELETE' && status === 204) state.lastId = undefined;
  } catch (error) {
    tally.unexpected.push(`${kind.name}: ${call.method} ${call.path.slice(0, 80)} -> ${String((error as Error).cause ?? error)}`);
  }
}

async function metricsText(app: ChildApp): Promise<string> {
  return (await fetch(new URL('/metrics', app.base))).text();
}

/**
 * Series in a scrape, leaving out runtime series labelled by what the process is doing at that
 * instant (GC kinds as they first run, the types of active handles and requests): clients
 * cannot add to those, and they come and go by themselves.
 */
const RUNTIME_STATE = /^nodejs_(gc_duration_seconds|active_(handles|requests|resources))/;
const seriesCount = (text: string) => parseSamples(text).filter((s) => !RUNTIME_STATE.test(s.name)).length;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const range = (values: number[]) => `${mib(Math.min(...values))} .. ${mib(Math.max(...values))}`;

describe(`soak: ${SOAK_SECONDS} s of mixed and hostile traffic against dist/main.js`, () => {
  let app: ChildApp;
  let heap: HeapProbe;
  beforeAll(async () => {
    if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: run npm run build first');
    // In a shorter run the warm-up dominates and a slope per minute means little.
    if (!(SOAK_SECONDS >= MIN_SOAK_SECONDS)) throw new Error(`SOAK_SECONDS must be at least ${MIN_SOAK_SECONDS} (got ${process.env.SOAK_SECONDS})`);
    // A short cache TTL, so the cache's working set (entries not yet expired) settles early in the run.
    app = await startChildApp({ BODY_LIMIT: String(SOAK_BODY_LIMIT), RATE_LIMIT_MAX: '1000000', CACHE_TTL_S: '5', LOG_LEVEL: 'warn', NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    heap = await HeapProbe.attach(app.server);
  });
  afterAll(async () => {
    heap?.close();
    await app?.kill();
  });

  it('answers everything without a 5xx, with bounded memory and a constant series count', async () => {
    const tally: Tally = { requests: 0, byStatus: new Map(), unexpected: [] };
    const states = Array.from({ length: LOOPS }, (_, n) => loopState(n));
    // Every kind once first, so every route and status label exists before the clock starts.
    for (const kind of KINDS) await runKind(app, kind, states[0], tally);

    const startedAt = Date.now();
    const endsAt = startedAt + SOAK_SECONDS * 1_000;
    const memory: MemorySample[] = [];
    let middleSeries: number | undefined;
    const sampler = (async () => {
      while (Date.now() < endsAt) {
        await heap.collectGarbage();
        const text = await metricsText(app);
        memory.push({ atMs: Date.now() - startedAt, heapUsed: valueOf(parseSamples(text), 'nodejs_heap_size_used_bytes'), rss: app.rss() });
        if (middleSeries === undefined && Date.now() >= startedAt + (endsAt - startedAt) / 2) middleSeries = seriesCount(text);
        await delay(SAMPLE_MS);
      }
    })();
    const loops = states.map(async (state) => {
      while (Date.now() < endsAt) await runKind(app, KINDS[Math.floor(Math.random() * KINDS.length)], state, tally);
    });
    await Promise.all([sampler, ...loops]);
    const endSeries = seriesCount(await metricsText(app));

    // Past the first quarter (warm-up: JIT, pools, the cache's working set), a leak shows as
    // a steady climb of the post-GC heap; RSS also follows V8 sizing its heap, hence its looser bound.
    const steady = memory.filter((m) => m.atMs >= (SOAK_SECONDS * 1_000) / 4);
    const heapSlope = slopePerMinute(steady.map((m) => [m.atMs, m.heapUsed]));
    const rssSlope = slopePerMinute(steady.map((m) => [m.atMs, m.rss]));
    const fiveXx = [...tally.byStatus].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    const statusMix = [...tally.byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
    process.stdout.write(
      [
        `soak: ${SOAK_SECONDS} s, ${LOOPS} loops, ${tally.requests} requests (${(tally.requests / SOAK_SECONDS).toFixed(0)}/s)`,
        `status mix: ${statusMix}`,
        `5xx: ${fiveXx}, unexpected: ${tally.unexpected.length}`,
        `heap used after a full GC: ${range(steady.map((m) => m.heapUsed))}, slope ${mib(heapSlope)}/min (bound ${mib(HEAP_SLOPE_BOUND)}/min)`,
        `RSS: ${range(steady.map((m) => m.rss))}, slope ${mib(rssSlope)}/min (bound ${mib(RSS_SLOPE_BOUND)}/min)`,
        `metric series: ${middleSeries} at the middle, ${endSeries} at the end`,
        '',
      ].join('\n'),
    );

    expect(fiveXx).toBe(0);
    expect(tally.unexpected.slice(0, 20)).toEqual([]);
    expect(heapSlope).toBeLessThan(HEAP_SLOPE_BOUND);
    expect(rssSlope).toBeLessThan(RSS_SLOPE_BOUND);
    expect(endSeries).toBe(middleSeries);
    expect(app.alive()).toBe(true);
  }, (SOAK_SECONDS + 120) * 1_000);
});
