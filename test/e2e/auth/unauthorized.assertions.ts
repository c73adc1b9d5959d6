import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export type Headers = Record<string, string>;

/** RFC 6750 §3.1: no credentials at all get a bare challenge, a bad token says invalid_token. */
export const BARE_CHALLENGE = 'Bearer realm="data-api"';
export const INVALID_TOKEN_CHALLENGE = 'Bearer realm="data-api", error="invalid_token"';

async function expectStoredNothing(app: NestFastifyApplication, key: string, admin: Headers): Promise<void> {
  const res = await app.inject({ method: 'GET', url: `/api/data?key=${key}`, headers: admin });
  expect(res.statusCode).toBe(200);
  expect(res.json().data).toEqual([]);
}

/**
 * GET and POST /api/data with `headers` must both answer 401 with the UNAUTHORIZED envelope and
 * the given challenge, and the POST must store nothing: `admin` (a valid data:admin token for
 * this app, which sees every owner's records) lists by the posted key afterwards.
 */
export async function expectUnauthorized(
  app: NestFastifyApplication,
  headers: Headers,
  admin: Headers,
  challenge: string = INVALID_TOKEN_CHALLENGE,
): Promise<void> {
  const key = `rejected-${randomUUID()}`;
  const responses = [
    await app.inject({ method: 'GET', url: '/api/data', headers }),
    await app.inject({ method: 'POST', url: '/api/data', headers, payload: { key } }),
  ];
  for (const res of responses) {
    expect({ status: res.statusCode, challenge: res.headers['www-authenticate'] }).toEqual({ status: 401, challenge });
    expect(res.json()).toMatchObject({ status: 'error', error: { code: 'UNAUTHORIZED' } });
  }
  await expectStoredNothing(app, key, admin);
}

/** The token must be accepted: GET lists and POST stores, as the baseline each rejection is measured against. */
export async function expectAccepted(app: NestFastifyApplication, headers: Headers): Promise<void> {
  const list = await app.inject({ method: 'GET', url: '/api/data', headers });
  expect(list.statusCode).toBe(200);
  expect(list.json().status).toBe('success');
  const key = `accepted-${randomUUID()}`;
  const created = await app.inject({ method: 'POST', url: '/api/data', headers, payload: { key } });
  expect(created.statusCode).toBe(201);
  // The same lookup expectUnauthorized relies on finds what was stored.
  const found = await app.inject({ method: 'GET', url: `/api/data?key=${key}`, headers });
  expect(found.json().data).toHaveLength(1);
}
