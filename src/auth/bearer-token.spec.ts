import { bearerTokenFrom } from './bearer-token.js';

const from = (authorization?: string) => bearerTokenFrom({ headers: authorization === undefined ? {} : { authorization } });

describe('bearerTokenFrom', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER  abc-_.~+/=', 'abc-_.~+/='],
    ['Bearer abc.def.ghi ', 'abc.def.ghi'],
  ])('reads %j', (header, token) => {
    expect(from(header)).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['trailing text after the token', 'Bearer abc.def.ghi trailing'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['a token with characters outside b64token', 'Bearer abc.def.gh!'],
    ['a tab instead of a space', 'Bearer\tabc.def.ghi'],
  ])('refuses %s', (_name, header) => {
    expect(from(header)).toBeNull();
  });
});
