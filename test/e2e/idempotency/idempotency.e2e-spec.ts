import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { IdempotencyService } from '../../../src/platform/idempotency/index.js';
import { requestFingerprint } from '../../../src/platform/idempotency/request-fingerprint.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { parseRawResponse, rawHttp } from '../../helpers/raw-http.js';
import { bearer } from '../../helpers/tokens.js';
import { testBackends } from '../../setup/backends.js';
import { DataApi, expectError, expectSuccess, JSON_TYPE, uniqueSub, useDataSuite } from '../data/data-api.helper.js';
import { Gate, IdempotencyGateModule } from './idempotency-gate.module.js';
import { databaseNow, expireKey, insertInFlight, keyExpiry, keyRows, postGated, REPLAYED } from './idempotency.helper.js';

const key = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;
const withKey = (value: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': value, ...extra });

/** Not the default (a day): a stored expiry of created + this shows the setting reached the store. */
const IDEMPOTENCY_TTL_S = 5_400;

async function replays(): Promise<number> {
  const metric = await register.getSingleMetric('idempotent_replays_total')!.get();
  return metric.values[0]?.value ?? 0;
}

describe.each(testBackends())('Idempotency-Key on POST (%s)', (backend) => {
  const suite = useDataSuite(backend, { imports: [IdempotencyGateModule], sharedState: { idempotencyTtlS: IDEMPOTENCY_TTL_S } });
  let api: DataApi;
  beforeAll(() => {
    api = suite.api;
  });

  it('replays the stored response byte for byte, with Idempotent-Replayed and the new request id', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('replay');
    const first = await api.post(owner, recordBody(), withKey(k, { 'x-request-id': 'first-request' }));
    expectSuccess(first, 201);
    expect(first.headers[REPLAYED]).toBeUndefined();
    const before = await replays();

    const again = await api.post(owner, recordBody(), withKey(k, { 'x-request-id': 'second-request' }));
    expect(again.statusCode).toBe(201);
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(again.headers[REPLAYED]).toBe('true');
    for (const name of ['location', 'etag', 'content-type']) expect(again.headers[name]).toBe(first.headers[name]);
    // The envelope is the stored one (its requestId is the first request's); the header is this request's.
    expect(again.json().requestId).toBe('first-request');
    expect(again.headers['x-request-id']).toBe('second-request');
    expect(await api.count(owner)).toBe(1);
    expect(await replays()).toBe(before + 1);
  });

  it('fingerprints the parsed body: the same JSON written differently replays', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('spacing');
    const first = await api.postRaw(owner, '{"key":"a","tags":["x"]}', withKey(k, { 'content-type': JSON_TYPE }));
    const again = await api.postRaw(owner, '{ "key" : "a",\n  "tags" : [ "x" ] }', withKey(k, { 'content-type': JSON_TYPE }));
    expectSuccess(first, 201);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(again.body).toBe(first.body);
  });

  it('answers 422 UNPROCESSABLE to a different body with a used key, and stores nothing new', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('mismatch');
    expectSuccess(await api.post(owner, recordBody({ key: 'one' }), withKey(k)), 201);
    const other = await api.post(owner, recordBody({ key: 'two' }), withKey(k));
    expectError(other, 422, 'UNPROCESSABLE');
    expect(other.headers[REPLAYED]).toBeUndefined();
    expect(await api.count(owner)).toBe(1);
  });

  it('answers 409 CONFLICT while the first request is still in flight, then replays it', async () => {
    const gate = suite.app.get(Gate);
    const sub = uniqueSub();
    const k = key('gated');
    const first = postGated(suite.app, sub, k);
    await gate.whenEntered();
    try {
      const during = await postGated(suite.app, sub, k);
      expectError(during, 409, 'CONFLICT');
      expect(during.headers['retry-after']).toBe('1');
    } finally {
      gate.release();
    }
    const done = await first;
    expect(done.statusCode).toBe(201);
    const after = await postGated(suite.app, sub, k);
    expect(after.headers[REPLAYED]).toBe('true');
    expect(after.body).toBe(done.body);
    expect(gate.entered).toBe(1);
  });

  it('keeps a crashed request\'s key locked for its lease only, then runs the request', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('crashed');
    const body = recordBody();
    await insertInFlight(suite.app, owner.sub, k, requestFingerprint({ method: 'POST', url: '/api/data', owner: owner.sub, body }));
    expectError(await api.post(owner, body, withKey(k)), 409, 'CONFLICT');
    await expireKey(suite.app, owner.sub, k);
    const retried = await api.post(owner, body, withKey(k));
    expectSuccess(retried, 201);
    expect(retried.headers[REPLAYED]).toBeUndefined();
    expect(await api.count(owner)).toBe(1);
  });

  it('scopes keys per owner', async () => {
    const alice = { sub: uniqueSub('alice') };
    const bob = { sub: uniqueSub('bob') };
    const k = key('shared');
    const a = await api.post(alice, recordBody({ key: 'alice' }), withKey(k));
    const b = await api.post(bob, recordBody({ key: 'bob' }), withKey(k));
    expectSuccess(a, 201);
    expectSuccess(b, 201);
    expect(b.headers[REPLAYED]).toBeUndefined();
    expect(b.json().data.id).not.toBe(a.json().data.id);
    expect(b.json().data.owner).toBe(bob.sub);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
  ])('refuses a %s key with 400 VALIDATION_FAILED and creates nothing', async (_name, value) => {
    const owner = { sub: uniqueSub() };
    const res = await api.post(owner, recordBody(), withKey(value));
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.details).toEqual([{ field: 'Idempotency-Key', messages: [expect.any(String)] }]);
    expect(await api.count(owner)).toBe(0);
  });

  it('accepts a 255-character key', async () => {
    expectSuccess(await api.post({ sub: uniqueSub() }, recordBody(), withKey('k'.repeat(255))), 201);
  });

  it('changes nothing without the header: two POSTs create two records', async () => {
    const owner = { sub: uniqueSub() };
    const first = await api.post(owner, recordBody());
    const second = await api.post(owner, recordBody());
    expect(second.headers[REPLAYED]).toBeUndefined();
    expect(second.json().data.id).not.toBe(first.json().data.id);
    expect(await api.count(owner)).toBe(2);
  });

  it('stores a 400 validation failure and replays it for the same body', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('invalid-body');
    const first = await api.post(owner, { key: '' }, withKey(k));
    expectError(first, 400, 'VALIDATION_FAILED');
    const again = await api.post(owner, { key: '' }, withKey(k));
    expect(again.statusCode).toBe(400);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(again.body).toBe(first.body);
    expect(await keyRows(suite.app, owner.sub)).toEqual([{ key: k, state: 'completed', status: 400 }]);
  });

  it('creates exactly one record for 50 parallel POSTs with one key', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('parallel');
    const responses = await Promise.all(Array.from({ length: 50 }, () => api.post(owner, recordBody(), withKey(k))));
    const statuses = new Set(responses.map((res) => res.statusCode));
    expect([...statuses].every((status) => status === 201 || status === 409)).toBe(true);
    const created = responses.filter((res) => res.statusCode === 201);
    expect(created.filter((res) => res.headers[REPLAYED] === undefined)).toHaveLength(1);
    expect(new Set(created.map((res) => res.body)).size).toBe(1);
    expect(await api.count(owner)).toBe(1);
  });

  it('forgets a key once it expired: the request runs again, and the sweep deletes expired rows', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('expiring');
    const first = await api.post(owner, recordBody(), withKey(k));
    await expireKey(suite.app, owner.sub, k);
    const later = await api.post(owner, recordBody(), withKey(k));
    expectSuccess(later, 201);
    expect(later.headers[REPLAYED]).toBeUndefined();
    expect(later.json().data.id).not.toBe(first.json().data.id);

    await expireKey(suite.app, owner.sub, k);
    expect(await suite.app.get(IdempotencyService).sweep()).toBeGreaterThanOrEqual(1);
    expect(await keyRows(suite.app, owner.sub)).toEqual([]);
  });

  it('stores a response for IDEMPOTENCY_TTL_S from when it was stored', async () => {
    const owner = { sub: uniqueSub() };
    const k = key('ttl');
    const before = await databaseNow(suite.app);
    expectSuccess(await api.post(owner, recordBody(), withKey(k)), 201);
    const after = await databaseNow(suite.app);
    const expiresAt = (await keyExpiry(suite.app, owner.sub, k)).getTime();
    // Stored between the two readings of the database clock; 1 ms for timestamptz(3) rounding.
    expect(expiresAt).toBeGreaterThanOrEqual(before.getTime() + IDEMPOTENCY_TTL_S * 1000 - 1);
    expect(expiresAt).toBeLessThanOrEqual(after.getTime() + IDEMPOTENCY_TTL_S * 1000 + 1);
  });

  // Over a socket, Node joins a repeated header into "a, b": app.inject cannot show that.
  describe('over a real socket', () => {
    let port: number;
    beforeAll(async () => {
      await suite.app.listen({ port: 0, host: '127.0.0.1' });
      port = (suite.app.getHttpServer().address() as AddressInfo).port;
    });

    const post = (sub: string, keyLines: string[]) => {
      const body = JSON.stringify(recordBody());
      const lines = [
        'POST /api/data HTTP/1.1',
        'Host: x',
        `Authorization: ${bearer({ sub }).authorization}`,
        `Content-Type: ${JSON_TYPE}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...keyLines.map((value) => `Idempotency-Key: ${value}`),
        'Connection: close',
      ];
      return rawHttp(port, `${lines.join('\r\n')}\r\n\r\n${body}`).then(parseRawResponse);
    };

    it('refuses the header sent twice with 400 VALIDATION_FAILED and stores nothing', async () => {
      const owner = { sub: uniqueSub() };
      const res = await post(owner.sub, [key('a'), key('b')]);
      expect(res).toMatchObject({
        status: 400,
        body: { status: 'error', error: { code: 'VALIDATION_FAILED', details: [{ field: 'Idempotency-Key' }] } },
      });
      expect(await api.count(owner)).toBe(0);
      expect(await keyRows(suite.app, owner.sub)).toEqual([]);
    });

    it('takes one header holding ", " (a quoted key) as one key', async () => {
      const owner = { sub: uniqueSub() };
      const quoted = `"${key('a')}, ${key('b')}"`;
      const res = await post(owner.sub, [quoted]);
      expect(res.status).toBe(201);
      expect(await keyRows(suite.app, owner.sub)).toEqual([{ key: quoted, state: 'completed', status: 201 }]);
    });
  });
});
