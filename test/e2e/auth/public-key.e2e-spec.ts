import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import jwt, { type Algorithm } from 'jsonwebtoken';
import { token } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { bearerOf, craftAsymmetricToken, craftToken, validClaims } from './jwt.crafting.js';
import { expectAccepted, expectUnauthorized } from './unauthorized.assertions.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const signed = (privateKey: KeyObject, algorithm: Algorithm, claims: Record<string, unknown> = {}) =>
  jwt.sign(validClaims(claims), privateKey, { algorithm });

const pemOf = (publicKey: KeyObject) => publicKey.export({ format: 'pem', type: 'spki' }) as string;

/** The public key as an attacker would find it published, for use as an HMAC secret. */
const publishedForms = (publicKey: KeyObject): [string, string | Buffer][] => [
  ['the SPKI PEM', pemOf(publicKey)],
  ['the SPKI PEM without its final newline', pemOf(publicKey).trimEnd()],
  ['the SPKI DER bytes', publicKey.export({ format: 'der', type: 'spki' })],
];

describe('public-key mode, RS256', () => {
  let t: TestApp;
  const admin = () => bearerOf(signed(rsa.privateKey, 'RS256', { sub: 'auditor', scope: 'data:admin' }));
  const reject = (value: string) => expectUnauthorized(t.app, bearerOf(value), admin());

  beforeAll(async () => {
    t = await createTestApp({
      auth: { verification: { kind: 'public-key', key: createPublicKey(pemOf(rsa.publicKey)), algorithms: ['RS256'] } },
    });
  });
  afterAll(() => t?.close());

  it('accepts a valid RS256 token', async () => {
    await expectAccepted(t.app, bearerOf(signed(rsa.privateKey, 'RS256')));
  });

  it('accepts an RS256 token minted with node:crypto alone (an independent implementation)', async () => {
    await expectAccepted(t.app, bearerOf(craftAsymmetricToken('RS256', validClaims(), rsa.privateKey)));
  });

  it.each(publishedForms(rsa.publicKey))(
    'refuses HS256 signed with %s as the HMAC secret (algorithm confusion)',
    async (_label, secret) => {
      await reject(craftToken({ alg: 'HS256', typ: 'JWT' }, validClaims(), secret));
    },
  );

  it.each([
    ['RS256 signed by another RSA key', () => signed(otherRsa.privateKey, 'RS256')],
    ['PS256 signed by the right key', () => signed(rsa.privateKey, 'PS256')],
    ['RS512 signed by the right key', () => signed(rsa.privateKey, 'RS512')],
    ['ES256', () => signed(ec.privateKey, 'ES256')],
    ['HS256 with the test secret', () => token()],
    ['alg none', () => craftToken({ alg: 'none', typ: 'JWT' }, validClaims())],
  ])('refuses %s', async (_label, make) => {
    await reject(make());
  });

  it('refuses a correctly signed RS256 token lacking exp, or lacking sub', async () => {
    await reject(jwt.sign({ sub: 'alice', scope: 'data:read' }, rsa.privateKey, { algorithm: 'RS256', noTimestamp: true }));
    await reject(signed(rsa.privateKey, 'RS256', { sub: undefined }));
  });
});

describe('public-key mode, ES256', () => {
  let t: TestApp;
  const admin = () => bearerOf(signed(ec.privateKey, 'ES256', { sub: 'auditor', scope: 'data:admin' }));
  const reject = (value: string) => expectUnauthorized(t.app, bearerOf(value), admin());

  beforeAll(async () => {
    t = await createTestApp({
      auth: { verification: { kind: 'public-key', key: createPublicKey(pemOf(ec.publicKey)), algorithms: ['ES256'] } },
    });
  });
  afterAll(() => t?.close());

  it('accepts a valid ES256 token', async () => {
    await expectAccepted(t.app, bearerOf(signed(ec.privateKey, 'ES256')));
  });

  it('accepts an ES256 token minted with node:crypto alone (raw r||s signature)', async () => {
    await expectAccepted(t.app, bearerOf(craftAsymmetricToken('ES256', validClaims(), ec.privateKey)));
  });

  it('refuses an ES256 token whose signature is DER-encoded instead of raw r||s', async () => {
    const valid = craftAsymmetricToken('ES256', validClaims(), ec.privateKey);
    const input = valid.slice(0, valid.lastIndexOf('.'));
    const der = sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'der' }).toString('base64url');
    await reject(`${input}.${der}`);
  });

  it.each(publishedForms(ec.publicKey))(
    'refuses HS256 signed with %s as the HMAC secret (algorithm confusion)',
    async (_label, secret) => {
      await reject(craftToken({ alg: 'HS256', typ: 'JWT' }, validClaims(), secret));
    },
  );

  it.each([
    ['ES256 signed by another P-256 key', () => signed(otherEc.privateKey, 'ES256')],
    ['RS256', () => signed(rsa.privateKey, 'RS256')],
    ['HS256 with the test secret', () => token()],
    ['alg none', () => craftToken({ alg: 'none', typ: 'JWT' }, validClaims())],
  ])('refuses %s', async (_label, make) => {
    await reject(make());
  });
});
