import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { craftToken, validClaims } from '../e2e/auth/jwt.crafting.js';
import { token } from '../helpers/tokens.js';

/** BODY_LIMIT of the soaked app: small, so oversized bodies cost little to send. */
export const SOAK_BODY_LIMIT = 64 * 1024;

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** One kind of request: how to make it, and the only statuses it may get. */
export interface Kind {
  name: string;
  expect: number[];
  make(state: LoopState): Call;
}

/** What one traffic loop remembers between requests: its caller and its last record. */
export interface LoopState {
  sub: string;
  authorization: string;
  lastId?: string;
}

export function loopState(n: number): LoopState {
  const sub = `soak-${n}`;
  // Long enough for any SOAK_SECONDS; rate limits are raised for the soak (RATE_LIMIT_MAX).
  return { sub, authorization: `Bearer ${token({ sub, expiresIn: 24 * 3600 })}` };
}

const json = (state: LoopState, extra: Record<string, string> = {}) => ({ authorization: state.authorization, 'content-type': 'application/json', ...extra });
const junk = () => randomBytes(randomInt(1, 512));
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];

const BAD_BODIES = [
  '',
  '{"key":',
  '{"__proto__":{"x":1},"key":"a"}',
  '{"key":"a","constructor":{"prototype":{"x":1}}}',
  '[{"key":"a"}]',
  '"key"',
  `{"key":"a","attributes":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
  '{"key":"\\u0000"}',
  '{"key":"a\\ud800"}',
  '{"key":"a","nested":{"field1":1e400,"field2":"x"}}',
  '{"key":"a","extra":1}',
];

const BAD_TOKENS = [
  () => '',
  () => 'Basic YWxpY2U6c2VjcmV0',
  () => `Bearer ${token({ expiresIn: -3600 })}`,
  () => `Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, validClaims())}`,
  () => `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, validClaims(), 'not-the-secret-but-32-bytes-long!!')}`,
  () => `Bearer ${randomBytes(randomInt(1, 200)).toString('base64url')}`,
  () => `Bearer ${token().split('.').slice(0, 2).join('.')}`,
];

/** The traffic mix: valid reads and writes, and hostile inputs each with its exact expected status. */
export const KINDS: Kind[] = [
  { name: 'create', expect: [201], make: (s) => ({ method: 'POST', path: '/api/data', headers: json(s), body: JSON.stringify({ key: randomUUID(), tags: ['soak'], attributes: { n: randomInt(1000) } }) }) },
  { name: 'read', expect: [200], make: (s) => ({ method: 'GET', path: s.lastId ? `/api/data/${s.lastId}` : '/api/data', headers: { authorization: s.authorization } }) },
  { name: 'list', expect: [200], make: (s) => ({ method: 'GET', path: `/api/data?limit=${randomInt(1, 20)}`, headers: { authorization: s.authorization } }) },
  { name: 'replace', expect: [200], make: (s) => ({ method: s.lastId ? 'PUT' : 'GET', path: s.lastId ? `/api/data/${s.lastId}` : '/api/data', headers: json(s), body: s.lastId ? JSON.stringify({ key: 'replaced' }) : undefined }) },
  { name: 'bad body', expect: [400], make: (s) => ({ method: 'POST', path: '/api/data', headers: json(s), body: pick(BAD_BODIES) }) },
  { name: 'random bytes', expect: [400], make: (s) => ({ method: 'POST', path: '/api/data', headers: json(s), body: Buffer.concat([Buffer.from('\x01'), junk()]) }) },
  { name: 'not JSON', expect: [415], make: (s) => ({ method: 'POST', path: '/api/data', headers: { authorization: s.authorization, 'content-type': pick(['text/plain', 'application/json garbage', 'application/xml']) }, body: '{"key":"a"}' }) },
  { name: 'oversized', expect: [413], make: (s) => ({ method: 'POST', path: '/api/data', headers: json(s), body: JSON.stringify({ key: 'big', attributes: { pad: 'p'.repeat(SOAK_BODY_LIMIT * 2) } }) }) },
  { name: 'remove', expect: [204, 200], make: (s) => ({ method: s.lastId ? 'DELETE' : 'GET', path: s.lastId ? `/api/data/${s.lastId}` : '/api/data', headers: { authorization: s.authorization } }) },
  { name: 'bad token', expect: [401], make: () => ({ method: 'POST', path: '/api/data', headers: { authorization: pick(BAD_TOKENS)(), 'content-type': 'application/json' }, body: '{"key":"intruder"}' }) },
  { name: 'bad id', expect: [404], make: (s) => ({ method: 'GET', path: `/api/data/${pick(['x', randomUUID(), '..%2f', '%00'])}`, headers: { authorization: s.authorization } }) },
  { name: 'unknown route', expect: [404], make: (s) => ({ method: 'GET', path: `/${randomBytes(8).toString('hex')}/${randomInt(1e6)}`, headers: { authorization: s.authorization } }) },
  { name: 'bad query', expect: [400], make: (s) => ({ method: 'GET', path: `/api/data?limit=${pick(['0', '101', 'x', '-1'])}&${randomBytes(4).toString('hex')}=1`, headers: { authorization: s.authorization } }) },
];
