import { once } from 'node:events';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ConnectionError, DataApiClient, type DataRecord, ValidationError } from '../../../src/client/index.js';
import { testBackends } from '../../setup/backends.js';
import { uniqueSub, useClientSuite } from './client-app.js';
import { startHttpServer } from './fault-servers.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe.each(testBackends())('DataApiClient.exportRecords against the listening app (%s)', (backend) => {
  const suite = useClientSuite({ backend });

  it('iterates every record, oldest first, each exactly as getRecord returns it', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const created: DataRecord[] = [];
    for (let i = 0; i < 30; i++) created.push(await client.createRecord({ key: i % 3 === 0 ? 'three' : 'other', attributes: { i, text: 'ü'.repeat(50) } }));
    const exported = await collect(client.exportRecords());
    expect(exported).toEqual(created);
    expect(await client.getRecord(created[5].id)).toEqual(exported[5]);
  });

  it('passes the key and since filters', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const old = await client.createRecord({ key: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date();
    const recent = [await client.createRecord({ key: 'a' }), await client.createRecord({ key: 'b' })];
    expect((await collect(client.exportRecords({ key: 'a' }))).map((r) => r.id)).toEqual([old.id, recent[0].id]);
    expect((await collect(client.exportRecords({ since }))).map((r) => r.id)).toEqual(recent.map((r) => r.id));
    expect((await collect(client.exportRecords({ since: since.toISOString(), key: 'b' }))).map((r) => r.id)).toEqual([recent[1].id]);
  });

  it('throws ValidationError for a bad filter before yielding anything', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    await expect(collect(client.exportRecords({ since: 'yesterday' }))).rejects.toBeInstanceOf(ValidationError);
  });

  it('stops reading when the loop breaks, and releases the connection', async () => {
    const client = suite.client({ as: { sub: uniqueSub() }, connections: 1 });
    for (let i = 0; i < 40; i++) await client.createRecord({ key: 'early', attributes: { text: 'x'.repeat(100) } });
    let seen = 0;
    for await (const record of client.exportRecords()) {
      expect(record.key).toBe('early');
      if (++seen === 3) break;
    }
    // The connection is released: the client goes on working.
    expect((await client.listRecords({ limit: 1 })).data).toHaveLength(1);
  });
});

describe('DataApiClient.exportRecords from a local server', () => {
  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('decodes a %s-encoded NDJSON stream sent in small chunks', async (encoding, compress) => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: String(i), key: 'ü€😀'.repeat(i % 7) })).join('\n') + '\n';
    const compressed = compress(Buffer.from(lines));
    const server = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-encoding': encoding });
      // Small chunks split lines, UTF-8 sequences and the compressed framing anywhere.
      for (let offset = 0; offset < compressed.length; offset += 97) response.write(compressed.subarray(offset, offset + 97));
      response.end();
    });
    const client = new DataApiClient({ baseUrl: server.url, token: 't' });
    try {
      const records = await collect(client.exportRecords());
      expect(records).toHaveLength(200);
      expect(records[13]).toEqual({ id: '13', key: 'ü€😀'.repeat(6) });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('iterates 100k lines (~100 MB) holding only a bounded window of them', async () => {
    const LINES = 100_000;
    const padding = 'p'.repeat(1000);
    let written = 0;
    const server = await startHttpServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (let i = 0; i < LINES; i++) {
        written++;
        // The server honours backpressure, so it can only run ahead as far as the client reads.
        if (!response.write(`{"id":"${i}","padding":"${padding}"}\n`)) await once(response, 'drain');
      }
      response.end();
    });
    const client = new DataApiClient({ baseUrl: server.url, token: 't' });
    try {
      let count = 0;
      let maxAhead = 0;
      for await (const record of client.exportRecords()) {
        if (Number((record as unknown as { id: string }).id) !== count++) throw new Error(`line ${count} out of order`);
        maxAhead = Math.max(maxAhead, written - count);
      }
      expect(count).toBe(LINES);
      // A client that buffered the stream would let the server write every line up front;
      // this one stays within socket and stream buffers (about 5k lines of 1 KB measured).
      expect(maxAhead).toBeLessThan(LINES / 5);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('throws ConnectionError when the server aborts the stream after some lines', async () => {
    const server = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write('{"id":"1"}\n{"id":"2"}\n');
      setTimeout(() => response.socket?.destroy(), 50);
    });
    const client = new DataApiClient({ baseUrl: server.url, token: 't' });
    try {
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const record of client.exportRecords()) seen.push(record);
      })().catch((caught: unknown) => caught);
      expect(seen).toEqual([{ id: '1' }, { id: '2' }]);
      expect(error).toBeInstanceOf(ConnectionError);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
