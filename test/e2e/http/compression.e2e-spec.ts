import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { DataApi, uniqueSub } from '../data/data-api.helper.js';

describe('response compression', () => {
  let testApp: TestApp;
  const owner = { sub: uniqueSub('compress') };
  const list = (headers: Record<string, string>) =>
    testApp.app.inject({ method: 'GET', url: '/api/data?limit=100', headers: { ...bearer({ sub: owner.sub, scope: 'data:read' }), ...headers } });

  beforeAll(async () => {
    testApp = await createTestApp();
    const api = new DataApi(testApp.app);
    // About 500 bytes per record: 5 of them make a list well over the 1 KiB threshold.
    for (let i = 0; i < 5; i++) {
      await api.create(owner, { key: `record-${i}`, nested: { field1: i, field2: 'example' }, attributes: { note: 'abc '.repeat(60) } });
    }
  }, 60_000);
  afterAll(() => testApp?.close());

  it('sends a large list uncompressed when the client accepts no encoding', async () => {
    const res = await list({});
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.length).toBeGreaterThan(1024);
    expect(res.json().data).toHaveLength(5);
  });

  it.each([
    ['gzip', 'gzip', gunzipSync],
    ['br', 'br', brotliDecompressSync],
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['gzip;q=1, br;q=0.5', 'gzip', gunzipSync],
  ])('answers Accept-Encoding %p with %s and the same JSON', async (accept, encoding, decompress) => {
    const identity = await list({});
    const plain = identity.json();
    const res = await list({ 'accept-encoding': accept });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.rawPayload.length).toBeLessThan(identity.rawPayload.length);
    const body = JSON.parse(decompress(res.rawPayload).toString('utf8'));
    expect(body).toMatchObject({ status: 'success', page: { limit: 100 } });
    expect(body.data).toEqual(plain.data);
  });

  it('leaves a body under 1 KiB uncompressed', async () => {
    const res = await testApp.app.inject({
      method: 'GET',
      url: '/api/data?limit=1',
      headers: { ...bearer({ sub: owner.sub, scope: 'data:read' }), 'accept-encoding': 'gzip, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().data).toHaveLength(1);
  });

  it('leaves the error envelope intact', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/data', headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toMatchObject({ status: 'error', error: { code: 'UNAUTHORIZED' } });
  });

  it('still answers Fastify-level errors with the envelope', async () => {
    const res = await testApp.app.inject({
      method: 'POST',
      url: '/api/data',
      headers: { ...bearer({ sub: owner.sub }), 'content-type': 'application/json', 'accept-encoding': 'gzip, br' },
      payload: '{"key":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 'error', error: { code: 'MALFORMED_JSON' } });
  });

  it('sends 204 and 304 without a body or an encoding', async () => {
    const api = new DataApi(testApp.app);
    const record = await api.create(owner, { key: 'short-lived', attributes: { filler: 'x'.repeat(2000) } });
    const headers = { 'accept-encoding': 'gzip, br' };
    const full = await api.get(owner, record.id, headers);
    expect(full.headers['content-encoding']).toBe('br');
    const notModified = await api.get(owner, record.id, { ...headers, 'if-none-match': String(full.headers.etag) });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    const deleted = await api.delete(owner, record.id, headers);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.rawPayload.length).toBe(0);
    expect(deleted.headers['content-encoding']).toBeUndefined();
  });
});
