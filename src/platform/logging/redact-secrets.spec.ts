import { isSecretKey, REDACTED, redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it.each(['authorization', 'Authorization', 'cookie', 'set-cookie', 'password', 'newPassword', 'passwd', 'token', 'accessToken', 'refresh_token', 'clientSecret', 'api_key', 'X-Api-Key'])(
    'treats %s as a secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );

  it.each(['reqId', 'method', 'route', 'statusCode', 'durationMs', 'bytes', 'sub', 'key', 'passage'])('leaves %s alone', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );

  it('censors secret-named fields at any depth, in objects and arrays', () => {
    const fields = {
      msg: 'x',
      headers: { authorization: 'Bearer eyJ.abc.def', accept: '*/*', cookie: 'sid=1' },
      body: { items: [{ password: 'hunter2', name: 'a' }] },
      token: 'eyJ.abc.def',
    };
    expect(redactSecrets(fields)).toEqual({
      msg: 'x',
      headers: { authorization: REDACTED, accept: '*/*', cookie: REDACTED },
      body: { items: [{ password: REDACTED, name: 'a' }] },
      token: REDACTED,
    });
  });

  it('censors a whole object stored under a secret key', () => {
    expect(redactSecrets({ credentials: 1, secret: { value: 'x' } })).toEqual({ credentials: 1, secret: REDACTED });
  });

  it('does not touch the input, and returns it as is when nothing matched', () => {
    const clean = { reqId: 'r', nested: { a: [1, { b: 2 }] } };
    expect(redactSecrets(clean)).toBe(clean);
    const dirty = { nested: { token: 't' } };
    redactSecrets(dirty);
    expect(dirty.nested.token).toBe('t');
  });

  it('leaves class instances to their serializers and survives cycles', () => {
    const error = Object.assign(new Error('boom'), { token: 't' });
    expect(redactSecrets({ err: error }).err).toBe(error);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => redactSecrets(cyclic)).not.toThrow();
  });

  it('keeps null and undefined values (nothing to hide)', () => {
    expect(redactSecrets({ token: undefined, password: null })).toEqual({ token: undefined, password: null });
  });
});
