import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET } from '../../test/helpers/tokens.js';
import type { Caller } from './caller.js';
import { VERIFIED_TOKEN_MAX_AGE_MS, VERIFIED_TOKENS_MAX, VERIFIED_TOKENS_MAX_CHARS, VerifiedTokens } from './verified-tokens.js';

const alice: Caller = { sub: 'alice', scopes: new Set(['data:read']) };
const NOW = Date.UTC(2026, 0, 1);
const tokenExpiringIn = (seconds: number, sub = 'alice') => jwt.sign({ sub, exp: NOW / 1000 + seconds }, TEST_JWT_SECRET);
/** Only the payload matters here: remember() is told the token passed the full check. */
const withPayload = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.signature`;

describe('VerifiedTokens', () => {
  let now: number;
  let tokens: VerifiedTokens;

  beforeEach(() => {
    now = NOW;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    tokens = new VerifiedTokens();
  });
  afterEach(() => jest.restoreAllMocks());

  it('knows nothing it was not told', () => {
    expect(tokens.callerOf(tokenExpiringIn(300))).toBeUndefined();
  });

  it('answers the caller of a remembered token, by its exact text only', () => {
    const token = tokenExpiringIn(300);
    tokens.remember(token, alice);
    expect(tokens.callerOf(token)).toBe(alice);
    expect(tokens.callerOf(`${token}x`)).toBeUndefined();
    expect(tokens.callerOf(token.slice(0, -1))).toBeUndefined();
  });

  it("stops answering at the token's exp", () => {
    const token = tokenExpiringIn(30);
    tokens.remember(token, alice);
    now += 29_999;
    expect(tokens.callerOf(token)).toBe(alice);
    now += 1;
    expect(tokens.callerOf(token)).toBeUndefined();
  });

  it(`trusts a long-lived token for ${VERIFIED_TOKEN_MAX_AGE_MS / 1000} s, then asks for the full check again`, () => {
    const token = tokenExpiringIn(3600);
    tokens.remember(token, alice);
    now += VERIFIED_TOKEN_MAX_AGE_MS - 1;
    expect(tokens.callerOf(token)).toBe(alice);
    now += 1;
    expect(tokens.callerOf(token)).toBeUndefined();
  });

  it('does not remember a token already past its exp (accepted within the clock tolerance)', () => {
    const token = tokenExpiringIn(-2);
    tokens.remember(token, alice);
    expect(tokens.callerOf(token)).toBeUndefined();
  });

  it('does not remember a token whose payload carries no numeric exp', () => {
    const token = withPayload({ sub: 'alice', exp: 'tomorrow' });
    tokens.remember(token, alice);
    expect(tokens.callerOf(token)).toBeUndefined();
  });

  it(`holds at most ${VERIFIED_TOKENS_MAX} tokens, forgetting the least recently used`, () => {
    const first = tokenExpiringIn(300, 'caller-0');
    tokens.remember(first, alice);
    for (let i = 1; i <= VERIFIED_TOKENS_MAX; i++) tokens.remember(withPayload({ sub: `caller-${i}`, exp: NOW / 1000 + 300 }), alice);
    expect(tokens.callerOf(withPayload({ sub: `caller-${VERIFIED_TOKENS_MAX}`, exp: NOW / 1000 + 300 }))).toBe(alice);
    expect(tokens.callerOf(first)).toBeUndefined();
  });

  it(`holds at most ${VERIFIED_TOKENS_MAX_CHARS} characters of tokens, however long they are`, () => {
    const padding = 'p'.repeat(64 * 1024);
    const big = (i: number) => withPayload({ sub: `caller-${i}`, exp: NOW / 1000 + 300, padding });
    const count = Math.ceil(VERIFIED_TOKENS_MAX_CHARS / big(0).length) + 10;
    for (let i = 0; i < count; i++) tokens.remember(big(i), alice);
    expect(tokens.callerOf(big(0))).toBeUndefined();
    expect(tokens.callerOf(big(count - 1))).toBe(alice);
  });
});
