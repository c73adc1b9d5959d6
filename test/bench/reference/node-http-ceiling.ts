/**
 * The ceiling of `npm run bench`: raw node:http answering every request with one precomputed
 * GET-by-id response (no auth, no storage, no logging). Nothing served on one core goes faster.
 * PORT from the environment.
 */
import { createServer } from 'node:http';

const record = {
  id: '6f1c2d1e-8b7a-4c5d-9e0f-123456789abc',
  key: 'test_value',
  nested: { field1: 123, field2: 'example' },
  tags: [],
  attributes: {},
  owner: 'bench',
  version: 1,
  createdAt: '2026-11-25T10:47:06.022Z',
  updatedAt: '2026-11-25T10:47:06.022Z',
};
const body = Buffer.from(
  JSON.stringify({ status: 'success', data: record, timestamp: '2026-11-25T10:47:06.022Z', requestId: '00000000-0000-4000-8000-000000000000' }),
);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag: '"1"', 'x-cache': 'HIT' };

const server = createServer((request, response) => {
  if (request.url === '/health/ready') return void response.writeHead(200).end('{"status":"ok"}');
  response.writeHead(200, headers).end(body);
});
server.keepAliveTimeout = 72_000;
process.once('SIGTERM', () => server.close(() => process.exit(0)));
server.listen(Number(process.env.PORT ?? 3200), '127.0.0.1');
