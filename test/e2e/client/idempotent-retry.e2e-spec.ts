import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { ConnectionError, DataApiClient } from '../../../src/client/index.js';
import { token } from '../../helpers/tokens.js';
import { testBackends } from '../../setup/backends.js';
import { QUICK_RETRIES, uniqueSub, useClientSuite } from './client-app.js';
import { FaultProxy, type ProxyFault, startHttpServer } from './fault-servers.js';

const idempotencyKeyOf = (request: string) => /\r\nidempotency-key: ([^\r]+)\r\n/i.exec(request)?.[1];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `promise`, or a rejection with `message` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(testBackends())('DataApiClient retried POSTs through a faulty network (%s)', (backend) => {
  const suite = useClientSuite({ backend });
  const proxies: FaultProxy[] = [];
  const clients: DataApiClient[] = [];

  /** A client whose connections go through a proxy applying `faults` to its first connections. */
  async function faultyClient(sub: string, faults: ProxyFault[]): Promise<{ client: DataApiClient; proxy: FaultProxy }> {
    const proxy = await new FaultProxy(suite.port, faults).start();
    proxies.push(proxy);
    const client = new DataApiClient({ baseUrl: proxy.url, token: token({ sub }), ...QUICK_RETRIES });
    clients.push(client);
    return { client, proxy };
  }
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  it('returns the original record when the response to a create is lost: one row, same key twice', async () => {
    const sub = uniqueSub('lost');
    const { client, proxy } = await faultyClient(sub, ['lose-response']);
    const record = await client.createRecord({ key: 'exactly-once' });

    // The server did create it on the first attempt; the client never saw that answer.
    const lostBody = JSON.parse(proxy.lost[0].slice(proxy.lost[0].indexOf('\r\n\r\n') + 4));
    expect(record).toEqual(lostBody.data);
    expect(proxy.count).toBe(2);
    const keys = proxy.sent.map(idempotencyKeyOf);
    expect(keys[0]).toEqual(expect.any(String));
    expect(keys[1]).toBe(keys[0]);
    const rows = await suite.client({ as: { sub } }).listRecords();
    expect(rows.data.map((r) => r.id)).toEqual([record.id]);
  });

  it('re-sends a Buffer upload cut off mid-body, with the same key, storing one file', async () => {
    const sub = uniqueSub('upload');
    const { client, proxy } = await faultyClient(sub, ['reset']);
    const bytes = Buffer.from('line\n'.repeat(50_000));
    const meta = await client.uploadFile(bytes, { filename: 'retried.txt' });
    expect(meta.sha256).toBe(sha256(bytes));
    expect(proxy.count).toBe(2);
    expect(idempotencyKeyOf(proxy.sent[1])).toBe(idempotencyKeyOf(proxy.sent[0]));
    expect((await suite.client({ as: { sub } }).listFiles()).data.map((f) => f.id)).toEqual([meta.id]);
  });

  it('sends a stream upload once: a reset is a ConnectionError, not a retry', async () => {
    const sub = uniqueSub('stream');
    const { client, proxy } = await faultyClient(sub, ['reset']);
    const source = new PassThrough();
    source.end(Buffer.from('once\n'.repeat(1000)));
    const error = await client.uploadFile(source, { filename: 'once.txt' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(proxy.count).toBe(1);
    expect((await suite.client({ as: { sub } }).listFiles()).data).toEqual([]);
  });
});

describe('DataApiClient streaming', () => {
  it('sends the first bytes of a stream before the stream has ended (nothing buffered)', async () => {
    let firstBytes!: () => void;
    const arrived = new Promise<void>((resolve) => (firstBytes = resolve));
    const server = await startHttpServer((request, response) => {
      expect(request.headers['transfer-encoding']).toBe('chunked');
      request.once('data', () => firstBytes());
      request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end('{"status":"success","data":{"id":"f"}}'));
      request.resume();
    });
    const client = new DataApiClient({ baseUrl: server.url, token: 't' });
    try {
      const source = new PassThrough();
      source.write('first chunk\n');
      const upload = client.uploadFile(source, { filename: 'live.txt' });
      // Only once the server has bytes does the stream end: a buffering client would wait forever.
      await within(arrived, 5000, 'no bytes reached the server before the end of the stream');
      source.end('last chunk\n');
      await expect(upload).resolves.toEqual({ id: 'f' });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('hands a download over before the server has sent all of it', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const server = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first part\n');
      void finished.then(() => response.end('last part\n'));
    });
    const client = new DataApiClient({ baseUrl: server.url, token: 't' });
    try {
      // Resolves while the response is still open: a buffering client would wait for the end.
      const download = await within(client.downloadFile('f'), 5000, 'the download was not handed over before its end');
      const chunks: Buffer[] = [];
      for await (const chunk of download) {
        chunks.push(chunk as Buffer);
        finish();
      }
      expect(Buffer.concat(chunks).toString()).toBe('first part\nlast part\n');
    } finally {
      finish();
      await client.close();
      await server.close();
    }
  });

  it('fails a download cut off mid-body with ConnectionError from the stream', async () => {
    const server = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      response.write('x'.repeat(50));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const client = new DataApiClient({ baseUrl: server.url, token: 't' });
    try {
      const download = await client.downloadFile('f');
      expect(download.info).toMatchObject({ status: 200, contentLength: 100 });
      const error = await (async () => {
        for await (const chunk of download) void chunk;
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectionError);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
