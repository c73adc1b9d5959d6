import { request } from 'undici';
import { brotliDecompressSync } from 'node:zlib';
import { NotFoundError } from '../../../src/client/index.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { token } from '../../helpers/tokens.js';
import { testBackends } from '../../setup/backends.js';
import { uniqueSub, useClientSuite } from './client-app.js';

describe.each(testBackends())('DataApiClient records against the listening app (%s)', (backend) => {
  const suite = useClientSuite({ backend });

  it('creates, reads, replaces and deletes a record', async () => {
    const sub = uniqueSub();
    const client = suite.client({ as: { sub } });
    const created = await client.createRecord(recordBody({ key: 'crud' }));
    expect(created).toMatchObject({ key: 'crud', owner: sub, version: 1, nested: { field1: 123, field2: 'example' } });

    expect(await client.getRecord(created.id)).toEqual(created);

    const replaced = await client.updateRecord(created.id, { key: 'crud', tags: ['x'] }, { ifMatch: created.version });
    expect(replaced).toMatchObject({ id: created.id, version: 2, tags: ['x'], nested: null });
    expect(await client.updateRecord(created.id, { key: 'crud-2' }, { ifMatch: '"2"' })).toMatchObject({ version: 3, key: 'crud-2' });

    await expect(client.deleteRecord(created.id)).resolves.toBeUndefined();
    await expect(client.getRecord(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps UTF-8 text byte-exact both ways', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const key = 'Zürich ✓ 日本 😀 e\u0301';
    const created = await client.createRecord({ key, attributes: { note: 'naïve – “quoted”' } });
    expect((await client.getRecord(created.id)).key).toBe(key);
    expect(created.attributes).toEqual({ note: 'naïve – “quoted”' });
  });

  it('lists one page with its cursor, and iterates every page', async () => {
    const sub = uniqueSub();
    const client = suite.client({ as: { sub } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.createRecord({ key: `page-${i}` })).id);
    await client.createRecord({ key: 'other-key' });

    const first = await client.listRecords({ limit: 2, key: undefined });
    expect(first.data).toHaveLength(2);
    expect(first.page).toEqual({ limit: 2, nextCursor: expect.any(String) });
    const second = await client.listRecords({ limit: 2, cursor: first.page.nextCursor! });
    expect(second.data.map((r) => r.id)).not.toContain(first.data[0].id);

    const all: string[] = [];
    for await (const record of client.iterateRecords({ limit: 2 })) all.push(record.id);
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
    const filtered: string[] = [];
    for await (const record of client.iterateRecords({ limit: 2, key: 'page-3' })) filtered.push(record.id);
    expect(filtered).toEqual([ids[3]]);
  });

  it('calls the token provider for every request, so a rotated token is used at once', async () => {
    const subs = [uniqueSub('rot-a'), uniqueSub('rot-b')];
    let calls = 0;
    const client = suite.client({ token: async () => token({ sub: subs[calls++ < 2 ? 0 : 1] }) });
    const a = await client.createRecord({ key: 'rotating' });
    await client.getRecord(a.id);
    const b = await client.createRecord({ key: 'rotating' });
    expect(calls).toBe(3);
    expect([a.owner, b.owner]).toEqual(subs);
    // The rotated token belongs to another caller: the first record is not theirs.
    await expect(client.getRecord(a.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toBe(4);
  });

  it('propagates X-Request-Id: the per-call id, else the provider’s', async () => {
    const client = suite.client({ requestId: () => 'from-provider.1' });
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(client.getRecord(missing, { requestId: 'incoming:abc-123' })).rejects.toMatchObject({ code: 'NOT_FOUND', requestId: 'incoming:abc-123' });
    await expect(client.getRecord(missing)).rejects.toMatchObject({ requestId: 'from-provider.1' });
  });

  it('decodes compressed responses transparently', async () => {
    const sub = uniqueSub();
    const client = suite.client({ as: { sub } });
    for (let i = 0; i < 8; i++) await client.createRecord(recordBody({ key: `compressed-${i}`, attributes: { text: 'x'.repeat(200) } }));
    // The same request the client sends comes back brotli-compressed from the server...
    const raw = await request(`${suite.baseUrl}/api/data?limit=8`, { headers: { authorization: `Bearer ${token({ sub })}`, 'accept-encoding': 'br, gzip' } });
    expect(raw.headers['content-encoding']).toBe('br');
    const expected = JSON.parse(brotliDecompressSync(Buffer.from(await raw.body.arrayBuffer())).toString('utf8')).data;
    // ...and the client hands back the decoded records.
    expect((await client.listRecords({ limit: 8 })).data).toEqual(expected);
  });

  it('reports liveness and readiness without a token', async () => {
    const client = suite.client({ token: undefined });
    await expect(client.health({ probe: 'live' })).resolves.toMatchObject({ ok: true, status: 200, report: { status: 'ok' } });
    await expect(client.health()).resolves.toMatchObject({ ok: true, status: 200, report: { status: expect.stringMatching(/ok|degraded/) } });
  });
});
