import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import { ConflictError, DataApiClient, type DataApiClientOptions, NotFoundError, RateLimitedError } from '../../src/client/index.js';
import { token } from '../helpers/tokens.js';
import { Cluster } from './cluster.js';
import { ClusterReport } from './cluster-report.js';
import { SteadyLoad } from './steady-load.js';

const RATE_LIMIT_MAX = 200;
const LOAD_LOOPS = 8;

const body = (key: string) => ({ key, nested: { field1: 123, field2: 'example' } });

/** Requests of the http_requests_total series on `route`, summed over methods and statuses. */
async function requestsServed(replicaUrl: string, route: string): Promise<number> {
  const text = await (await request(`${replicaUrl}/metrics`)).body.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('http_requests_total{') && line.includes(`route="${route}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('three replicas behind nginx, sharing PostgreSQL and Redis', () => {
  let cluster: Cluster;
  const report = new ClusterReport();
  const clients: DataApiClient[] = [];

  /** No retries unless a test asks: a failure the client would hide is a failure here. */
  const client = (baseUrl: string, tokenFor: () => string, options: Partial<DataApiClientOptions> = {}) => {
    const created = new DataApiClient({ baseUrl, token: tokenFor, retries: 0, ...options });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    cluster = await Cluster.start({ replicas: 3, rateLimitMax: RATE_LIMIT_MAX, shutdownDrainMs: 1_000 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((each) => each.close()));
    await cluster?.stop();
    report.print();
  }, 60_000);

  it('reads a write made through one replica back through the others, cache included', async () => {
    const sub = `cluster-${randomUUID()}`;
    const [a, b, c] = cluster.replicas.map((replica) => client(replica.url, () => token({ sub })));
    const created = await a.createRecord(body('v1'));
    // Both other replicas read it (and cache it in the shared Redis)...
    expect((await b.getRecord(created.id)).version).toBe(1);
    expect((await c.getRecord(created.id)).version).toBe(1);
    expect((await c.listRecords({ limit: 5 })).data.map((record) => record.key)).toEqual(['v1']);
    // ...then a write through the first is seen by both at once.
    await a.updateRecord(created.id, body('v2'));
    expect(await b.getRecord(created.id)).toMatchObject({ key: 'v2', version: 2 });
    expect(await c.getRecord(created.id)).toMatchObject({ key: 'v2', version: 2 });
    expect((await c.listRecords({ limit: 5 })).data.map((record) => record.key)).toEqual(['v2']);
    await b.deleteRecord(created.id);
    await expect(a.getRecord(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.getRecord(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('turns 20 parallel POSTs with one Idempotency-Key through the gateway into one record', async () => {
    const sub = `cluster-${randomUUID()}`;
    const gateway = client(cluster.gatewayUrl, () => token({ sub }), { connections: 20 });
    const idempotencyKey = randomUUID();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => gateway.createRecord(body('once'), { idempotencyKey })));
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.id] : []));
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created).size).toBe(1);
    // The others arrived while the first was in flight: 409, never a second record.
    for (const reason of refused) expect(reason).toBeInstanceOf(ConflictError);
    const page = await gateway.listRecords({ limit: 100 });
    expect(page.data.map((record) => record.id)).toEqual([created[0]]);
    report.add(`idempotency: 20 parallel POSTs, one key -> ${created.length} x 201 (same id), ${refused.length} x 409, 1 record`);
  });

  it('holds the rate limit across replicas', async () => {
    const sub = `cluster-${randomUUID()}`;
    const gateway = client(cluster.gatewayUrl, () => token({ sub }));
    let allowed = 0;
    let limited = 0;
    for (let i = 0; i < RATE_LIMIT_MAX + 30; i++) {
      try {
        await gateway.listRecords({ limit: 1 });
        allowed++;
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        limited++;
      }
    }
    // Round-robin spreads these over 3 replicas: per-replica counters would allow 3 x the limit.
    expect(allowed).toBe(RATE_LIMIT_MAX);
    expect(limited).toBe(30);
    report.add(`rate limit: ${RATE_LIMIT_MAX + 30} requests of one caller through the gateway -> ${allowed} allowed, ${limited} x 429`);
  });

  it('keeps the request id from the client to the app and back', async () => {
    const headers = { authorization: `Bearer ${token({ sub: `cluster-${randomUUID()}` })}` };
    const given = `cluster-${randomUUID()}`;
    const passed = await request(`${cluster.gatewayUrl}/api/data`, { headers: { ...headers, 'x-request-id': given } });
    expect(passed.headers['x-request-id']).toBe(given);
    expect(((await passed.body.json()) as { requestId: string }).requestId).toBe(given);
    // None given: the gateway's id is the app's id.
    const generated = await request(`${cluster.gatewayUrl}/api/data`, { headers });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(((await generated.body.json()) as { requestId: string }).requestId).toBe(generated.headers['x-request-id']);
  });

  it("spreads traffic over every replica, each one's /metrics counting its share, and hides /metrics at the gateway", async () => {
    const route = '/api/data/:id';
    const before = await Promise.all(cluster.replicas.map((replica) => requestsServed(replica.url, route)));
    const sent = 90;
    const gateway = client(cluster.gatewayUrl, () => token({ sub: `cluster-${randomUUID()}` }), { connections: 3 });
    for (let i = 0; i < sent; i++) await expect(gateway.getRecord(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    const after = await Promise.all(cluster.replicas.map((replica) => requestsServed(replica.url, route)));
    const shares = after.map((count, index) => count - before[index]);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(sent);
    for (const share of shares) expect(share).toBeGreaterThan(0);
    expect((await request(`${cluster.gatewayUrl}/metrics`)).statusCode).toBe(404);
    report.add(`per-replica share of ${sent} requests: ${shares.join(' / ')}`);
  });

  /**
   * Steady traffic through the gateway: every loop creates a record as a fresh caller (which
   * keeps the load under the per-caller rate limit) and reads it back. `callers` collects the
   * callers whose create succeeded, to count their records afterwards.
   */
  function startLoad(options: Partial<DataApiClientOptions>, callers: string[] = []): SteadyLoad {
    const subs = Array.from({ length: LOAD_LOOPS }, () => '');
    const loops = subs.map((_, loop) => client(cluster.gatewayUrl, () => token({ sub: subs[loop] }), options));
    return new SteadyLoad(LOAD_LOOPS, async (loop) => {
      subs[loop] = `load-${randomUUID()}`;
      const created = await loops[loop].createRecord(body('load'));
      callers.push(subs[loop]);
      const read = await loops[loop].getRecord(created.id);
      if (read.id !== created.id) throw new Error('read back another record');
    });
  }

  async function untilSent(load: SteadyLoad, count: number): Promise<void> {
    const target = load.count + count;
    for (let waited = 0; load.count < target && waited < 30_000; waited += 20) await delay(20);
  }

  /** 502s nginx answered itself (a replica reset a request it had sent) since `offset`. */
  async function gatewayResets(offset: number): Promise<{ count: number; end: number }> {
    const log = await cluster.gatewayErrorLog();
    const lines = log.slice(offset).split('\n');
    return { count: lines.filter((line) => /\[error\].*(reset by peer|prematurely closed)/.test(line)).length, end: log.length };
  }

  it('restarts every replica in turn under steady load with zero failed client requests and no duplicate', async () => {
    const callers: string[] = [];
    // The project's client as services use it: retries on 502/503/504 and network errors, every
    // POST with an Idempotency-Key, so a retried create cannot make a second record.
    const load = startLoad({ retries: 3, backoff: { baseMs: 50, capMs: 500 } }, callers);
    const logOffset = (await gatewayResets(0)).end;
    await untilSent(load, 50);
    const restarts: string[] = [];
    for (const replica of [...cluster.replicas]) {
      const stopped = await cluster.terminate(replica.index);
      expect(stopped.exit).toBe(0);
      const started = Date.now();
      await cluster.replace(replica.index);
      restarts.push(`#${replica.index}: drained and exited in ${stopped.ms} ms, replacement ready after ${Date.now() - started} ms`);
      await untilSent(load, 50);
    }
    const result = await load.stop();
    const resets = await gatewayResets(logOffset);
    report.add(`rolling restart: ${result.sent} client requests, ${result.failed} failed; ${resets.count} gateway 502s retried by the client`);
    for (const line of restarts) report.add(`  ${line}`);
    for (const failure of result.failures) report.add(`  failed: ${failure.error}`);
    if (result.failed > 0) report.add(`gateway error log:\n${(await cluster.gatewayErrorLog()).slice(logOffset)}`);
    expect(result.failures).toEqual([]);
    expect(result.sent).toBeGreaterThan(200);
    // Exactly one record per successful create, retried or not.
    let caller = '';
    const counter = client(cluster.replicas[0].url, () => token({ sub: caller }));
    const duplicated: string[] = [];
    for (caller of callers) {
      if ((await counter.listRecords({ limit: 5 })).data.length !== 1) duplicated.push(caller);
    }
    expect(duplicated).toEqual([]);
  }, 120_000);

  it('routes around a replica killed with SIGKILL, losing at most what was in flight on it', async () => {
    // No client retries here: what the gateway alone loses is what is measured.
    const load = startLoad({ retries: 0 });
    await untilSent(load, 50);
    await cluster.kill(1);
    await untilSent(load, 200);
    const result = await load.stop();
    report.add(`kill -9 of one replica (no client retries): ${result.sent} requests, ${result.failed} failed (at most ${LOAD_LOOPS} in flight)`);
    for (const failure of result.failures) report.add(`  failed: ${failure.error}`);
    expect(result.failed).toBeLessThanOrEqual(LOAD_LOOPS);
    await cluster.replace(1);
  }, 120_000);
});
