import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readlink, rm, writeFile, mkdtemp, readFile } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testBackends } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { authHeaders, diskEntries, eventually, FilesApi, multipart, filePart, sha256, uniqueSub } from './files-api.helper.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** Descriptors of this process open on `path` (the app runs in the test process). */
async function descriptorsOn(path: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target === path) count++;
  }
  return count;
}

/** Sends one request over a keep-alive agent and collects the response. */
function send(agent: Agent, port: number, options: { method: string; path: string; headers: Record<string, string | number>; body?: Buffer }) {
  return new Promise<{ res: IncomingMessage; body: Buffer; reusedSocket: boolean }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, agent, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.each(testBackends())('files over real sockets (%s)', (backend) => {
  let testApp: TestApp;
  let api: FilesApi;
  let port: number;
  let scratch: string;

  beforeAll(async () => {
    testApp = await createTestApp({ backend, files: { uploadMaxBytes: 25 * MiB } });
    api = new FilesApi(testApp.app);
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
    scratch = await mkdtemp(join(tmpdir(), 'files-sockets-'));
  });
  afterAll(async () => {
    await testApp?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('takes a `curl -F` upload and serves it back to curl, whole and by range', async () => {
    const caller = { sub: uniqueSub() };
    const source = join(scratch, 'rapport é.pdf');
    const data = Buffer.concat([Buffer.from('%PDF-1.5\n'), randomBytes(300_000)]);
    await writeFile(source, data);
    const auth = `Authorization: ${authHeaders(caller).authorization}`;
    const url = `http://127.0.0.1:${port}/api/files`;

    const upload = await run('curl', ['-sS', '--max-time', '20', '-H', auth, '-F', `document=@${source};type=application/pdf`, '-F', 'description=via curl', url]);
    const created = JSON.parse(upload.stdout);
    expect(created.data).toMatchObject({ filename: 'rapport é.pdf', contentType: 'application/pdf', size: data.length, sha256: sha256(data), description: 'via curl' });

    const target = join(scratch, 'downloaded');
    const download = await run('curl', ['-sS', '--max-time', '20', '-H', auth, '-o', target, '-w', '%{http_code}', `${url}/${created.data.id}`]);
    expect(download.stdout).toBe('200');
    expect(sha256(await readFile(target))).toBe(sha256(data));

    const ranged = await run('curl', ['-sS', '--max-time', '20', '-H', auth, '-r', '0-8', `${url}/${created.data.id}`]);
    expect(ranged.stdout).toBe('%PDF-1.5\n');
  });

  it('an upload aborted mid-body leaves no file and no row', async () => {
    const caller = { sub: uniqueSub() };
    const before = await diskEntries(testApp.uploadDir);
    const { payload, contentType } = multipart([filePart(Buffer.alloc(4 * MiB, 'a'), 'text/plain', 'aborted.txt')]);
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authHeaders(caller).authorization}\r\n` +
        `Content-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\n\r\n`,
    );
    socket.write(payload.subarray(0, payload.length / 2));
    // The bytes are being streamed to a partial file before the client gives up.
    await eventually(async () => expect((await diskEntries(testApp.uploadDir)).some((name) => name.startsWith('.partial-'))).toBe(true));
    socket.destroy();

    await eventually(async () => expect(await diskEntries(testApp.uploadDir)).toEqual(before));
    expect(await api.count(caller)).toBe(0);
  });

  it('a client that stops reading a download and disconnects releases the file descriptor', async () => {
    const caller = { sub: uniqueSub() };
    const data = Buffer.alloc(16 * MiB, 'd');
    const file = await api.create(caller, [filePart(data, 'text/plain', 'big.txt')]);
    const path = join(testApp.uploadDir, file.id);
    expect(await descriptorsOn(path)).toBe(0);

    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.write(`GET /api/files/${file.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authHeaders(caller).authorization}\r\n\r\n`);
    // Read the first bytes, then stop reading: the server is stuck on backpressure with the file open.
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    await eventually(async () => expect(await descriptorsOn(path)).toBe(1));

    socket.destroy();
    await eventually(async () => expect(await descriptorsOn(path)).toBe(0));
  });

  it('an Idempotency-Key replay leaves the unread body harmless: the connection is reused, no second file', async () => {
    const caller = { sub: uniqueSub() };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { payload, contentType } = multipart([filePart(Buffer.alloc(MiB, 'k'), 'text/plain', 'k.txt')]);
      const headers = { ...authHeaders(caller), 'content-type': contentType, 'content-length': payload.length, 'idempotency-key': `key-${uniqueSub()}` };
      const first = await send(agent, port, { method: 'POST', path: '/api/files', headers, body: payload });
      expect(first.res.statusCode).toBe(201);
      const entries = await diskEntries(testApp.uploadDir);

      const replay = await send(agent, port, { method: 'POST', path: '/api/files', headers, body: payload });
      expect(replay.res.statusCode).toBe(201);
      expect(replay.res.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.equals(first.body)).toBe(true);

      const next = await send(agent, port, { method: 'GET', path: '/api/files', headers: authHeaders(caller) });
      expect(next.res.statusCode).toBe(200);
      expect(next.reusedSocket).toBe(true);
      expect(JSON.parse(next.body.toString()).data).toHaveLength(1);
      expect(await diskEntries(testApp.uploadDir)).toEqual(entries);
    } finally {
      agent.destroy();
    }
  });
});
