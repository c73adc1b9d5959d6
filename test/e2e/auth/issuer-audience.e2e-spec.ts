import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { expectAccepted, expectUnauthorized } from './unauthorized.assertions.js';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'data-api';

describe('issuer and audience', () => {
  let t: TestApp;
  const admin = () => bearer({ sub: 'auditor', scope: 'data:admin', sign: { issuer: ISSUER, audience: AUDIENCE } });

  beforeAll(async () => {
    t = await createTestApp({ auth: { issuer: ISSUER, audience: AUDIENCE } });
  });
  afterAll(() => t?.close());

  it('accepts a token with the configured iss and aud', async () => {
    await expectAccepted(t.app, bearer({ sign: { issuer: ISSUER, audience: AUDIENCE } }));
  });

  it('accepts an aud array that contains the configured audience', async () => {
    await expectAccepted(t.app, bearer({ sign: { issuer: ISSUER, audience: ['other-api', AUDIENCE] } }));
  });

  it.each([
    ['a wrong iss', { issuer: 'https://evil.test', audience: AUDIENCE }],
    ['an iss differing only by a trailing slash', { issuer: `${ISSUER}/`, audience: AUDIENCE }],
    ['no iss', { audience: AUDIENCE }],
    ['a wrong aud', { issuer: ISSUER, audience: 'other-api' }],
    ['an aud array without the configured audience', { issuer: ISSUER, audience: ['other-api', 'files-api'] }],
    ['no aud', { issuer: ISSUER }],
    ['neither', {}],
  ])('refuses %s', async (_label, sign) => {
    await expectUnauthorized(t.app, bearer({ sign }), admin());
  });
});
