import { createHash } from 'node:crypto';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { collectGarbage } from '../../helpers/collect-garbage.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { authHeaders, uniqueSub } from './files-api.helper.js';

const MiB = 1024 * 1024;
const SIZE = 25 * MiB;
const mb = (bytes: number) => `${bytes < 0 ? '' : '+'}${(bytes / MiB).toFixed(1)}`;

/**
 * What a transfer costs: the peak RSS growth over the whole of it (sampled every 10 ms), and
 * the memory still held by buffers halfway through, after a full collection — a file held
 * whole on either side would show as at least half its size there.
 */
class MemoryProbe {
  private peakRss: number;
  private readonly sampler: NodeJS.Timeout;
  midwayBuffers = 0;

  private constructor(private readonly baseline: NodeJS.MemoryUsage) {
    this.peakRss = baseline.rss;
    this.sampler = setInterval(() => this.sample(), 10);
  }

  static async start(): Promise<MemoryProbe> {
    await collectGarbage();
    return new MemoryProbe(process.memoryUsage());
  }

  private sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  /** Called halfway, while the transfer is paused. */
  async midway(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await collectGarbage();
    this.midwayBuffers = process.memoryUsage().arrayBuffers - this.baseline.arrayBuffers;
  }

  stop(): { rss: number; midwayBuffers: number } {
    this.sample();
    clearInterval(this.sampler);
    return { rss: this.peakRss - this.baseline.rss, midwayBuffers: this.midwayBuffers };
  }
}

async function readBody(res: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of res.setEncoding('utf8')) body += chunk;
  return body;
}

/** Writes `count` copies of `chunk` with backpressure, pausing once halfway. */
async function writeChunks(req: ClientRequest, chunk: Buffer, count: number, midway: () => Promise<void>): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i === count / 2) await midway();
    if (!req.write(chunk)) await once(req, 'drain');
  }
}

describe('memory while a 25 MiB file goes up and down over a socket', () => {
  let testApp: TestApp;
  let port: number;
  const caller = { sub: uniqueSub() };

  beforeAll(async () => {
    testApp = await createTestApp({ files: { uploadMaxBytes: SIZE } });
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => testApp?.close());

  async function upload(probe: MemoryProbe): Promise<{ status: number; body: string; sha256: string }> {
    const boundary = 'memory-test-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'm');
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/files',
      headers: { ...authHeaders(caller), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + SIZE + tail.length },
    });
    const response = once(req, 'response') as Promise<[IncomingMessage]>;
    req.write(head);
    await writeChunks(req, chunk, SIZE / chunk.length, () => probe.midway());
    req.end(tail);
    const [res] = await response;
    const hash = createHash('sha256');
    for (let i = 0; i < SIZE / chunk.length; i++) hash.update(chunk);
    return { status: res.statusCode!, body: await readBody(res), sha256: hash.digest('hex') };
  }

  async function download(id: string, probe: MemoryProbe): Promise<{ status: number; bytes: number; sha256: string }> {
    const req = httpRequest({ host: '127.0.0.1', port, path: `/api/files/${id}`, headers: authHeaders(caller) }).end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const hash = createHash('sha256');
    let bytes = 0;
    let paused = false;
    for await (const data of res) {
      bytes += (data as Buffer).length;
      hash.update(data as Buffer);
      // Stop reading halfway: the server must wait (backpressure), not read ahead into memory.
      if (!paused && bytes >= SIZE / 2) {
        paused = true;
        await probe.midway();
      }
    }
    return { status: res.statusCode!, bytes, sha256: hash.digest('hex') };
  }

  it('streams both ways in bounded memory', async () => {
    const uploadProbe = await MemoryProbe.start();
    const uploaded = await upload(uploadProbe);
    const uploadCost = uploadProbe.stop();
    expect(uploaded.status).toBe(201);
    const file = JSON.parse(uploaded.body).data;
    expect(file).toMatchObject({ size: SIZE, sha256: uploaded.sha256 });

    const downloadProbe = await MemoryProbe.start();
    const downloaded = await download(file.id, downloadProbe);
    const downloadCost = downloadProbe.stop();
    expect(downloaded).toEqual({ status: 200, bytes: SIZE, sha256: file.sha256 });

    console.info(
      `25 MiB upload: peak RSS ${mb(uploadCost.rss)} MiB, buffers held midway ${mb(uploadCost.midwayBuffers)} MiB; ` +
        `download: peak RSS ${mb(downloadCost.rss)} MiB, buffers held midway ${mb(downloadCost.midwayBuffers)} MiB`,
    );
    expect(uploadCost.rss).toBeLessThan(80 * MiB);
    expect(downloadCost.rss).toBeLessThan(80 * MiB);
    // Halfway, a file held whole (or its first half) would be 12.5 MiB or more of live buffers;
    // the bound leaves room for other allocations of the process (measured: 0 to 4 MiB).
    expect(uploadCost.midwayBuffers).toBeLessThan(10 * MiB);
    expect(downloadCost.midwayBuffers).toBeLessThan(10 * MiB);
  });
});
